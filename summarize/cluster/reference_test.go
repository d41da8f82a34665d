package cluster

import "slices"

// allPairs is the textbook average-linkage clustering that Group must
// reproduce exactly: every pairwise similarity in a dense matrix, and
// before each merge a scan of all pairs for the most similar one (on ties
// the last in index order). It is what the summarize stage ran before
// Group; it costs O(n²) memory and O(n³) time.
func (c *Clusterer) allPairs(docs []*Doc) [][]int {
	n := len(docs)
	if n == 0 {
		return nil
	}
	weigh(docs)
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := c.Similarity(docs[i], docs[j])
			sim[i][j], sim[j][i] = v, v
		}
	}
	size := make([]int, n)
	members := make([][]int, n)
	active := make([]bool, n)
	for i := range n {
		size[i], members[i], active[i] = 1, []int{i}, true
	}
	for {
		bi, bj, best := -1, -1, 1.0
		for i := range n {
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
		for k := range n {
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

// allEdges is every pair with Similarity ≥ 1, by comparing all pairs.
func (c *Clusterer) allEdges(docs []*Doc) []edge {
	var out []edge
	for j := range docs {
		for i := range j {
			if c.Similarity(docs[i], docs[j]) >= 1 {
				out = append(out, edge{int32(i), int32(j)})
			}
		}
	}
	return out
}
