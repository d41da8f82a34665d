package summarize

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestClusterFixtures(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	ed := s.editions["daily"]
	items := s.prepare(ed, loadArticles(t, "articles.json"))
	got := groupIDs(items, s.cluster(t.Context(), items))
	want := []string{
		"a-aiact-netzpolitik",
		"a-ds-golem a-ds-techcrunch",
		"a-h20-cnbc a-h20-heise a-h20-register",
		"a-hw-scmp a-hw-spiegel",
		"a-nvq-cnbc a-nvq-tagesschau",
		"a-qwen-verge",
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("clusters:\n got %q\nwant %q", got, want)
	}
}

// TestClusterSyntheticDay measures clustering on the synthetic day, whose
// true events are known: pairwise precision (articles put together really
// are one event) and recall (articles of one event are put together).
func TestClusterSyntheticDay(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	articles := synthDay(42, 200, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	items := s.prepare(s.editions["daily"], articles)
	event := func(it *item) string { // the URL holds /<lang>/<event>-<i>
		u := it.a.URL
		u = u[strings.LastIndex(u, "/")+1:]
		return u[:strings.Index(u, "-")]
	}
	groups := s.cluster(t.Context(), items)
	var tp, fp, fn int
	cluster := make([]int, len(items))
	for g, members := range groups {
		for _, i := range members {
			cluster[i] = g
		}
	}
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			same, together := event(items[i]) == event(items[j]), cluster[i] == cluster[j]
			switch {
			case same && together:
				tp++
			case together:
				fp++
			case same:
				fn++
			}
		}
	}
	p, r := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	t.Logf("synthetic day: %d articles, %d clusters; pairwise precision %.3f, recall %.3f", len(items), len(groups), p, r)
	if p < 0.95 || r < 0.9 {
		t.Errorf("pairwise precision %.3f (floor 0.95), recall %.3f (floor 0.90)", p, r)
	}
}
