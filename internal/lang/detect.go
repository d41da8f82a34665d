package lang

import (
	"unicode"

	"github.com/abadojack/whatlanggo"
)

// Undetermined is the code returned when the language cannot be told.
const Undetermined = "und"

// Thresholds of the detector. They are constants, not configuration:
// they define what the detector is, and the tests pin them.
const (
	// minLetters is the least number of letters that can carry a language.
	minLetters = 8
	// stopwordRate is the share of words that must be German or English
	// function words before the stopword score may decide. Real German and
	// English prose runs at 35–50 %; other Latin-script languages that share
	// a few short words ("in", "die", "a") stay well below.
	stopwordRate = 0.2
	// stopwordMargin is how many times more hits the winner needs.
	stopwordMargin = 1.5
	// minConfidence is the least trigram confidence accepted when the
	// stopword score is silent.
	minConfidence = 0.02
)

// Detect returns "de", "en", another ISO 639-1 code, or "und" when the text
// is too short or unclear.
func Detect(text string) string {
	code, _ := DetectWithConfidence(text)
	return code
}

// DetectWithConfidence returns the code and a confidence in [0,1]. The
// confidence of "und" is 0.
func DetectWithConfidence(text string) (string, float64) {
	s := countScripts(text)
	if s.letters < minLetters {
		return Undetermined, 0
	}
	// Chinese, Japanese and Korean: the script decides. Japanese mixes Han
	// with kana, so any real share of kana means Japanese.
	cjk := s.han + s.kana + s.hangul
	if cjk*2 > s.letters {
		switch {
		case s.kana*10 > cjk:
			return "ja", share(s.kana+s.han, s.letters)
		case s.hangul*2 > cjk:
			return "ko", share(s.hangul, s.letters)
		default:
			return "zh", share(s.han, s.letters)
		}
	}
	if s.latin*2 > s.letters {
		if code, conf, ok := byStopwords(text); ok {
			return code, conf
		}
	}
	info := whatlanggo.Detect(text)
	if info.Lang < 0 || info.Confidence < minConfidence {
		return Undetermined, 0
	}
	code := info.Lang.Iso6391()
	if code == "" {
		return Undetermined, 0
	}
	return code, clamp01(info.Confidence)
}

// byStopwords decides between German and English when function words are
// frequent enough to be evidence, which they are in any sentence of real
// prose, long before character trigrams become reliable.
func byStopwords(text string) (string, float64, bool) {
	words := Words(text)
	var de, en int
	for _, w := range words {
		if _, ok := stopwordsDE[w]; ok {
			de++
		}
		if _, ok := stopwordsEN[w]; ok {
			en++
		}
	}
	best, other, code := de, en, "de"
	if en > de {
		best, other, code = en, de, "en"
	}
	if best < 2 || float64(best) < stopwordRate*float64(len(words)) || float64(best) < stopwordMargin*float64(other) {
		return "", 0, false
	}
	margin := float64(best-other) / float64(best)
	evidence := float64(best) / 6
	if evidence > 1 {
		evidence = 1
	}
	return code, clamp01(0.5 + 0.5*margin*evidence), true
}

type scriptCounts struct {
	letters, latin, han, kana, hangul int
}

func countScripts(text string) scriptCounts {
	var s scriptCounts
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		s.letters++
		switch {
		case r < 0x250 || unicode.Is(unicode.Latin, r):
			s.latin++
		case unicode.Is(unicode.Han, r):
			s.han++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			s.kana++
		case unicode.Is(unicode.Hangul, r):
			s.hangul++
		}
	}
	return s
}

func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return clamp01(float64(n) / float64(total))
}

func clamp01(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}
