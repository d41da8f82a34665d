package summarize

import (
	"context"
	"errors"
	"slices"

	"github.com/newsdesk/newsdesk/summarize/llm"
)

// nearDuplicate is the shingle Jaccard from which two texts are copies of
// one another (syndicated wire copy, a re-run with a new headline). It is
// high because outlets reuse whole background paragraphs across stories.
const nearDuplicate = 0.8

// maxWindows: articles further apart than this many time windows are never
// one story.
const maxWindows = 4

// cluster groups items reporting the same story, by average-linkage
// agglomerative clustering over a pairwise similarity normalized so that 1
// is the configured threshold. Average linkage, unlike single linkage, does
// not chain two different stories together through one article that
// mentions both. It returns groups of indices into items.
func (s *Stage) cluster(ctx context.Context, items []*item) [][]int {
	n := len(items)
	if n == 0 {
		return nil
	}
	addSharedAnchors(items, s.langs)
	ws := make([]map[string]float64, n)
	as := make([]map[string]float64, n)
	for i, it := range items {
		ws[i], as[i] = it.words, it.anchors
	}
	wi, ai := idf(ws), idf(as)
	wdict, adict := map[string]int32{}, map[string]int32{}
	for _, it := range items {
		weigh(it.words, wi)
		weigh(it.anchors, ai)
		it.wordVec, it.anchorVec = toSparse(it.words, wdict), toSparse(it.anchors, adict)
		it.shingleSet = sortedSet(it.shingles)
	}
	if s.cfg.Cluster.UseEmbeddings && s.llm != nil {
		s.embed(ctx, items)
	}
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := s.pairSim(items[i], items[j])
			sim[i][j], sim[j][i] = v, v
		}
	}
	size := make([]int, n)
	members := make([][]int, n)
	for i := range n {
		size[i] = 1
		members[i] = []int{i}
	}
	active := make([]bool, n)
	for i := range active {
		active[i] = true
	}
	for {
		bi, bj, best := -1, -1, 1.0
		for i := 0; i < n; i++ {
			if !active[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if active[j] && sim[i][j] >= best {
					bi, bj, best = i, j, sim[i][j]
				}
			}
		}
		if bi < 0 {
			break
		}
		// Lance–Williams update for average linkage.
		for k := 0; k < n; k++ {
			if !active[k] || k == bi || k == bj {
				continue
			}
			v := (float64(size[bi])*sim[bi][k] + float64(size[bj])*sim[bj][k]) / float64(size[bi]+size[bj])
			sim[bi][k], sim[k][bi] = v, v
		}
		size[bi] += size[bj]
		members[bi] = append(members[bi], members[bj]...)
		active[bj] = false
	}
	var groups [][]int
	for i := range n {
		if active[i] {
			slices.Sort(members[i])
			groups = append(groups, members[i])
		}
	}
	return groups
}

// pairSim is the similarity of two articles divided by the threshold, so
// that 1 means "same story".
func (s *Stage) pairSim(a, b *item) float64 {
	// Beyond the time window the evidence must be proportionally stronger,
	// and past four windows two articles are never one story: a follow-up
	// days later with the same names is still the story readers saw, but
	// a month later it is a new one.
	damp := 1.0
	if !a.when.IsZero() && !b.when.IsZero() {
		d := a.when.Sub(b.when)
		if d < 0 {
			d = -d
		}
		if d > maxWindows*s.cfg.Cluster.TimeWindow {
			return 0
		}
		if d > s.cfg.Cluster.TimeWindow {
			damp = float64(s.cfg.Cluster.TimeWindow) / float64(d)
		}
	}
	// Anchors (names, product codes, numbers, glossary concepts) decide,
	// in one language or across two: they are what tells one export-rule
	// story from the next, where ordinary words are shared by every story
	// of a kind. One shared name ("Nvidia") is not a story: at least two.
	score := 0.0
	c, shared := a.anchorVec.dot(b.anchorVec)
	if shared >= 2 {
		score = c / s.cfg.Cluster.Threshold
	}
	// In one language, near-identical wording also makes one story
	// (a rewrite of the same report).
	if a.lang() == b.lang() {
		if w, _ := a.wordVec.dot(b.wordVec); w/s.cfg.Cluster.TextThreshold > score {
			score = w / s.cfg.Cluster.TextThreshold
		}
	}
	if a.emb != nil && b.emb != nil {
		if e := cosine32(a.emb, b.emb) / s.cfg.Cluster.EmbeddingThreshold; e > score {
			score = e
		}
	}
	// Copies share their names and numbers, so only pairs sharing anchors
	// need the (costlier) shingle comparison.
	if score < 2 && shared >= 2 && jaccardSorted(a.shingleSet, b.shingleSet) >= nearDuplicate {
		score = 2 // copies of one text are one story whatever else differs
	}
	return score * damp
}

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
		items[i].emb = vecs[i]
	}
}
