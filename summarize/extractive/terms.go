package extractive

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// maxLexicon bounds what a Summarizer remembers: past it the lexicon starts
// afresh. News vocabulary repeats, so a day's articles fit many times over.
const maxLexicon = 1 << 17

// lexeme is what a Summarizer remembers of a lower-cased word.
type lexeme struct {
	word string // the word itself, the lexicon's key
	stem string
	term bool // a content word: not a stopword, has a letter
	junk bool // a junk marker may start with it
}

// lexicon maps lower-cased words to lexemes for one language, shared by
// every call of a Summarizer: stemming is the costly step of tokenizing,
// and most words of an article were seen in earlier ones.
type lexicon struct {
	l  *lang.Language
	mu sync.RWMutex
	m  map[string]lexeme
}

// get looks w up, or stems and remembers it. A word already known costs
// no allocation.
func (x *lexicon) get(w []byte) lexeme {
	x.mu.RLock()
	e, ok := x.m[string(w)]
	x.mu.RUnlock()
	if ok {
		return e
	}
	word := string(w)
	e = lexeme{word: word, junk: junkStarts[word]}
	if !x.l.IsStopword(word) && hasLetter(word) {
		e.term, e.stem = true, x.l.Stem(word)
	}
	x.mu.Lock()
	if len(x.m) >= maxLexicon {
		x.m = make(map[string]lexeme, 1024)
	}
	x.m[word] = e
	x.mu.Unlock()
	return e
}

// tokenizer turns the sentences of one call into term ids: lower-cased
// words split as lang.Words splits them, without stopwords and words
// without a letter, stemmed with the language's stemmer. Words are looked
// up by their lower-cased bytes, so a word seen before in the call costs a
// map lookup and no allocation.
type tokenizer struct {
	lex    *lexicon
	words  map[string]int32 // lower-cased word → term id, or -1: not a term; -2: not a term, junk start
	stems  map[string]int32 // stem → term id
	nTerms int32
	buf    []byte
}

// reset readies t for a new call: its tables emptied, their memory kept.
func (t *tokenizer) reset(lex *lexicon) {
	t.lex = lex
	t.nTerms = 0
	if t.words == nil {
		t.words, t.stems = make(map[string]int32, 64), make(map[string]int32, 64)
		return
	}
	clear(t.words)
	clear(t.stems)
}

// terms appends the term ids of s to dst, counts s's words (stopwords
// included) and reports whether s may hold a junk marker (see isJunk).
func (t *tokenizer) terms(s string, dst []int32) ([]int32, int, bool) {
	words := 0
	in, junk := false, false
	t.buf = t.buf[:0]
	end := func() {
		if !in {
			return
		}
		in = false
		words++
		id, ok := t.words[string(t.buf)] // no allocation for the lookup
		if !ok {
			id = t.intern(t.buf)
		}
		switch {
		case id >= 0:
			dst = append(dst, id&^junkBit)
			junk = junk || id&junkBit != 0
		case id == -2:
			junk = true
		}
		t.buf = t.buf[:0]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				t.buf = append(t.buf, c)
				in = true
			case 'A' <= c && c <= 'Z':
				t.buf = append(t.buf, c+'a'-'A')
				in = true
			default:
				end()
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			end()
		case unicode.Is(unicode.Mn, r):
			// A combining mark continues a word but never starts one.
			if in {
				t.buf = utf8.AppendRune(t.buf, r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
			in = true
		default:
			if r == '©' {
				junk = true
			}
			end()
		}
	}
	end()
	return dst, words, junk
}

// junkBit marks a term id whose word may start a junk marker.
const junkBit = 1 << 30

// intern gives a new word of the call its term id.
func (t *tokenizer) intern(w []byte) int32 {
	e := t.lex.get(w)
	id := int32(-1)
	if e.junk {
		id = -2
	}
	if e.term {
		var ok bool
		if id, ok = t.stems[e.stem]; !ok {
			id = t.nTerms
			t.nTerms++
			t.stems[e.stem] = id
		}
		if e.junk {
			id |= junkBit
		}
	}
	t.words[e.word] = id
	return id
}

func hasLetter(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// junkStarts are the first words of every marker list and the appeals'
// cue words: a sentence without one of them (and without "©") holds no
// marker, which spares most sentences the substring search.
var junkStarts = func() map[string]bool {
	m := map[string]bool{"c": true} // "(c) "
	for _, list := range [][]string{junkMarkers, caseMarkers, readerMarkers} {
		for _, mk := range list {
			if w := lang.Words(strings.ToLower(mk)); len(w) > 0 {
				m[w[0]] = true
			}
		}
	}
	for _, a := range appeals {
		m[a[0]] = true
	}
	return m
}()
