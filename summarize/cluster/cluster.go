package cluster

import (
	"sync"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Clusterer groups articles into stories. It is safe for concurrent use;
// the Docs of one Group call belong to that call until it returns.
type Clusterer struct {
	cfg      Config
	langs    *lang.Registry
	concepts func(lang string) [][]string

	mu    sync.Mutex
	forms map[string][][]string // concepts by language, asked once
}

// New returns a Clusterer. cfg must be defaulted and valid. langs gives
// each article's stemmer; a word that is a stopword of any of its
// languages is no feature. concepts, which
// may be nil, lists for a language the concepts that read differently in
// every language ("export controls", "Exportkontrollen"): per concept its
// lower-cased forms in that language. A concept found in two articles is an
// anchor they share, whatever their languages.
func New(cfg Config, langs *lang.Registry, concepts func(lang string) [][]string) *Clusterer {
	return &Clusterer{cfg: cfg, langs: langs, concepts: concepts, forms: map[string][][]string{}}
}

func (c *Clusterer) conceptForms(lang string) [][]string {
	if c.concepts == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.forms[lang]
	if !ok {
		f = c.concepts(lang)
		c.forms[lang] = f
	}
	return f
}

// Group returns the stories among docs: groups of indices into docs, each
// group ascending, the groups ordered by their first index. Every doc is in
// exactly one group. Group first weighs the docs' features against one
// another (which Similarity and Doc.Anchors then use).
//
// Stories are made by average-linkage agglomerative clustering over
// Similarity: the two most similar groups merge, as long as their average
// pairwise similarity is at least 1. Average linkage, unlike single
// linkage, does not chain two different stories together through one
// article that mentions both.
//
// It does so without comparing all pairs. Two groups can only merge when
// some pair of their articles is similar enough on its own (an average is
// never above its largest term), so every story lies within one connected
// component of the graph of such pairs, and merges in one component change
// nothing in another. Group finds those pairs through inverted indexes with
// prefix filtering (see candidates.go), then clusters each component on
// its own (see linkage.go). The result is exactly that of clustering all
// articles at once.
func (c *Clusterer) Group(docs []*Doc) [][]int {
	if len(docs) == 0 {
		return nil
	}
	weigh(docs)
	return c.link(docs, c.edges(docs))
}
