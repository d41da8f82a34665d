package cluster

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Article is what clustering reads of one news article.
type Article struct {
	Language string
	// Time is when it happened: published, else fetched. Zero: unknown,
	// and then time does not weigh in.
	Time  time.Time
	Title string
	// Body is as much of the text as clustering should read: the lead up
	// to max_lead_chars, or the description when there is no text.
	Body string
}

// Doc is one article's features. An Extractor makes it; Clusterer.Group
// weighs it against the batch it is grouped with.
type Doc struct {
	lang string
	when time.Time
	// words: stemmed content words of title and body, for same-language
	// similarity (a title word counts twice).
	words []count
	// anchors: what reads the same in German and English — product codes,
	// numbers, month names and glossary concepts — for similarity across
	// languages. Group adds the words the batch's languages share (names,
	// loanwords) as "w:" anchors.
	anchors []count
	// plain: the words that may be such shared names.
	plain []count
	// shingles: the sorted distinct hashes of the body's word 4-grams, the
	// fingerprint of a text, equal for syndicated copies whatever their
	// headline.
	shingles []uint64
	emb      []float32

	// Set by Group: unit TF-IDF vectors over the batch, and the batch's
	// anchor names by feature id.
	wordVec, anchorVec sparse
	anchorNames        []string
}

// count is a feature and how often it occurs. Docs keep their features as
// slices, which take a third of the memory of maps: a day's batch holds
// thousands of docs.
type count struct {
	key string
	n   float64
}

func counts(m map[string]float64) []count {
	out := make([]count, 0, len(m))
	for k, n := range m {
		out = append(out, count{k, n})
	}
	return out
}

// When is the article's time as given.
func (d *Doc) When() time.Time { return d.when }

// SetEmbedding gives the article an embedding (of its title and lead);
// articles that both have one are also compared by their cosine.
func (d *Doc) SetEmbedding(v []float32) { d.emb = v }

// Embedding is the vector SetEmbedding gave, or nil.
func (d *Doc) Embedding() []float32 { return d.emb }

// Anchors yields the article's anchors and their TF-IDF weights in the
// batch it was last grouped with (nothing before Group).
func (d *Doc) Anchors(yield func(string, float64) bool) {
	for i, id := range d.anchorVec.ids {
		if !yield(d.anchorNames[id], d.anchorVec.vals[i]) {
			return
		}
	}
}

var months = map[string]string{
	"januar": "m01", "january": "m01", "jänner": "m01",
	"februar": "m02", "february": "m02",
	"märz": "m03", "march": "m03",
	"april": "m04",
	"mai":   "m05", "may": "m05",
	"juni": "m06", "june": "m06",
	"juli": "m07", "july": "m07",
	"august":    "m08",
	"september": "m09",
	"oktober":   "m10", "october": "m10",
	"november": "m11",
	"dezember": "m12", "december": "m12",
}

// Extractor makes the Docs of one batch. Its docs share their feature
// strings, and it stems each word once per batch (stemming every
// occurrence was a third of extraction time). It is not safe for
// concurrent use.
type Extractor struct {
	c      *Clusterer
	stems  map[string]map[string]string // language → word → stem
	intern map[string]string
	buf    []byte
	// per doc, cleared after each
	words, anchors, plain map[string]float64
}

// Extractor returns an Extractor for one batch.
func (c *Clusterer) Extractor() *Extractor {
	return &Extractor{c: c, stems: map[string]map[string]string{}, intern: map[string]string{},
		words: map[string]float64{}, anchors: map[string]float64{}, plain: map[string]float64{}}
}

// Doc extracts the features of one article.
func (e *Extractor) Doc(a Article) *Doc {
	d := &Doc{lang: a.Language, when: a.Time}
	stemmer := e.c.langs.Get(a.Language)
	stems := e.stems[a.Language]
	if stems == nil {
		stems = map[string]string{}
		e.stems[a.Language] = stems
	}
	titleWords, bodyWords := lang.Words(a.Title), lang.Words(a.Body)
	add := func(ws []string, weight float64) {
		for _, w := range ws {
			if e.c.langs.IsStopword(w) {
				continue
			}
			n := utf8.RuneCountInString(w)
			if n < 2 {
				continue
			}
			w = e.key(w)
			stem, ok := stems[w]
			if !ok {
				stem = e.key(stemmer.Stem(w))
				stems[w] = stem
			}
			e.words[stem] += weight
			if m, ok := months[w]; ok {
				e.anchors[m] += weight
			}
			if n >= 3 && !isDigits(w) {
				e.plain[w]++
			}
		}
	}
	add(titleWords, 2) // a title word says more about the story than a body word
	add(bodyWords, 1)
	text := a.Title + "\n" + a.Body
	numbers(text, func(digits []byte) {
		if len(digits) >= 2 { // single digits are too common to tell stories apart
			e.anchors[e.keyBytes(append(append(e.buf[:0], '#'), digits...))]++
		}
	})
	lower := strings.ToLower(text)
	for i, forms := range e.c.conceptForms(a.Language) {
		for _, f := range forms {
			if strings.Contains(lower, f) {
				e.anchors[e.keyBytes(strconv.AppendInt(append(e.buf[:0], 'g'), int64(i), 10))]++
				break
			}
		}
	}
	d.words, d.anchors, d.plain = counts(e.words), counts(e.anchors), counts(e.plain)
	clear(e.words)
	clear(e.anchors)
	clear(e.plain)
	d.shingles = shingles(bodyWords, 4)
	return d
}

// key returns the batch's copy of s, so that docs share feature strings
// and none holds on to an article's text.
func (e *Extractor) key(s string) string {
	if k, ok := e.intern[s]; ok {
		return k
	}
	k := strings.Clone(s)
	e.intern[k] = k
	return k
}

func (e *Extractor) keyBytes(b []byte) string {
	e.buf = b
	if k, ok := e.intern[string(b)]; ok {
		return k
	}
	k := string(b)
	e.intern[k] = k
	return k
}

// numbers calls yield with the digits of each number in text (valid until
// yield returns): a run of
// digits with '.' and ',' between them (the regexp \d[\d.,]*\d|\d), the
// separators removed so that "3.000" (de) and "3,000" (en) meet. A byte
// scan rather than that regexp because it runs over every article.
func numbers(text string, yield func(digits []byte)) {
	var b []byte
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		end := i + 1 // after the run's last digit
		for j := i + 1; j < len(text) && (isDigit(text[j]) || text[j] == '.' || text[j] == ','); j++ {
			if isDigit(text[j]) {
				end = j + 1
			}
		}
		b = b[:0]
		for k := i; k < end; k++ {
			if isDigit(text[k]) {
				b = append(b, text[k])
			}
		}
		yield(b)
		i = end
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// fnv64 constants (FNV-1a, as hash/fnv), inlined so that hashing a shingle
// allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// shingles returns the sorted distinct FNV-1a hashes of the word n-grams
// of ws (each word followed by a space).
func shingles(ws []string, n int) []uint64 {
	if len(ws) < n {
		return nil
	}
	out := make([]uint64, 0, len(ws)-n+1)
	for i := 0; i+n <= len(ws); i++ {
		h := uint64(fnvOffset)
		for _, w := range ws[i : i+n] {
			for k := 0; k < len(w); k++ {
				h ^= uint64(w[k])
				h *= fnvPrime
			}
			h ^= ' '
			h *= fnvPrime
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
