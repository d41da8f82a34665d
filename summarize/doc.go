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
//   - Digests. With an LLM, each chosen story is summarized once from its
//     articles' briefs into German and English in one call (map), with [n]
//     citations; then one short call per language writes the overview
//     (reduce). Raw articles never go into one big call. Every answer is
//     checked before it is published — citations point at real sources,
//     numbers, dates, money and names appear in the cited sources, the text
//     is in the requested language, glossary terms are used, and the German
//     and English versions carry the same numbers. A failed check is retried
//     once with the problems named; then that story's text is replaced by
//     extractive text (or the story is dropped) and the decision is logged.
//     When the LLM is down or slower than llm_deadline, the edition still
//     goes out on time, composed extractively, and says so in Digest.Notes in
//     the digest's own language.
//   - Without an LLM the German digest is drawn from German sources and the
//     English digest from English sources, each story summarized by the
//     extractive summarizer (package summarize/extractive).
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
