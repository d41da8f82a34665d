// Package summarizetest is test support for newsdesk and is used only in
// tests. Its Editor is a handler for llmtest, the TEST DOUBLE of an
// OpenAI-compatible server (no model weights can be downloaded where the
// tests run, so a real model cannot answer). It is not a summarizer: it
// answers the summarize stage's three prompts mechanically from what each
// prompt holds, so that tests can drive the stage's real LLM path, its
// checks and its fallbacks through real HTTP.
//
// It tells the calls apart by the purpose header the client sends
// (llmtest.PurposeHeader), not by the prompts' wording; from a prompt it
// reads only the material: the numbered documents or stories and the JSON
// shape of the answer asked for.
//
// What the editor answers:
//
//   - brief: the document's title as headline and its first two
//     sentences as summary;
//   - story: for each language asked (the keys of the answer's JSON
//     shape), the title of a source document in that language and, in
//     German and English, a second sentence without facts, cited once
//     after both; when no document is
//     in the language, a translation from WithTranslations, else (with
//     WithStandIns) a stand-in written by template, else the first
//     document's title in the wrong language, which the stage's checks
//     must reject;
//   - overview: one sentence naming the digest's first headline, in the
//     language the stories are written in.
//
// Faults (WithFault) replace chosen answers with any llmtest.Reply, to
// drive retries and fallbacks.
package summarizetest
