package cluster

import "math"

// nearDuplicate is the shingle Jaccard from which two texts are copies of
// one another (syndicated wire copy, a re-run with a new headline). It is
// high because outlets reuse whole background paragraphs across stories.
const nearDuplicate = 0.8

// maxWindows: articles further apart than this many time windows are never
// one story.
const maxWindows = 4

// sparse is a vector as ascending feature ids and their values.
type sparse struct {
	ids  []int32
	vals []float64
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

// Similarity is how alike two articles of the last grouped batch are,
// divided by the threshold, so that 1 means "same story".
func (c *Clusterer) Similarity(a, b *Doc) float64 { return c.similarity(a, b, true) }

// similarity is Similarity; mayCopy false says the shingle filter has
// ruled out that a and b are copies, which spares the comparison.
func (c *Clusterer) similarity(a, b *Doc, mayCopy bool) float64 {
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
		if d > maxWindows*c.cfg.TimeWindow {
			return 0
		}
		if d > c.cfg.TimeWindow {
			damp = float64(c.cfg.TimeWindow) / float64(d)
		}
	}
	// Anchors (names, product codes, numbers, glossary concepts) decide,
	// in one language or across two: they are what tells one export-rule
	// story from the next, where ordinary words are shared by every story
	// of a kind. One shared name ("Nvidia") is not a story: at least two.
	score := 0.0
	v, shared := a.anchorVec.dot(b.anchorVec)
	if shared >= 2 {
		score = v / c.cfg.Threshold
	}
	// In one language, near-identical wording also makes one story
	// (a rewrite of the same report).
	if a.lang == b.lang {
		if w, _ := a.wordVec.dot(b.wordVec); w/c.cfg.TextThreshold > score {
			score = w / c.cfg.TextThreshold
		}
	}
	if a.emb != nil && b.emb != nil {
		if e := cosine32(a.emb, b.emb) / c.cfg.EmbeddingThreshold; e > score {
			score = e
		}
	}
	// Copies share their names and numbers, so only pairs sharing anchors
	// need the (costlier) shingle comparison.
	if mayCopy && score < 2 && shared >= 2 && jaccard(a.shingles, b.shingles) >= nearDuplicate {
		score = 2 // copies of one text are one story whatever else differs
	}
	return score * damp
}

// Copies reports whether two articles are copies of one text (syndicated
// wire copy under another headline): their shingle sets are near equal.
func Copies(a, b *Doc) bool { return jaccard(a.shingles, b.shingles) >= nearDuplicate }

// jaccard is the Jaccard similarity of two sorted sets.
func jaccard(a, b []uint64) float64 {
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
