package cluster

import (
	"fmt"
	"testing"

	"github.com/newsdesk/newsdesk/internal/cputime"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// BenchmarkGroup measures feature extraction and grouping of a synthetic
// day, and, as the peer in the same run, the all-pairs algorithm Group
// replaced (at 1,000 articles only: it is cubic). cpu-ns/op is the
// process's CPU time, which a shared machine disturbs less than wall time.
//
//	go test -c -o /tmp/cluster.test ./summarize/cluster
//	for i in 1 2 3 4 5 6; do /tmp/cluster.test -test.run '^$' -test.bench Group -test.benchmem -test.benchtime 3x; done | benchstat -
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
				cpu := cputime.Start()
				for range b.N {
					algo.group(c, docsOf(c, as))
				}
				cpu.Report(b)
			})
		}
	}
}
