package cluster

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// testConcepts are a few of the topic glossary's terms, enough for the
// synthetic day's texts to share concepts across languages.
func testConcepts(lang string) [][]string {
	if lang == "de" {
		return [][]string{{"exportkontrollen", "exportkontrolle"}, {"rechenzentren", "rechenzentrum"}, {"offenen gewichten"}}
	}
	return [][]string{{"export controls"}, {"data centre"}, {"open-weight"}}
}

func newTestClusterer(cfg Config) *Clusterer {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	return New(cfg, lang.Default(), testConcepts)
}

// leadOf is the first paragraphs of text up to about max bytes, as the
// summarize stage gives clustering.
func leadOf(text string, max int) string {
	var out []string
	n := 0
	for _, p := range strings.Split(text, "\n\n") {
		if n > 0 && n+len(p) > max {
			break
		}
		out = append(out, p)
		n += len(p) + 2
	}
	return strings.Join(out, "\n\n")
}

func toArticles(as []news.Article) []Article {
	out := make([]Article, len(as))
	for i, a := range as {
		out[i] = Article{Language: a.Language, Time: a.Published, Title: a.Title, Body: leadOf(a.Text, DefaultMaxLeadChars)}
	}
	return out
}

func docsOf(c *Clusterer, as []Article) []*Doc {
	ex := c.Extractor()
	docs := make([]*Doc, len(as))
	for i, a := range as {
		docs[i] = ex.Doc(a)
	}
	return docs
}

var day = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

// batch is a test input: a configuration and the articles to group.
type batch struct {
	name     string
	cfg      Config
	articles []Article
	emb      [][]float32
}

// batches are the inputs on which Group must equal allPairs: synthetic
// days under the default configuration and under settings that make
// components large (low thresholds), make time count (a short window,
// articles without a time), make ties (exact copies) and add embeddings.
func batches() []batch {
	var out []batch
	for _, seed := range []uint64{1, 2, 3} {
		as := toArticles(summarizetest.SynthDay(seed, 300, day))
		out = append(out,
			batch{name: fmt.Sprintf("default/%d", seed), articles: as},
			batch{name: fmt.Sprintf("loose/%d", seed), cfg: Config{Threshold: 0.15, TextThreshold: 0.4}, articles: as},
		)
	}
	// A week: articles spread over days, a one-hour window, some undated.
	r := rand.New(rand.NewPCG(4, 4))
	week := toArticles(summarizetest.SynthDay(4, 300, day))
	for i := range week {
		if r.IntN(10) == 0 {
			week[i].Time = time.Time{}
		} else {
			week[i].Time = week[i].Time.Add(time.Duration(r.IntN(7*24)) * time.Hour)
		}
	}
	out = append(out, batch{name: "week", cfg: Config{TimeWindow: time.Hour, Threshold: 0.3}, articles: week})
	// Exact copies: many pairs with equal similarity.
	dup := toArticles(summarizetest.SynthDay(5, 150, day))
	for i := 0; i < 150; i += 3 {
		dup = append(dup, dup[i], dup[i])
	}
	out = append(out, batch{name: "copies", articles: dup})
	// Embeddings: per event a direction, per article some noise; every
	// fifth article has none.
	es := summarizetest.SynthDay(6, 200, day)
	emb := make([][]float32, len(es))
	base := map[string][]float32{}
	for i, a := range es {
		if i%5 == 4 {
			continue
		}
		ev := a.URL[strings.LastIndex(a.URL, "/")+1 : strings.LastIndex(a.URL, "-")]
		if base[ev] == nil {
			base[ev] = randomVector(r, 32, nil, 1)
		}
		emb[i] = randomVector(r, 32, base[ev], 0.3)
	}
	out = append(out, batch{name: "embeddings", cfg: Config{EmbeddingThreshold: 0.9}, articles: toArticles(es), emb: emb})
	return out
}

func randomVector(r *rand.Rand, n int, base []float32, noise float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		if base != nil {
			v[i] = base[i]
		}
		v[i] += float32(r.NormFloat64() * noise)
	}
	return v
}

func (b batch) docs(c *Clusterer) []*Doc {
	docs := docsOf(c, b.articles)
	for i, v := range b.emb {
		docs[i].SetEmbedding(v)
	}
	return docs
}

// TestEdgesAreAllPairsAboveOne: the indexes find exactly the pairs that
// comparing all pairs finds.
func TestEdgesAreAllPairsAboveOne(t *testing.T) {
	for _, b := range batches() {
		t.Run(b.name, func(t *testing.T) {
			c := newTestClusterer(b.cfg)
			docs := b.docs(c)
			weigh(docs)
			got, want := c.edges(docs), c.allEdges(docs)
			order := func(a, b edge) int { return cmp.Or(cmp.Compare(a.j, b.j), cmp.Compare(a.i, b.i)) }
			slices.SortFunc(got, order)
			if !slices.Equal(got, want) {
				t.Errorf("%d edges, all pairs give %d", len(got), len(want))
			}
			if len(want) == 0 {
				t.Error("no edges: the batch tests nothing")
			}
			t.Logf("%d docs, %d edges", len(docs), len(want))
		})
	}
}

