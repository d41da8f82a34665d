package verify

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/extractive"
)

const (
	// minJudgedWords: shorter sentences ("Quelle: Reuters.", a quoted
	// product name) are too short to tell their language.
	minJudgedWords = 5
	// minForeignConfidence is the detector confidence above which a
	// sentence counts as written in another language.
	minForeignConfidence = 0.5
	// maxForeignLetters is how many letters of another script a text may
	// hold (a name in Chinese characters may be quoted once).
	maxForeignLetters = 0
)

// Language checks that text is written in want ("de" or "en") with no
// sentences in another language (English or Chinese leaking into German,
// and so on); detail says what leaked, sentence by sentence, and is empty
// when ok.
func Language(text, want string) (ok bool, detail string) {
	var problems []string
	if strings.TrimSpace(text) == "" {
		return false, "empty text"
	}
	if whole, conf := lang.DetectWithConfidence(text); whole != want && whole != lang.Undetermined && conf >= minForeignConfidence {
		problems = append(problems, fmt.Sprintf("text is %s, not %s", whole, want))
	}
	for i, s := range extractive.Sentences(text, want) {
		if script, n := foreignScript(s, want); n > maxForeignLetters {
			problems = append(problems, fmt.Sprintf("sentence %d has %d %s letters: %q", i+1, n, script, clip(s)))
			continue
		}
		if len(lang.Words(s)) < minJudgedWords {
			continue
		}
		got, conf := lang.DetectWithConfidence(s)
		if got != want && got != lang.Undetermined && conf >= minForeignConfidence {
			problems = append(problems, fmt.Sprintf("sentence %d is %s: %q", i+1, got, clip(s)))
		}
	}
	return len(problems) == 0, strings.Join(problems, "; ")
}

// foreignScript counts letters outside the Latin script in a sentence that
// should be Latin (German, English), and names the most frequent script.
func foreignScript(s, want string) (string, int) {
	if want != "de" && want != "en" {
		return "", 0
	}
	counts := map[string]int{}
	total := 0
	for _, r := range s {
		if !unicode.IsLetter(r) || unicode.Is(unicode.Latin, r) {
			continue
		}
		total++
		counts[scriptName(r)]++
	}
	best, bestN := "", 0
	for name, n := range counts {
		if n > bestN || n == bestN && name < best {
			best, bestN = name, n
		}
	}
	return best, total
}

func scriptName(r rune) string {
	switch {
	case unicode.Is(unicode.Han, r):
		return "Chinese (Han)"
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return "Japanese (kana)"
	case unicode.Is(unicode.Hangul, r):
		return "Korean (Hangul)"
	case unicode.Is(unicode.Cyrillic, r):
		return "Cyrillic"
	case unicode.Is(unicode.Greek, r):
		return "Greek"
	case unicode.Is(unicode.Arabic, r):
		return "Arabic"
	}
	return "non-Latin"
}

// clip shortens a sentence for the detail message.
func clip(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
