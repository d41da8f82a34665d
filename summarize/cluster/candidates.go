package cluster

import (
	"cmp"
	"math"
	"slices"
)

// margin keeps the filters below exact: a pair is dropped only when its
// bound is short of the threshold by more than rounding could explain.
const margin = 1e-9

// edge is a pair of docs, i < j, that are one story on their own
// (Similarity ≥ 1).
type edge struct{ i, j int32 }

// edges finds every pair with Similarity ≥ 1 without comparing all pairs.
// Similarity reaches 1 only if one of its parts does: anchor cosine ≥
// Threshold, word cosine ≥ TextThreshold (one language), embedding cosine
// ≥ EmbeddingThreshold, or shingle Jaccard ≥ nearDuplicate; time only
// lowers it. Each part has a filter that lets through every pair that may
// reach it, and each pair let through is then scored exactly.
//
// Cosines (the all-pairs algorithm of Bayardo, Ma and Srikant, 2007): a
// unit vector's features run from the most frequent; the longest run of
// them whose norm stays below the threshold t (the vector's rest) is left
// out of the index. x·y ≥ t needs the indexed part of x to contribute more
// than t − ‖rest‖, so a pair is found through a feature the indexed part of
// x shares with y, and scored only if that sum plus ‖rest‖ reaches t. The
// frequent, low-weight features are the ones left out, so the posting
// lists stay short.
//
// Jaccard (prefix filtering): with shingles ordered from the rarest, two
// sets with Jaccard ≥ t share one of the first |x| − ⌈t·|x|⌉ + 1 shingles
// of each.
//
// Embeddings have no index: every pair with vectors is compared (the cost
// of use_embeddings grows with the square of the batch).
//
// Docs are taken in order; each is looked up among the earlier ones and
// then added to the indexes.
func (c *Clusterer) edges(docs []*Doc) []edge {
	n := len(docs)
	var nAnchors, nWords int32
	for _, d := range docs {
		nAnchors = max(nAnchors, last(d.anchorVec.ids)+1)
		nWords = max(nWords, last(d.wordVec.ids)+1)
	}
	anchors := newCosineIndex(nAnchors, n, c.cfg.Threshold)
	words := newCosineIndex(nWords, n, c.cfg.TextThreshold)
	copies := newJaccardIndex(docs, nearDuplicate)
	var embNorm []float64
	for i, d := range docs {
		if d.emb != nil {
			if embNorm == nil {
				embNorm = make([]float64, n)
			}
			embNorm[i] = norm32(d.emb)
		}
	}

	type scratch struct {
		anchorSum, wordSum float64
		copy               bool
	}
	seen := make([]int32, n)   // y+1 when x is already a candidate of y
	scored := make([]int32, n) // y+1 when x and y have been scored
	acc := make([]scratch, n)
	var cands []int32
	var out []edge
	for y, dy := range docs {
		stamp := int32(y + 1)
		cands = cands[:0]
		touch := func(x int32) *scratch {
			if seen[x] != stamp {
				seen[x] = stamp
				acc[x] = scratch{}
				cands = append(cands, x)
			}
			return &acc[x]
		}
		anchors.probe(dy.anchorVec, func(x int32, p float64) { touch(x).anchorSum += p })
		words.probe(dy.wordVec, func(x int32, p float64) {
			if docs[x].lang == dy.lang {
				touch(x).wordSum += p
			}
		})
		copies.probe(y, func(x int32) { touch(x).copy = true })
		for _, x := range cands {
			a := acc[x]
			if a.copy || anchors.mayReach(x, a.anchorSum) || words.mayReach(x, a.wordSum) {
				scored[x] = stamp
				if c.similarity(docs[x], dy, a.copy) >= 1 {
					out = append(out, edge{x, int32(y)})
				}
			}
		}
		if dy.emb != nil {
			for x := range y {
				if scored[x] == stamp || docs[x].emb == nil || embNorm[x] == 0 || embNorm[y] == 0 {
					continue
				}
				if dot32(docs[x].emb, dy.emb)/math.Sqrt(embNorm[x]*embNorm[y]) >= c.cfg.EmbeddingThreshold-margin &&
					c.similarity(docs[x], dy, false) >= 1 {
					out = append(out, edge{int32(x), int32(y)})
				}
			}
		}
		anchors.add(int32(y), dy.anchorVec)
		words.add(int32(y), dy.wordVec)
		copies.add(y)
	}
	return out
}

func last(ids []int32) int32 {
	if len(ids) == 0 {
		return -1
	}
	return ids[len(ids)-1]
}

// cosineIndex finds, for a unit vector, the earlier vectors whose cosine
// with it may reach t.
type cosineIndex struct {
	t        float64
	postings [][]posting // by feature id
	rest     []float64   // by doc: norm of the part left out of the index
}

type posting struct {
	doc int32
	val float64
}

func newCosineIndex(features int32, docs int, t float64) *cosineIndex {
	return &cosineIndex{t: t - margin, postings: make([][]posting, features), rest: make([]float64, docs)}
}

