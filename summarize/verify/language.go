package verify

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/newsdesk/newsdesk/internal/clip"
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

// Language checks that text is written in want, a language of langs, with
// no sentences in another language (English or Chinese leaking into
// German, and so on); detail says what leaked, sentence by sentence, and is
// empty when ok.
func Language(langs *lang.Registry, text, want string) (ok bool, detail string) {
	var problems []string
	if strings.TrimSpace(text) == "" {
		return false, "empty text"
	}
	// A text too short to judge ("Nvidia loses.") is left to the script
	// check below.
	if whole, conf := lang.DetectWithConfidence(text); len(lang.Words(text)) >= minJudgedWords && foreign(langs, text, whole, want, conf) {
		problems = append(problems, fmt.Sprintf("text is %s, not %s", whole, want))
	}
	wl := langs.Get(want)
	for i, s := range extractive.Sentences(text, wl) {
		if script, n := foreignScript(s, wl); n > maxForeignLetters {
			problems = append(problems, fmt.Sprintf("sentence %d has %d %s letters: %q", i+1, n, script, clip.Runes(s, 80)))
			continue
		}
		if len(lang.Words(s)) < minJudgedWords {
			continue
		}
		if got, conf := lang.DetectWithConfidence(s); foreign(langs, s, got, want, conf) {
			problems = append(problems, fmt.Sprintf("sentence %d is %s: %q", i+1, got, clip.Runes(s, 80)))
		}
	}
	return len(problems) == 0, strings.Join(problems, "; ")
}

// foreign decides whether a detection result means that s is not in want.
// The registered languages are told apart reliably by function words, so
// another registered language counts at moderate confidence. A language
// nobody registered counts only when s also has none of want's function
// words: a short line of names and numbers ("Huawei to double Ascend 910C
// output") often scores as Portuguese or French, but "to" shows it is
// English.
func foreign(langs *lang.Registry, s, got, want string, conf float64) bool {
	if got == want || got == lang.Undetermined {
		return false
	}
	wl, registered := langs.Lookup(want)
	if conf < minForeignConfidence {
		// Names and numbers make the detector unsure, but a sentence that
		// holds more function words of another registered language than
		// of the wanted one is in that language: "Huawei plans to lift
		// Ascend AI chip output to 1.1 million in 2027" in a German digest.
		if !registered {
			return false
		}
		own := wantStopwords(s, wl)
		for _, code := range langs.Codes() {
			if code == want {
				continue
			}
			if n := wantStopwords(s, langs.Get(code)); n >= minOtherStopwords && n > own {
				return true
			}
		}
		return false
	}
	gl, known := langs.Lookup(got)
	if registered && !known {
		return wantStopwords(s, wl) == 0
	}
	// A line of names and numbers with more function words of want than
	// of the detected language is want's, however sure the detector is:
	// "Alibaba to invest $67 billion in data centres in Johor" scores as
	// German.
	if registered && wantStopwords(s, wl) > wantStopwords(s, gl) {
		return false
	}
	return true
}

// minOtherStopwords is how many function words of another registered
// language an unsure sentence needs before it counts as that language.
const minOtherStopwords = 2

// wantStopwords counts the function words of l in s, leaving out short
// words that other European languages share ("a", "in", "die", "per").
func wantStopwords(s string, l *lang.Language) int {
	n := 0
	for _, w := range lang.Words(s) {
		if len(w) < 2 || sharedFunctionWords[w] {
			continue
		}
		if l.IsStopword(w) {
			n++
		}
	}
	return n
}

var sharedFunctionWords = map[string]bool{"in": true, "per": true, "no": true, "me": true, "die": true, "so": true, "an": true}

// foreignScript counts letters outside want's script in a sentence, and
// names the most frequent script. It counts nothing for a language nobody
// registered.
func foreignScript(s string, want *lang.Language) (string, int) {
	own := want.Script()
	if own == nil {
		return "", 0
	}
	counts := map[string]int{}
	total := 0
	for _, r := range s {
		if !unicode.IsLetter(r) || unicode.Is(own, r) {
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
