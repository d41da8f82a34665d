package cluster

import (
	"fmt"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// BenchmarkGroup measures feature extraction and grouping of a synthetic
// day, and, as the peer in the same run, the all-pairs algorithm Group
// replaced (at 1,000 articles only: it is cubic).
//
//	go test ./summarize/cluster -run '^$' -bench Group -benchmem -count 6
func BenchmarkGroup(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		as := toArticles(summarizetest.SynthDay(7, n, day))
		algos := []struct {
			name  string
			group func(*Clusterer, []*Doc) [][]int
		}{{"indexed", (*Clusterer).Group}, {"all-pairs", (*Clusterer).allPairs}}
		for _, algo := range algos {
			if algo.name == "all-pairs" && n > 1000 {
				continue
			}
			b.Run(fmt.Sprintf("%s/n=%d", algo.name, n), func(b *testing.B) {
				c := newTestClusterer(Config{})
				for range b.N {
					algo.group(c, docsOf(c, as))
				}
			})
		}
	}
}
