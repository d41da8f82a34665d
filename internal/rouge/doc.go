// Package rouge computes ROUGE-1, ROUGE-2 and ROUGE-L (Lin 2004) for German
// and English summaries, for the evaluation tests of the summarizers.
//
// Tokens are lang.Words (Unicode letters and digits, lower-cased) stemmed
// with the stemmer of the language (internal/lang; nil means unstemmed). The usual Python tokenizer keeps only [a-z0-9] and so cuts
// "Größe" into "gr", "e"; this one keeps German words whole, which is why
// German scores from here are not comparable with numbers computed that way.
// English scores follow the published setup (ROUGE-1.5.5 with stemming:
// lower-case, alphanumeric tokens, Porter-family stemmer, no stopword
// removal) closely enough to compare baselines, and the evaluation tests
// compute the baselines in the same run anyway.
//
// RougeL is summary-level ROUGE-L ("rougeLsum"): both texts are split into
// sentences at newlines, and each reference sentence is matched against the
// union of its longest common subsequences with every candidate sentence.
// That is how the published CNN/DailyMail and Multi-News baselines (LEAD-3
// 36.6 ROUGE-L, ROUGE-1.5.5 with sentences one per line) were computed. A
// text without newlines is one sentence, which makes RougeL the plain
// sentence-level LCS score, so put one sentence per line.
package rouge
