package summarize

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
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
	articles := summarizetest.SynthDay(42, 200, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
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

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestStoriesGolden pins the stories (groups of articles) that clustering
// makes of the fixtures and of synthetic days of several sizes, recorded
// from the all-pairs O(n³) implementation this package had before the
// clustering was rewritten for speed: the rewrite must group exactly as it
// did. Refresh with -update only for a deliberate change of the grouping.
func TestStoriesGolden(t *testing.T) {
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		articles func() []news.Article
	}{
		{"fixtures", func() []news.Article { return loadArticles(t, "articles.json") }},
		{"fixtures-followup", func() []news.Article {
			return append(loadArticles(t, "articles.json"), loadArticles(t, "followup.json")...)
		}},
		{"synth-42-200", func() []news.Article { return summarizetest.SynthDay(42, 200, day) }},
		{"synth-7-1000", func() []news.Article { return summarizetest.SynthDay(7, 1000, day) }},
		{"synth-3-2000", func() []news.Article { return summarizetest.SynthDay(3, 2000, day) }},
		{"synth-7-5000", func() []news.Article { return summarizetest.SynthDay(7, 5000, day) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStage(t, Config{}, Deps{})
			items := s.prepare(s.editions["daily"], c.articles())
			var b strings.Builder
			for _, g := range s.cluster(t.Context(), items) {
				keys := make([]string, len(g))
				for i, m := range g {
					keys[i] = storyKey(items[m].a)
				}
				slices.Sort(keys)
				b.WriteString(strings.Join(keys, " ") + "\n")
			}
			lines := strings.SplitAfter(b.String(), "\n")
			slices.Sort(lines)
			got := strings.Join(lines, "")
			path := filepath.Join("testdata", "stories", c.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("stories differ from %s:\n%s", path, lineDiff(string(want), got))
			}
		})
	}
}

// storyKey names an article in a golden file by its URL without the scheme
// and the ".example" of the test domains ("cnbc/en/12-3": on the synthetic
// day, article 3 of event 12). The ids are hashes and would say nothing.
func storyKey(a news.Article) string {
	return strings.Replace(strings.TrimPrefix(a.URL, "https://"), ".example/", "/", 1)
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
