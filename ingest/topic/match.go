package topic

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one word of a text: its original spelling (for acronyms, which
// match case-sensitively) and its lower-case form.
type word struct {
	orig, lower string
}

// maxWords bounds the words scored per text, so a huge page cannot make
// scoring slow; the opening of an article carries its topic anyway.
const maxWords = 20000

// splitWords splits s into words: maximal runs of letters, digits and marks.
// Everything else (spaces, hyphens, apostrophes, dots) separates words, so
// German hyphen compounds become their parts. Invalid UTF-8 bytes separate
// words too.
func splitWords(s string) []word {
	var out []word
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			out = append(out, word{orig: w, lower: strings.ToLower(w)})
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		inWord := r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
		if inWord {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
			if len(out) >= maxWords {
				return out
			}
		}
		i += size
	}
	flush(len(s))
	return out
}

// part matches one word.
type part struct {
	text   string // lower case unless cs
	prefix bool   // pattern ended in '*': the word starts with text
	suffix bool   // pattern started with '*': the word ends with text
	cs     bool   // case-sensitive (acronym)
}

func (p part) match(w word) bool {
	if p.cs {
		return p.matchString(w.orig)
	}
	return p.matchString(w.lower)
}

// matchString matches one word, already in the case the part expects.
func (p part) matchString(s string) bool {
	switch {
	case p.prefix && p.suffix:
		return strings.Contains(s, p.text)
	case p.prefix:
		return strings.HasPrefix(s, p.text)
	case p.suffix:
		return strings.HasSuffix(s, p.text)
	default:
		return s == p.text
	}
}

// pattern is a sequence of parts matching consecutive words.
type pattern []part

// compilePattern turns "export control*", "KI-Chip*", "*chips" or "BIS" into
// a pattern. A pattern whose letters are all capitals (at least two of them)
// is an acronym and matches case-sensitively.
func compilePattern(src string) (pattern, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("empty pattern")
	}
	letters, upper := 0, 0
	for _, r := range src {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	cs := letters >= 2 && letters == upper
	// Split like splitWords, but keep '*' at the ends of a part.
	var pat pattern
	for _, raw := range strings.FieldsFunc(src, func(r rune) bool {
		return !(r == '*' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	}) {
		p := part{cs: cs}
		if strings.HasPrefix(raw, "*") {
			p.suffix = true
			raw = raw[1:]
		}
		if strings.HasSuffix(raw, "*") {
			p.prefix = true
			raw = raw[:len(raw)-1]
		}
		if strings.Contains(raw, "*") {
			return nil, fmt.Errorf("pattern %q: '*' only at the start or end of a word", src)
		}
		if utf8.RuneCountInString(raw) < 2 && (p.prefix || p.suffix) {
			return nil, fmt.Errorf("pattern %q: a wildcard word needs at least two letters", src)
		}
		if raw == "" {
			return nil, fmt.Errorf("pattern %q: empty word", src)
		}
		if !cs {
			raw = strings.ToLower(raw)
		}
		p.text = raw
		pat = append(pat, p)
	}
	if len(pat) == 0 {
		return nil, fmt.Errorf("pattern %q has no words", src)
	}
	return pat, nil
}

// index is a text split into words, with the positions of each distinct
// word, so a pattern is looked up instead of compared with every word.
type index struct {
	words []word
	lower map[string][]int // lower-case word → positions
	orig  map[string][]int // word as written → positions (acronyms)
}

func newIndex(text string) *index {
	ix := &index{words: splitWords(text), lower: map[string][]int{}, orig: map[string][]int{}}
	for i, w := range ix.words {
		ix.lower[w.lower] = append(ix.lower[w.lower], i)
		ix.orig[w.orig] = append(ix.orig[w.orig], i)
	}
	return ix
}

// positions returns the sorted indexes of the words where pat matches.
func (pat pattern) positions(ix *index) []int {
	first := pat[0]
	byWord := ix.lower
	if first.cs {
		byWord = ix.orig
	}
	var cand []int
	if !first.prefix && !first.suffix {
		cand = byWord[first.text]
	} else {
		// Wildcards: test each distinct word once.
		for w, pos := range byWord {
			if first.matchString(w) {
				cand = append(cand, pos...)
			}
		}
		sort.Ints(cand)
	}
	if len(pat) == 1 {
		return cand
	}
	var out []int
	for _, i := range cand {
		if i+len(pat) > len(ix.words) {
			continue
		}
		ok := true
		for j := 1; j < len(pat); j++ {
			if !pat[j].match(ix.words[i+j]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// matchesAny reports whether any of pats matches somewhere in ix.
func matchesAny(pats []pattern, ix *index) bool {
	for _, p := range pats {
		if len(p.positions(ix)) > 0 {
			return true
		}
	}
	return false
}
