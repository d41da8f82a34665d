package cluster

import (
	"cmp"
	"container/heap"
	"slices"
)

// link clusters each connected component of the edges on its own and
// returns all groups, ordered by their first member.
func (c *Clusterer) link(docs []*Doc, edges []edge) [][]int {
	parent := make([]int32, len(docs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(e.i), find(e.j)
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	components := map[int32][]int{}
	for i := range docs {
		r := find(int32(i))
		components[r] = append(components[r], i) // ascending: i ascends
	}
	var out [][]int
	var al averageLinkage
	for _, members := range components {
		if len(members) == 1 {
			out = append(out, members)
			continue
		}
		out = append(out, al.run(members, func(a, b int) float64 { return c.Similarity(docs[a], docs[b]) })...)
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// averageLinkage clusters one component. It repeats the merges of the
// textbook algorithm exactly: of all pairs of clusters with an average
// similarity of at least 1 it merges the most similar, on ties the last
// pair in index order, keeping the lower index for the merged cluster and
// updating similarities by the Lance–Williams formula in the same floating
// point operations. A heap replaces the scan for the best pair. Its
// buffers are reused across components.
type averageLinkage struct {
	sim []float64 // k×k
	h   pairHeap
}

func (al *averageLinkage) run(members []int, similarity func(a, b int) float64) [][]int {
	k := len(members)
	if cap(al.sim) < k*k {
		al.sim = make([]float64, k*k)
	}
	sim := al.sim[:k*k]
	al.h = al.h[:0]
	for a := range k {
		sim[a*k+a] = 0
		for b := a + 1; b < k; b++ {
			v := similarity(members[a], members[b])
			sim[a*k+b], sim[b*k+a] = v, v
			if v >= 1 {
				al.h = append(al.h, pair{v, int32(a), int32(b)})
			}
		}
	}
	heap.Init(&al.h)
	size := make([]int, k)
	groups := make([][]int, k)
	for a := range k {
		size[a] = 1
		groups[a] = []int{members[a]}
	}
	active := make([]bool, k)
	for a := range active {
		active[a] = true
	}
	for al.h.Len() > 0 {
		p := heap.Pop(&al.h).(pair)
		a, b := int(p.a), int(p.b)
		if !active[a] || !active[b] || sim[a*k+b] != p.v {
			continue // merged away or updated since
		}
		for m := range k {
			if !active[m] || m == a || m == b {
				continue
			}
			v := (float64(size[a])*sim[a*k+m] + float64(size[b])*sim[b*k+m]) / float64(size[a]+size[b])
			sim[a*k+m], sim[m*k+a] = v, v
			if v >= 1 {
				heap.Push(&al.h, pair{v, int32(min(a, m)), int32(max(a, m))})
			}
		}
		size[a] += size[b]
		groups[a] = append(groups[a], groups[b]...)
		active[b] = false
	}
	var out [][]int
	for a := range k {
		if active[a] {
			slices.Sort(groups[a])
			out = append(out, groups[a])
		}
	}
	return out
}

// pair is two clusters (a < b, local indices) and their similarity.
type pair struct {
	v    float64
	a, b int32
}

// pairHeap pops the most similar pair first, on ties the last in index
// order, as a scan with "≥ best" over a < b ascending would find it.
type pairHeap []pair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	if h[i].v != h[j].v {
		return h[i].v > h[j].v
	}
	if h[i].a != h[j].a {
		return h[i].a > h[j].a
	}
	return h[i].b > h[j].b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pair)) }
func (h *pairHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	*h = old[:len(old)-1]
	return p
}
