package summarize

import (
	"context"
	"errors"

	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// cluster groups items reporting the same story (package cluster), with
// embeddings when configured and the LLM server has them. It returns
// groups of indices into items.
func (s *Stage) cluster(ctx context.Context, items []*item) [][]int {
	if s.cfg.Cluster.UseEmbeddings && s.llm != nil && len(items) > 0 {
		s.embed(ctx, items)
	}
	docs := make([]*cluster.Doc, len(items))
	for i, it := range items {
		docs[i] = it.doc
	}
	return s.clusterer.Group(docs)
}

// pairSim is the similarity of two clustered articles divided by the
// threshold, so that 1 means "same story".
func (s *Stage) pairSim(a, b *item) float64 { return s.clusterer.Similarity(a.doc, b.doc) }

// embed asks the LLM server for embeddings of title + lead. Without them
// (llm.ErrNoEmbeddings, or any failure) clustering stays lexical.
func (s *Stage) embed(ctx context.Context, items []*item) {
	inputs := make([]string, len(items))
	for i, it := range items {
		inputs[i] = normalizeSpace(it.a.Title) + "\n" + lead(it.a.Text, s.cfg.Cluster.MaxLeadChars)
	}
	vecs, err := s.llm.Embed(ctx, inputs)
	if err != nil || len(vecs) != len(items) {
		if err != nil && !errors.Is(err, llm.ErrNoEmbeddings) {
			s.log.Warn("embeddings failed; clustering on text features", "err", err)
		}
		return
	}
	for i := range items {
		items[i].doc.SetEmbedding(vecs[i])
	}
}

// concepts lends the clusterer the glossary's terms: per term its
// lower-cased forms in lang.
func (g *Glossary) concepts(lang string) [][]string {
	out := make([][]string, len(g.Terms))
	for i, t := range g.Terms {
		out[i] = t.forms(lang)
	}
	return out
}
