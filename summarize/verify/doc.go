// Package verify checks generated summaries before they are published: that
// every checkable fact in them is grounded in the source articles, and that
// they are written in the edition's language.
//
// Unsupported extracts the facts a reader could check — numbers, amounts of
// money, percentages, dates (month names, weekdays, years) and names of
// people, companies and products — and returns those that appear in none of
// the sources. The comparison works across German and English: "1,5
// Milliarden Dollar" in a German brief is supported by "$1.5 billion" in an
// English source, "3.000" by "3,000", "Oktober" by "October", "USA" by
// "U.S.", "Vereinte Nationen" by "United Nations": names written
// differently in each language come from the language registry's names
// data (internal/lang, names.yaml), and a name is also found through a
// derived form ("Karlsruher" for "Karlsruhe", "Brasiliens" for
// "Brazil"), folded diacritics or umlauts spelled out ("Mueller" for
// "Müller"). Numbers are compared by value at the precision the text states
// ("1,5 Milliarden" is supported by 1.47 billion). Names are found by
// capitalisation, which is reliable in English and partial in German, where
// every noun is capitalised: there only names with a distinctive shape
// (OpenAI, GPT-4o, CDU), runs of capitalised words (Xi Jinping) and
// capitalised words without a common-noun ending are checked; a noun the
// text runs into a name ("Kanzlei QPR", "Sohn Wil") is left out when the
// sources write that name with no capitalised word on that side (see
// beside.go), and a club form ("FC Arsenal") is left to the club's name
// after it. Text without any capital letter has no detectable names.
//
// It is a cheap, deterministic check, not a proof: a fact that is present in
// a source but misattributed passes, and a correct paraphrase of a number
// ("a third" for 33 %) is reported. Callers use the findings to drop or
// regenerate a sentence, or to flag it for review.
//
// Language checks every sentence of a text with internal/lang and reports
// sentences or characters in another language: English or Chinese leaking
// into a German digest, and so on.
package verify
