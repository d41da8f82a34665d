package lang

import (
	"unicode"
	"unicode/utf8"

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
	// maxDetectBytes is how much of a text is looked at: a few paragraphs
	// decide the language as well as the whole article, at a fraction of
	// the cost.
	maxDetectBytes = 4096
	// manyStopwords is the count of function words that decides even at a
	// low rate, when the winner has three times the other's count.
	manyStopwords = 15
	// stopwordMargin is how many times more hits the winner needs.
	stopwordMargin = 1.5
	// shortText is the most words singleStopword judges.
	shortText = 10
	// weakTrigrams is the trigram confidence below which a short text is
	// decided by a single function word instead.
	weakTrigrams = 0.5
	// weakConfidence is the confidence reported for that decision.
	weakConfidence = 0.3
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
	text = head(text, maxDetectBytes)
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
	info := whatlanggo.DetectWithOptions(text, whatlanggo.Options{Blacklist: rareInNews})
	if s.latin*2 > s.letters && (info.Lang < 0 || info.Confidence < weakTrigrams) {
		// Headlines: trigrams on four words are noise ("Hong Kong is
		// burning." scores as Tagalog); a single function word is better.
		if code, ok := singleStopword(text); ok {
			return code, weakConfidence
		}
	}
	if info.Lang < 0 || info.Confidence < minConfidence {
		return Undetermined, 0
	}
	code := info.Lang.Iso6391()
	if code == "" {
		return Undetermined, 0
	}
	return code, clamp01(info.Confidence)
}

// rareInNews are Latin-script languages of the trigram model that almost
// never appear in the feeds newsdesk reads but often win on short German or
// English text ("Chips für China" scores as Shona, "Hong Kong is burning"
// as Tagalog). They are never reported; such text comes out as a related
// major language or "und".
var rareInNews = map[whatlanggo.Lang]bool{
	whatlanggo.Afr: true, whatlanggo.Aka: true, whatlanggo.Ceb: true, whatlanggo.Epo: true,
	whatlanggo.Hat: true, whatlanggo.Hau: true, whatlanggo.Ibo: true, whatlanggo.Ilo: true,
	whatlanggo.Jav: true, whatlanggo.Kin: true, whatlanggo.Mlg: true, whatlanggo.Nya: true,
	whatlanggo.Orm: true, whatlanggo.Run: true, whatlanggo.Sna: true, whatlanggo.Som: true,
	whatlanggo.Tgl: true, whatlanggo.Tuk: true, whatlanggo.Yor: true, whatlanggo.Zul: true,
	whatlanggo.Nno: true, whatlanggo.Uig: true, whatlanggo.Uzb: true, whatlanggo.Azj: true,
}

// byStopwords decides between German and English when function words are
// frequent enough to be evidence, which they are in any sentence of real
// prose, long before character trigrams become reliable.
func byStopwords(text string) (string, float64, bool) {
	words := Words(text)
	stopwordsDE, stopwordsEN := detectorStopwords()
	var de, en int
	for _, w := range words {
		if _, ok := stopwordsDE[w]; ok {
			de++
		}
		if _, ok := romanceShared[w]; ok {
			continue
		}
		if _, ok := stopwordsEN[w]; ok {
			en++
		}
	}
	best, other, code := de, en, "de"
	if en > de {
		best, other, code = en, de, "en"
	}
	if best < 2 || float64(best) < stopwordMargin*float64(other) {
		return "", 0, false
	}
	// Lists, menus and tables have few function words, but many of them in
	// absolute terms with a clear winner still decide.
	if float64(best) < stopwordRate*float64(len(words)) && (best < manyStopwords || best < 3*other) {
		return "", 0, false
	}
	margin := float64(best-other) / float64(best)
	evidence := float64(best) / 6
	if evidence > 1 {
		evidence = 1
	}
	return code, clamp01(0.5 + 0.5*margin*evidence), true
}

// head returns at most n bytes of s, cut at a rune boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// singleStopword decides a short text by one German or English function
// word when the other language has none.
func singleStopword(text string) (string, bool) {
	words := Words(text)
	if len(words) > shortText {
		return "", false
	}
	stopwordsDE, stopwordsEN := detectorStopwords()
	var de, en int
	for _, w := range words {
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		if _, ok := sharedWords[w]; ok {
			continue
		}
		if _, ok := stopwordsDE[w]; ok {
			de++
		}
		if _, ok := stopwordsEN[w]; ok {
			en++
		}
	}
	switch {
	case de > 0 && en == 0:
		return "de", true
	case en > 0 && de == 0:
		return "en", true
	}
	return "", false
}

// sharedWords are German or English function words that are also common
// words of other European languages, so one of them alone proves nothing.
var sharedWords = setOf(`in an am as da die es la man me no on or per so to um was will war hat also`)

// romanceShared are English function words that are also frequent in
// Italian, Spanish, Portuguese or French; they do not count for English.
var romanceShared = setOf(`a in per no me`)

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
