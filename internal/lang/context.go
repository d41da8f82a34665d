package lang

import (
	"strings"
	"unicode"
)

// contextRules tell when a sentence leans on the one before it (the
// context section of language.yaml).
type contextRules struct {
	openers, phrases, pronouns, reporting, subjunctive, attribution, firstPerson wordSet
}

// NeedsContext reports whether sentence leans on what came before it, so
// that it cannot open a summary or follow a sentence from elsewhere: it
// opens with a word that points back ("He", "This", "Dabei", "Zudem") or a
// phrase that does ("Betroffen sind", "The move"), attributes speech to a
// pronoun ("…,” he said", "…“, sagte er"), or reports speech in the
// subjunctive without saying who speaks ("Man habe sich geeinigt", "Es
// liege an …", unless "ich" or "wir" says it is the indicative). The words are the language's (see Parse); a language
// without a context section has no sentence that needs context.
func (l *Language) NeedsContext(sentence string) bool {
	if l == nil {
		return false
	}
	c := &l.context
	toks := contextTokens(sentence, 60)
	if len(toks) == 0 {
		return false
	}
	if c.openers.has(toks[0].word) {
		return !c.speakerNamed(toks)
	}
	if len(toks) > 1 && c.phrases.has(toks[0].word+" "+toks[1].word) ||
		len(toks) > 2 && c.phrases.has(toks[0].word+" "+toks[1].word+" "+toks[2].word) {
		return true
	}
	attributed := false
	for i, t := range toks {
		if c.reporting.has(t.word) || c.attribution.has(t.word) {
			attributed = true
		}
		if i == 0 {
			continue
		}
		p := toks[i-1]
		// "… she said", "She said", "…“, sie sagte": a pronoun speaks
		// after a quote or at the start ("after he said" has its
		// antecedent in the sentence).
		if c.pronouns.has(p.word) && !p.punctAfter && c.reporting.has(t.word) && (i == 1 || p.punctBefore || toks[i-2].punctAfter) {
			return true
		}
		// "…,” said he", "…“, sagte er": a reporting verb after a quote or
		// comma, and a pronoun after it.
		if c.reporting.has(p.word) && c.pronouns.has(t.word) && !p.punctAfter && (p.punctBefore || i >= 2 && toks[i-2].punctAfter) {
			return true
		}
	}
	if !attributed {
		for _, t := range toks[:min(3, len(toks))] {
			if c.firstPerson.has(t.word) {
				break // "Ich habe …": indicative
			}
			if c.subjunctive.has(t.word) {
				return true
			}
		}
	}
	return false
}

// contextToken is one space-separated word of a sentence, lower-cased and
// without the punctuation around it, and whether punctuation stood before
// or after it.
type contextToken struct {
	word                    string
	punctBefore, punctAfter bool
}

// contextTokens returns up to max tokens of s.
func contextTokens(s string, max int) []contextToken {
	out := make([]contextToken, 0, 16)
	for len(s) > 0 && len(out) < max {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		f := s[:end]
		s = s[end:]
		if f == "" {
			break
		}
		core := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if core == "" {
			if len(out) > 0 {
				out[len(out)-1].punctAfter = true
			}
			continue
		}
		i := strings.Index(f, core)
		out = append(out, contextToken{word: strings.ToLower(core), punctBefore: i > 0, punctAfter: i+len(core) < len(f)})
	}
	return out
}

// speakerNamed reports whether a sentence that opens with a pronoun in
// indirect speech names its speaker after a reporting verb later on: "Er
// werde das verhindern, sagte Bercow", "Er habe das Budget erhalten,
// berichtete der Trainer". The pronoun is the speaker, who is named in
// the same sentence, so it stands alone. A pronoun after the verb ("…,
// sagte sie") names nobody. Only languages with a subjunctive list mark
// indirect speech this way.
func (c *contextRules) speakerNamed(toks []contextToken) bool {
	if !c.pronouns.has(toks[0].word) {
		return false
	}
	indirect := false
	for _, t := range toks[1:min(3, len(toks))] {
		if c.subjunctive.has(t.word) {
			indirect = true
		}
	}
	if !indirect {
		return false
	}
	for i := 2; i+1 < len(toks); i++ {
		if c.reporting.has(toks[i].word) && toks[i-1].punctAfter && !toks[i].punctAfter &&
			!c.pronouns.has(toks[i+1].word) && !c.openers.has(toks[i+1].word) {
			return true
		}
	}
	return false
}
