package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language is what newsdesk knows about one language: its names, function
// words, stemmer, how its sentences and numbers are written, and its message
// catalog. A Language is immutable once registered and safe for concurrent
// use. Its methods accept a nil *Language (a code nobody registered): no
// stopwords, no stemming, no sentence rules beyond the universal ones, and
// an empty catalog.
type Language struct {
	// Code is the ISO 639-1 code: "de".
	Code string
	// Name is the English name ("German"): prompts, logs, operators.
	Name string
	// Native is the language's own name ("Deutsch"): what a reader picks.
	Native string

	script    *unicode.RangeTable
	stopwords map[string]struct{}
	stem      func(string) string
	stemmer   string // the Snowball algorithm's name, or "none"
	// sentences holds the language's own sentence rules; pooled is what
	// the registry hands the splitter (see Registry.Register).
	sentences sentenceRules
	pooled    *sentenceRules
	numbers   numberRules
	context   contextRules
	// headlineNouns: see HeadlineNoun.
	headlineNouns wordSet
	names         nameRules
	catalog       *Catalog
}

// IsStopword reports whether word (any case) is one of the language's
// function words.
func (l *Language) IsStopword(word string) bool {
	if l == nil {
		return false
	}
	_, ok := l.stopwords[strings.ToLower(word)]
	return ok
}

// HeadlineNoun reports whether a headline that opens with word followed
// by next opens with a noun that is spelt like one of the language's
// function words: German "Aus für Nvidias H20" is the noun "das Aus",
// which keeps its capital in the middle of a sentence, while "Aus China"
// is the preposition. The words come from headlines.nouns in
// language.yaml; such a word is the noun when the next word is in lower
// case, as a preposition or adverb in that place is followed by its noun
// phrase or its verb.
func (l *Language) HeadlineNoun(word, next string) bool {
	if l == nil || !l.headlineNouns.has(strings.ToLower(word)) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(r)
}

// Stem returns the stem of a lower-cased word. Words with digits, invalid
// UTF-8 and every word of a language without a stemmer come back unchanged.
func (l *Language) Stem(word string) string {
	if l == nil || l.stem == nil || word == "" || !utf8.ValidString(word) {
		return word
	}
	for _, r := range word {
		if unicode.IsDigit(r) {
			return word
		}
	}
	return l.stem(word)
}

// Script returns the Unicode script the language is written in (nil for a
// nil Language).
func (l *Language) Script() *unicode.RangeTable {
	if l == nil {
		return nil
	}
	return l.script
}

// Catalog returns the language's messages (an empty catalog for nil).
func (l *Language) Catalog() *Catalog {
	if l == nil {
		return emptyCatalog
	}
	return l.catalog
}

// T is shorthand for l.Catalog().T.
func (l *Language) T(key string, args ...any) string { return l.Catalog().T(key, args...) }

// DecimalComma reports whether the language writes "3,5" for three and a
// half and groups thousands with a period ("3.000").
func (l *Language) DecimalComma() bool { return l != nil && l.numbers.decimalComma }

// LongScale reports whether the language's "billion" means 10^12 (German
// "Billion") rather than 10^9.
func (l *Language) LongScale() bool { return l != nil && l.numbers.longScale }

// NumberWord returns the value of a spelled-out number of the language
// ("zwölf" → 12, "dritte" → 3, "hälfte" → 0.5), lower-case input.
func (l *Language) NumberWord(word string) (float64, bool) {
	if l == nil {
		return 0, false
	}
	v, ok := l.numbers.words[word]
	return v, ok
}

// CheckedNumberWord reports whether a spelled-out number in a summary is
// precise enough to be checked against the sources ("drei", not "eins",
// which is mostly an article, nor "acht", which is also a noun).
func (l *Language) CheckedNumberWord(word string) bool {
	if l == nil {
		return false
	}
	_, ok := l.numbers.checked[word]
	return ok
}

// Sentence rules, for the splitter in summarize/extractive. The words are
// lower-cased and without their period.

// Abbreviation reports whether "word." is always an abbreviation ("dr",
// "bzw").
func (l *Language) Abbreviation(word string) bool { return l.rules().abbreviations.has(word) }

// MaybeFinalAbbreviation reports whether "word." is an abbreviation that
// often ends a sentence too ("etc", "usw", "inc").
func (l *Language) MaybeFinalAbbreviation(word string) bool {
	return l.rules().maybeFinal.has(word)
}

// SentenceOpener reports whether word typically opens a sentence, so that a
// period before it after an ambiguous abbreviation did end one.
func (l *Language) SentenceOpener(word string) bool { return l.rules().openers.has(word) }

// Ordinals reports whether the language writes ordinals as a number and a
// period ("3. Oktober").
func (l *Language) Ordinals() bool {
	return len(l.rules().ordinalLeaders)+len(l.rules().ordinalFollowers) > 0
}

// OrdinalLeader reports whether word, before "3.", makes the number an
// ordinal ("am", "zum").
func (l *Language) OrdinalLeader(word string) bool { return l.rules().ordinalLeaders.has(word) }

// OrdinalFollower reports whether word, after "3.", makes the number an
// ordinal ("Oktober", "Mal").
func (l *Language) OrdinalFollower(word string) bool { return l.rules().ordinalFollowers.has(word) }

func (l *Language) rules() *sentenceRules {
	switch {
	case l == nil:
		return &sentenceRules{}
	case l.pooled != nil:
		return l.pooled
	}
	return &l.sentences
}

// sentenceRules tell where a period does not end a sentence.
type sentenceRules struct {
	abbreviations, maybeFinal, openers wordSet
	ordinalLeaders, ordinalFollowers   wordSet
}

// numberRules say how the language writes numbers.
type numberRules struct {
	decimalComma, longScale bool
	words                   map[string]float64
	checked                 wordSet
}

type wordSet map[string]struct{}

func (s wordSet) has(w string) bool {
	_, ok := s[w]
	return ok
}

func newWordSet(words ...string) wordSet {
	m := make(wordSet)
	for _, w := range words {
		m[w] = struct{}{}
	}
	return m
}

// union returns the words of all sets in one new set.
func union(sets ...wordSet) wordSet {
	out := make(wordSet)
	for _, s := range sets {
		for w := range s {
			out[w] = struct{}{}
		}
	}
	return out
}