// TestGroupIsAllPairs: Group makes exactly the groups of the textbook
// algorithm.
func TestGroupIsAllPairs(t *testing.T) {
	for _, b := range batches() {
		t.Run(b.name, func(t *testing.T) {
			c := newTestClusterer(b.cfg)
			got := c.Group(b.docs(c))
			want := c.allPairs(b.docs(c))
			if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
				t.Errorf("Group made %d groups, all pairs %d:\n got %v\nwant %v", len(got), len(want), got, want)
			}
			multi := 0
			for _, g := range want {
				if len(g) > 1 {
					multi++
				}
			}
			if multi == 0 {
				t.Error("no group of two or more: the batch tests nothing")
			}
			t.Logf("%d docs, %d groups, %d of them with more than one", len(b.articles), len(want), multi)
		})
	}
}

func TestGroupEmptyAndSingle(t *testing.T) {
	c := newTestClusterer(Config{})
	if g := c.Group(nil); g != nil {
		t.Errorf("Group(nil) = %v", g)
	}
	docs := docsOf(c, []Article{{Language: "en", Title: "Nvidia", Body: ""}})
	if g := c.Group(docs); len(g) != 1 || len(g[0]) != 1 {
		t.Errorf("one doc: %v", g)
	}
}

var numberRe = regexp.MustCompile(`\d[\d.,]*\d|\d`)

// numbersByRegexp is what numbers must equal: the regexp's matches with
// the separators removed.
func numbersByRegexp(text string) []string {
	var out []string
	for _, m := range numberRe.FindAllString(text, -1) {
		out = append(out, strings.NewReplacer(".", "", ",", "").Replace(m))
	}
	return out
}

func numbersOf(text string) []string {
	var out []string
	numbers(text, func(d []byte) { out = append(out, string(d)) })
	return out
}

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"3.000 Dollar, 3,000 dollars", []string{"3000", "3000"}},
		{"H20 und 910C", []string{"20", "910"}},
		{"Version 1.2.,3,, und 5.", []string{"123", "5"}},
		{"1,5 Milliarden / 1.5 billion", []string{"15", "15"}},
		{".,5,.", []string{"5"}},
		{"keine Zahl", nil},
		{"٣ Arabic-Indic digits are not \\d", nil},
	} {
		if got := numbersOf(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("numbers(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if got := numbersByRegexp(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("regexp on %q = %q, want %q (the table is wrong)", tt.text, got, tt.want)
		}
	}
}

func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"3.000", "1,5 / 1.5", "a1b22c333", "9.", ".9", "1..2,,3", "\xff1\xfe2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := numbersOf(text), numbersByRegexp(text); !slices.Equal(got, want) {
			t.Errorf("numbers(%q) = %q, regexp %q", text, got, want)
		}
	})
}

// FuzzGroup groups articles cut from arbitrary text, in two languages and
// with copies, and compares with the textbook algorithm; anchors must be
// valid UTF-8.
func FuzzGroup(f *testing.F) {
	for _, s := range []string{
		"Nvidia darf H20 nicht verkaufen.\n\nDas US-Handelsministerium verschärft 3.000 Regeln.\n\nNvidia H20 export controls 3,000 rules",
		"\xff\xfe\x00 bad bytes", "", strings.Repeat("Huawei Ascend 910C ", 50),
	} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, text string, cuts uint8) {
		c := newTestClusterer(Config{Threshold: 0.2, TextThreshold: 0.3})
		var as []Article
		parts := strings.Fields(text)
		k := max(1, int(cuts%8))
		for i := range 2 * k {
			lo, hi := len(parts)*(i%k)/k, len(parts)*(i%k+1)/k
			lang := []string{"de", "en"}[i%2]
			as = append(as, Article{Language: lang, Time: day.Add(time.Duration(i) * time.Hour), Title: strings.Join(parts[lo:min(hi, lo+5)], " "), Body: strings.Join(parts[lo:hi], " ")})
		}
		docs := docsOf(c, as)
		got := c.Group(docs)
		if want := c.allPairs(docsOf(c, as)); !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Errorf("Group %v, all pairs %v", got, want)
		}
		for _, d := range docs {
			for a := range d.Anchors {
				if !utf8.ValidString(a) {
					t.Errorf("invalid anchor %q", a)
				}
			}
		}
	})
}
