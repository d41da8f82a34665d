// Package topic scores how relevant a news text is to a topic profile.
//
// A profile (YAML, see configs/topics/china-us-ai.yaml) lists weighted
// patterns in three tiers and term groups:
//
//   - strong and medium terms count on their own;
//   - context terms (Trump, Xi, tariffs, Taiwan) count only when a strong or
//     medium term or a group matched too, so they are never enough alone;
//   - a group counts only when every one of its sets matched near each other
//     (within Window words in the text, or anywhere in the title), e.g.
//     "China" together with "Chip".
//
// Patterns match whole words, case-insensitively, after splitting the text
// at every character that is not a letter or digit ("KI-Chips" gives "KI"
// and "Chips", "US-Exportbeschränkungen" gives "US" and
// "Exportbeschränkungen"). A pattern of several words ("export control*",
// "KI-Chip*") matches consecutive words. A trailing '*' matches a word
// prefix and a leading '*' a word suffix, which is how German compounds are
// caught: "Exportkontrolle*" matches "Exportkontrollen", "*chips" matches
// "Mikrochips". Patterns written in capitals only (BIS, AI, KI, US) are
// acronyms and match case-sensitively, so the German "bis" or the English
// "us" do not count.
//
// A matched term contributes its tier weight once, raised by RepeatBonus for
// every further mention in the text (up to MaxRepeatFactor) or to
// TitleMultiplier when it occurs in the title, whichever is larger. The
// score is the sum over matched terms and groups; ingest compares it with
// its min_relevance setting.
//
// A Profile is immutable after Load and safe for concurrent use.
package topic
