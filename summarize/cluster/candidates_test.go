package cluster

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomUnitVectors are n sparse unit vectors over f features, feature 0
// the most frequent, as weigh numbers them. Vectors come in families that
// share most features, so that many pairs lie near any threshold.
func randomUnitVectors(r *rand.Rand, n, f int) []sparse {
	out := make([]sparse, n)
	var family map[int32]float64
	for i := range out {
		if i%6 == 0 {
			family = map[int32]float64{}
			for range 4 + r.IntN(12) {
				family[int32(math.Sqrt(r.Float64())*float64(f))] = 0.1 + r.Float64()
			}
		}
		m := map[int32]float64{}
		// In key order: the draws below must not follow the map's random
		// iteration order, or each run tests other vectors.
		for _, k := range slices.Sorted(maps.Keys(family)) {
			if r.IntN(4) > 0 {
				m[k] = family[k] * (0.5 + r.Float64())
			}
		}
		for range r.IntN(6) {
			m[int32(r.ExpFloat64()*float64(f)/8)%int32(f)] = 0.1 + r.Float64()
		}
		var v sparse
		for k := range m {
			v.ids = append(v.ids, k)
		}
		slices.Sort(v.ids)
		var norm float64
		for _, k := range v.ids {
			v.vals = append(v.vals, m[k])
			norm += m[k] * m[k]
		}
		for j := range v.vals {
			v.vals[j] /= math.Sqrt(norm)
		}
		out[i] = v
	}
	return out
}

// TestCosineIndexMissesNothing: every pair with a cosine of at least t
// passes the filter, at thresholds with many pairs close by.
func TestCosineIndexMissesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 4))
	const n, f = 400, 80
	vecs := randomUnitVectors(r, n, f)
	for _, th := range []float64{0.2, 0.45, 0.6, 0.85} {
		ix := newCosineIndex(f, n, th)
		sums := make([]float64, n)
		near, above, passed := 0, 0, 0
		for y, v := range vecs {
			clear(sums)
			ix.probe(v, func(x int32, p float64) { sums[x] += p })
			for x := range y {
				dot, _ := vecs[x].dot(v)
				ok := ix.mayReach(int32(x), sums[x])
				if ok {
					passed++
				}
				if dot >= th {
					above++
					if !ok {
						t.Errorf("t=%v: pair %d,%d with cosine %v filtered out", th, x, y, dot)
					}
				}
				if math.Abs(dot-th) < 0.02 {
					near++
				}
			}
			ix.add(int32(y), v)
		}
		if near < 20 || above == 0 {
			t.Errorf("t=%v: %d pairs above, %d within 0.02: the vectors test too little", th, above, near)
		}
		t.Logf("t=%v: %d of %d pairs pass the filter, %d reach t, %d within 0.02 of it", th, passed, n*(n-1)/2, above, near)
	}
}

// TestJaccardIndexMissesNothing: every pair of shingle sets with a Jaccard
// similarity of at least t is reported.
func TestJaccardIndexMissesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 300
	docs := make([]*Doc, n)
	var base []uint64
	keep := 0 // of 100, per family: how alike its members are
	for i := range docs {
		if i%5 == 0 { // a family of near copies
			base = base[:0]
			for range 20 + r.IntN(200) {
				base = append(base, r.Uint64N(5000))
			}
			keep = 80 + r.IntN(21)
		}
		var s []uint64
		for _, h := range base {
			if r.IntN(100) < keep {
				s = append(s, h)
			}
		}
		for range r.IntN(8) {
			s = append(s, r.Uint64N(5000))
		}
		slices.Sort(s)
		docs[i] = &Doc{shingles: slices.Compact(s)}
	}
	for _, th := range []float64{0.6, 0.8, 0.9} {
		ix := newJaccardIndex(docs, th)
		near, above := 0, 0
		for y := range docs {
			found := map[int32]bool{}
			ix.probe(y, func(x int32) { found[x] = true })
			for x := range y {
				j := jaccard(docs[x].shingles, docs[y].shingles)
				if j >= th {
					above++
					if !found[int32(x)] {
						t.Errorf("t=%v: pair %d,%d with Jaccard %v not found", th, x, y, j)
					}
				}
				if math.Abs(j-th) < 0.03 {
					near++
				}
			}
			ix.add(y)
		}
		if near < 20 || above == 0 {
			t.Errorf("t=%v: %d pairs above, %d within 0.03: the sets test too little", th, above, near)
		}
		t.Logf("t=%v: %d pairs reach t, %d within 0.03 of it", th, above, near)
	}
}
