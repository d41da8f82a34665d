package summarize

import (
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
)

// item is one article prepared for clustering and ranking.
type item struct {
	a    news.Article
	when time.Time
	// words: stemmed content words of title + lead, for same-language
	// similarity (term → count).
	words map[string]float64
	// anchors: what reads the same in German and English — names, product
	// codes, numbers, month names and glossary concepts — for similarity
	// across languages.
	anchors  map[string]float64
	shingles map[uint64]struct{}
	emb      []float32

	// Sorted forms of the above for the pairwise loop, which dominates
	// clustering time: merging sorted slices is several times faster than
	// map lookups.
	wordVec, anchorVec sparse
	shingleSet         []uint64
}

// sparse is a vector as sorted feature ids and their values.
type sparse struct {
	ids  []int32
	vals []float64
}

func toSparse(m map[string]float64, dict map[string]int32) sparse {
	v := sparse{ids: make([]int32, 0, len(m)), vals: make([]float64, 0, len(m))}
	for k := range m {
		id, ok := dict[k]
		if !ok {
			id = int32(len(dict))
			dict[k] = id
		}
		v.ids = append(v.ids, id)
	}
	slices.Sort(v.ids)
	inv := make(map[int32]string, len(m))
	for k := range m {
		inv[dict[k]] = k
	}
	for _, id := range v.ids {
		v.vals = append(v.vals, m[inv[id]])
	}
	return v
}

// dot of two unit sparse vectors is their cosine; it also counts shared
// features.
func (a sparse) dot(b sparse) (float64, int) {
	var s float64
	n := 0
	for i, j := 0, 0; i < len(a.ids) && j < len(b.ids); {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			s += a.vals[i] * b.vals[j]
			n++
			i++
			j++
		}
	}
	return s, n
}

func sortedSet(m map[uint64]struct{}) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// jaccardSorted is the Jaccard similarity of two sorted sets.
func jaccardSorted(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func (it *item) lang() string { return it.a.Language }

// when an article happened: published, else fetched.
func articleTime(a news.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FetchedAt
}

var numberRe = regexp.MustCompile(`\d[\d.,]*\d|\d`)

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

// newItem extracts the features of one article.
func newItem(a news.Article, langs *lang.Registry, g *Glossary, maxLead int) *item {
	title := normalizeSpace(a.Title)
	body := lead(a.Text, maxLead)
	if body == "" {
		body = normalizeSpace(a.Description)
	}
	text := title + "\n" + body
	it := &item{a: a, when: articleTime(a), words: map[string]float64{}, anchors: map[string]float64{}}
	code := a.Language
	ws := lang.Words(text)
	titleWords := len(lang.Words(title))
	for i, w := range ws {
		if len([]rune(w)) < 2 || langs.IsStopword(w) {
			continue
		}
		weight := 1.0
		if i < titleWords {
			weight = 2 // a title word says more about the story than a body word
		}
		it.words[langs.Get(code).Stem(w)] += weight
		if m, ok := months[w]; ok {
			it.anchors[m] += weight
		}
	}
	// Numbers, with separators removed so "3.000" (de) and "3,000" (en)
	// meet; single digits are too common to tell stories apart.
	for _, n := range numberRe.FindAllString(text, -1) {
		d := strings.NewReplacer(".", "", ",", "").Replace(n)
		if len(d) >= 2 {
			it.anchors["#"+d]++
		}
	}
	lower := strings.ToLower(text)
	for i, t := range g.Terms {
		for _, f := range t.forms(code) {
			if strings.Contains(lower, f) {
				it.anchors["g"+strconv.Itoa(i)]++
				break
			}
		}
	}
	it.shingles = shingles(lang.Words(body), 4)
	return it
}

// addSharedAnchors adds, as anchors, the words that occur in articles of
// more than one language in this batch: in a German and an English text the
// words they share are the names (Nvidia, Huawei, DeepSeek, Ascend) and
// loanwords, which is what cross-language clustering needs.
func addSharedAnchors(items []*item, langs *lang.Registry) {
	seenIn := map[string]map[string]bool{}
	raw := make([]map[string]float64, len(items))
	for i, it := range items {
		raw[i] = map[string]float64{}
		for _, w := range lang.Words(normalizeSpace(it.a.Title) + " " + lead(it.a.Text, 1500)) {
			if len([]rune(w)) < 3 || langs.IsStopword(w) || numberRe.MatchString(w) && isDigits(w) {
				continue
			}
			raw[i][w]++
			if seenIn[w] == nil {
				seenIn[w] = map[string]bool{}
			}
			seenIn[w][it.lang()] = true
		}
	}
	for i, it := range items {
		for w, n := range raw[i] {
			if len(seenIn[w]) > 1 || hasDigit(w) {
				it.anchors["w:"+w] += n
			}
		}
	}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

// shingles hashes the word n-grams of ws: the fingerprint of a text, equal
// for syndicated copies whatever their headline or boilerplate.
func shingles(ws []string, n int) map[uint64]struct{} {
	out := map[uint64]struct{}{}
	for i := 0; i+n <= len(ws); i++ {
		h := fnv.New64a()
		for _, w := range ws[i : i+n] {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		out[h.Sum64()] = struct{}{}
	}
	return out
}

// idf is the smoothed inverse document frequency of each key over vectors.
func idf(vecs []map[string]float64) map[string]float64 {
	df := map[string]int{}
	for _, v := range vecs {
		for k := range v {
			df[k]++
		}
	}
	n := float64(len(vecs))
	out := make(map[string]float64, len(df))
	for k, d := range df {
		out[k] = math.Log(1 + n/float64(d))
	}
	return out
}

// weigh turns counts into unit-length TF-IDF vectors in place.
func weigh(v map[string]float64, w map[string]float64) {
	var norm float64
	for k, c := range v {
		x := (1 + math.Log(c)) * w[k]
		v[k] = x
		norm += x * x
	}
	if norm == 0 {
		return
	}
	norm = math.Sqrt(norm)
	for k := range v {
		v[k] /= norm
	}
}

func cosine32(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var d, na, nb float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return d / math.Sqrt(na*nb)
}
