// Package summarize is newsdesk's summarize stage: it turns the articles on
// the ARTICLES stream into one digest per edition and language on the
// DIGESTS stream.
//
// The contract, in the order the work happens:
//
//   - Briefs. A durable consumer ("summarize") writes a short brief of each
//     article ahead of the edition, in the article's own language, with the
//     LLM. Briefs are cached in the briefs KV bucket under a key made of the
//     hash of the normalized article text, the model, the prompt version and
//     the language, so re-polls, restarts, redeliveries and syndicated copies
//     with the same text cost no tokens. Without an LLM nothing is done ahead:
//     extractive briefs are cheap and made on demand.
//   - Stories. Articles reporting the same event are grouped across outlets
//     and across German and English from what the text gives (shared names,
//     product codes, numbers, glossary concepts, near-duplicate shingles,
//     time proximity), or from embeddings when the LLM server has them
//     (package summarize/cluster). A story is told once however many
//     outlets carried it. Stories are ranked by independent outlets, topic
//     relevance and recency; near-identical stories never both make an
//     edition.
//   - Memory. The editions KV bucket remembers earlier editions' stories, so
//     a continuing story is marked Update and told from its new articles,
//     and a story with nothing new is left out.
//   - Digests. Every language of an edition carries the same stories under
//     the same ids. With an LLM, each chosen story is summarized once from
//     its articles' briefs into every edition language in one call (map),
//     with [n] citations; then one short call per language writes the
//     overview (reduce). Raw articles never go into one big call. Every
//     answer is checked sentence by sentence before it is published
//     (check.go, verify.Check): a sentence with a number, date, amount or
//     name its cited sources do not hold, without a valid citation, in the
//     wrong language, or naming a glossary concept by its English word in
//     another language is removed (a citation of a missing source is
//     dropped, a reasoning block stripped); a fact one language version
//     lacks is removed from the others; the story is kept when its
//     headline passes and at least verify.MinKept sentences remain in
//     every version. Otherwise it is asked for once more with the problems
//     named, then told extractively. When the LLM is down, overloaded or
//     slower than llm_deadline, the edition still goes out on time,
//     composed extractively, and says so in Digest.Notes in the digest's
//     own language; at the end of the edition the log reports what became
//     of every answer (compose_report.go).
//   - Without an LLM each story is told by the extractive summarizer
//     (package summarize/extractive) from its sources in the digest's
//     language, a citation after each run of sentences from one source and
//     the headline of the source the text opens with. A story without a
//     source in the digest's language is told in its source's language:
//     by headline and link, or with the source's sentences when
//     digest.other_language_text is set (Story.Language says which).
//     The overview opens with the top story's lede.
//
// Digest.Usage is the LLM spend of composing the edition — story and
// overview calls plus any brief not already cached — and is the same figure
// in every language's digest (do not add them up). Briefs made ahead by the
// consumer are counted in the newsdesk_summarize_tokens_total metric
// (purpose "brief"), as are all other calls by purpose and kind.
//
// The scheduler composes each scheduled edition once across replicas: the
// first replica to create the lock key edition.date.slot in the editions
// bucket does it. Per-item logic (Brief, Compose) is plain methods apart
// from the NATS plumbing (Run, Edition), so tests and the CLI can call it
// directly.
package summarize
