package summarize

import (
	"slices"
	"testing"
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
