package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Sentences splits text into sentences. It survives "z. B.", "Dr.", "U.S.",
// "Nr.", "ca.", ordinals like "3. Oktober", decimals and version numbers
// ("3.5", "Qwen2.5"), initials, quotes and ellipses.
//
// A line break always ends a sentence (extracted article text keeps one
// paragraph per line). Runs of white space inside a sentence become one
// space; no other character is dropped, added or reordered, so joining the
// result reproduces text up to white space. The abbreviations, sentence
// openers and ordinal rules are l's (see lang.Language); a nil l knows only
// initials and dotted abbreviations.
func Sentences(text string, l *lang.Language) []string {
	return splitSentences(text, l, -1)
}

// splitSentences is Sentences, stopping after max sentences (max < 0: no
// limit).
func splitSentences(text string, l *lang.Language, max int) []string {
	var out []string
	emit := func(s string) {
		if s = collapseSpace(s); s != "" {
			out = append(out, s)
		}
	}
	start := 0
	for i := 0; i < len(text) && len(out) != max; {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r' || r == '\u2029' || r == '\u2028':
			emit(text[start:i])
			start = i + size
			i += size
			continue
		case isCJKTerminal(r):
			end := skipClosers(text, i+size)
			emit(text[start:end])
			start, i = end, end
			continue
		case r == '.' || r == '!' || r == '?' || r == '…':
			end, ok := sentenceEnd(text, start, i, l)
			if ok {
				emit(text[start:end])
				start = end
			}
			if end > i {
				i = end
				continue
			}
		}
		i += size
	}
	if len(out) != max {
		emit(text[start:])
	}
	return out
}

// sentenceEnd looks at the terminal punctuation at text[i] and returns the
// index just past the punctuation and any closing quotes or brackets, and
// whether the sentence ends there.
func sentenceEnd(text string, start, i int, l *lang.Language) (int, bool) {
	// The whole run of terminal marks: "?!", "...", "…".
	j := i
	dots := 0
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			break
		}
		if r == '.' {
			dots++
		}
		j += size
	}
	end := skipClosers(text, j)
	if end >= len(text) {
		return end, true
	}
	next, _ := utf8.DecodeRuneInString(text[end:])
	if !unicode.IsSpace(next) {
		// "3.5", "Qwen2.5", "example.com", "U.S.-Chinese": no boundary.
		return end, false
	}
	nextWord := firstWord(text[end:])
	if nextWord == "" {
		return end, true
	}
	first, _ := utf8.DecodeRuneInString(nextWord)
	if unicode.IsLower(first) {
		// "z. B. die", "ca. fünf", "… und dann", `"Yes!" she said`.
		return end, false
	}
	if !(text[i] == '.' && dots == 1 && end == j) {
		// "!", "?", an ellipsis, or a period inside quotes ends the sentence
		// before an upper-case word, digit or quote.
		return end, true
	}
	head := text[start:i]
	prev := wordBefore(head)
	if prev == "" {
		return end, true
	}
	return end, !isAbbreviation(prev, wordBefore(head[:lastWordStart(head)]), nextWord, l)
}

// isAbbreviation reports whether the period after prev is part of an
// abbreviation, initial or ordinal rather than the end of a sentence.
// prevPrev is the word before prev, next the word after the period.
func isAbbreviation(prev, prevPrev, next string, l *lang.Language) bool {
	lowNext := strings.ToLower(trimWord(next))
	low := strings.ToLower(prev)
	if strings.Contains(prev, ".") {
		// Dotted abbreviations: "U.S", "z.B", "e.g", "i.e", "d.h".
		if dottedAbbrev(prev) {
			return !l.SentenceOpener(lowNext)
		}
		return false
	}
	if r, _ := utf8.DecodeRuneInString(prev); utf8.RuneCountInString(prev) == 1 && unicode.IsLetter(r) {
		// Initials ("John F. Kennedy") and German "z. B.", "u. a.".
		return true
	}
	if l.Abbreviation(low) {
		return true
	}
	if l.MaybeFinalAbbreviation(low) {
		return !l.SentenceOpener(lowNext)
	}
	if l.Ordinals() && isOrdinalNumber(prev) {
		// "am 3. Oktober", "der 2. Weltkrieg", "zum 5. Mal".
		return l.OrdinalFollower(lowNext) || l.OrdinalLeader(strings.ToLower(trimWord(prevPrev)))
	}
	return false
}

// dottedAbbrev matches letter groups of one or two letters joined by periods.
func dottedAbbrev(w string) bool {
	parts := strings.Split(w, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		n := utf8.RuneCountInString(p)
		if n == 0 || n > 2 {
			return false
		}
		for _, r := range p {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}

func isOrdinalNumber(w string) bool {
	if len(w) == 0 || len(w) > 4 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// wordBefore returns the last space-separated word of s, without leading
// quotes or brackets.
func wordBefore(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	w := s[lastWordStart(s):]
	return strings.TrimLeftFunc(w, func(r rune) bool { return isOpener(r) || isCloser(r) })
}

// lastWordStart returns the index in s where its last space-separated word
// starts (0 when s is one word).
func lastWordStart(s string) int {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	k := strings.LastIndexFunc(s, unicode.IsSpace)
	if k < 0 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(s[k:])
	return k + size
}

// firstWord returns the first space-separated word of s.
func firstWord(s string) string {
	f := strings.TrimLeftFunc(s, unicode.IsSpace)
	if k := strings.IndexFunc(f, unicode.IsSpace); k >= 0 {
		f = f[:k]
	}
	return f
}

// trimWord strips quotes, brackets and punctuation around a word.
func trimWord(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func skipClosers(text string, j int) int {
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isCloser(r) {
			break
		}
		j += size
	}
	return j
}

// isCloser: quotes and brackets that may close a sentence. German „…“ closes
// with U+201C, English “…” with U+201D; both are accepted after a period.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '}', '»', '«', '“', '”', '‘', '’', '›', '‹', '」', '』', '）':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '(', '[', '{', '»', '«', '„', '“', '‚', '‘', '›', '‹', '「', '『', '（':
		return true
	}
	return false
}

func isCJKTerminal(r rune) bool {
	return r == '。' || r == '！' || r == '？'
}

// collapseSpace trims s and turns every run of white space into one space.
// Most sentences need no change and are returned as they are.
func collapseSpace(s string) string {
	prevSpace := true // a leading space is a change too
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
			if sp && (prevSpace || c != ' ') {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = sp
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = false
		i += size
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}