// add indexes v of doc x, but for its longest leading run of features
// whose norm stays below t.
func (ix *cosineIndex) add(x int32, v sparse) {
	var sq float64
	k := 0
	for ; k < len(v.vals); k++ {
		if s := sq + v.vals[k]*v.vals[k]; s >= ix.t*ix.t {
			break
		} else {
			sq = s
		}
	}
	ix.rest[x] = math.Sqrt(sq)
	for i := k; i < len(v.ids); i++ {
		ix.postings[v.ids[i]] = append(ix.postings[v.ids[i]], posting{x, v.vals[i]})
	}
}

// probe calls f for each indexed doc sharing an indexed feature with v,
// with the product of their values in it (once per feature).
func (ix *cosineIndex) probe(v sparse, f func(x int32, product float64)) {
	for i, id := range v.ids {
		for _, p := range ix.postings[id] {
			f(p.doc, p.val*v.vals[i])
		}
	}
}

// mayReach reports whether x's cosine with the probed vector may reach t,
// given the sum of products over x's indexed features.
func (ix *cosineIndex) mayReach(x int32, sum float64) bool {
	return sum+ix.rest[x] >= ix.t
}

// jaccardIndex finds, for a doc, the earlier docs whose shingle sets may
// have a Jaccard similarity of at least t with its own.
type jaccardIndex struct {
	t        float64
	postings map[uint64][]shinglePos
	prefix   [][]uint64 // by doc: its rarest shingles, as many as the filter needs
	size     []int      // by doc: its number of shingles
	state    []int32    // by doc: how many prefix shingles it shares with the probe, -1: ruled out
	stamp    []int32    // by doc: the probe state was last set for, +1
	met      []int32    // the docs the probe met
}

type shinglePos struct {
	doc, pos int32
}

func newJaccardIndex(docs []*Doc, t float64) *jaccardIndex {
	df := map[uint64]int32{}
	for _, d := range docs {
		for _, h := range d.shingles {
			df[h]++
		}
	}
	n := len(docs)
	ix := &jaccardIndex{t: t, postings: map[uint64][]shinglePos{}, prefix: make([][]uint64, n),
		size: make([]int, n), state: make([]int32, n), stamp: make([]int32, n)}
	type ranked struct {
		df int32
		h  uint64
	}
	var order []ranked
	for i, d := range docs {
		ix.size[i] = len(d.shingles)
		if len(d.shingles) == 0 {
			continue
		}
		order = order[:0]
		for _, h := range d.shingles {
			order = append(order, ranked{df[h], h})
		}
		slices.SortFunc(order, func(a, b ranked) int {
			if c := cmp.Compare(a.df, b.df); c != 0 {
				return c
			}
			return cmp.Compare(a.h, b.h)
		})
		p := min(len(order)-int(math.Ceil(t*float64(len(order))-margin))+1, len(order))
		ix.prefix[i] = make([]uint64, p)
		for k := range p {
			ix.prefix[i][k] = order[k].h
		}
	}
	return ix
}

// probe calls f for each earlier doc that shares a prefix shingle with y
// and may still reach t. Shingles come in one global order, so when the
// probe meets a shared one at position j of y's prefix and i of x's, every
// shared shingle before it has been met; at most min(|x|−i, |y|−j) − 1
// more can follow. If that cannot make the overlap Jaccard t needs
// (t·(|x|+|y|)/(1+t)), x is ruled out (the positional filter of PPJoin,
// Xiao et al., 2008). After the probe, the shared shingles not met are
// past the end of x's prefix or of y's, which bounds the overlap again.
func (ix *jaccardIndex) probe(y int, f func(x int32)) {
	stamp := int32(y + 1)
	met := ix.met[:0]
	for j, h := range ix.prefix[y] {
		for _, p := range ix.postings[h] {
			x := p.doc
			if ix.stamp[x] != stamp {
				ix.stamp[x], ix.state[x] = stamp, 0
				met = append(met, x)
			}
			if ix.state[x] < 0 {
				continue
			}
			ix.state[x]++
			need := int32(math.Ceil(ix.t*float64(ix.size[x]+ix.size[y])/(1+ix.t) - margin))
			if ix.state[x]+int32(min(ix.size[x]-int(p.pos), ix.size[y]-j))-1 < need {
				ix.state[x] = -1
			}
		}
	}
	// Shared shingles not met lie past the end of x's prefix or of y's.
	py := len(ix.prefix[y])
	for _, x := range met {
		c := ix.state[x]
		if c <= 0 {
			continue
		}
		px := len(ix.prefix[x])
		need := int32(math.Ceil(ix.t*float64(ix.size[x]+ix.size[y])/(1+ix.t) - margin))
		if c+int32(max(ix.size[x]-px, ix.size[y]-py)) >= need {
			f(x)
		}
	}
	ix.met = met
}

func (ix *jaccardIndex) add(y int) {
	for i, h := range ix.prefix[y] {
		ix.postings[h] = append(ix.postings[h], shinglePos{int32(y), int32(i)})
	}
}

func dot32(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	return d
}

func norm32(a []float32) float64 { return dot32(a, a) }
