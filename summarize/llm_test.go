package summarize

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

func storyIDs(d news.Digest) []string {
	var ids []string
	for _, st := range d.Stories {
		ids = append(ids, st.ID)
	}
	return ids
}

func TestComposeLLM(t *testing.T) {
	ts := newLLMSetup(t, editor(nil), nil)
	ds, err := ts.stage.Compose(t.Context(), "daily", "2026-11-28", loadArticles(t, "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("%d digests", len(ds))
	}
	for i, lang := range []string{"de", "en"} {
		d := ds[i]
		checkDigest(t, d, lang)
		if d.Generator != "llm:llmtest-model" {
			t.Errorf("%s generator %q", lang, d.Generator)
		}
		if len(d.Notes) != 0 {
			t.Errorf("%s notes %q", lang, d.Notes)
		}
		if d.Usage != ts.srv.Usage() {
			t.Errorf("%s usage %+v, the double counted %+v", lang, d.Usage, ts.srv.Usage())
		}
		if len(d.Stories) != 6 {
			t.Errorf("%s: %d stories, want all 6", lang, len(d.Stories))
		}
	}
	if !slices.Equal(storyIDs(ds[0]), storyIDs(ds[1])) {
		t.Errorf("languages tell different stories: %v vs %v", storyIDs(ds[0]), storyIDs(ds[1]))
	}
	// One call per distinct report (the syndicated copy is not briefed),
	// one per story, one overview per language; never one call with all
	// articles.
	count := map[string]int{}
	for _, r := range ts.srv.Requests() {
		count[summarizetest.Purpose(r)]++
		if n := strings.Count(summarizetest.Prompt(r), "<document index="); n > DefaultDigestMaxSourcesPerStory {
			t.Errorf("a call carried %d documents", n)
		}
	}
	want := map[string]int{purposeBrief: 10, purposeStory: 6, purposeOverview: 2}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%d %s calls, want %d (all: %v)", count[k], k, v, count)
		}
	}
	// Compose again: every brief comes from the cache.
	before := len(ts.srv.Requests())
	if _, err := ts.stage.Compose(t.Context(), "daily", "2026-11-28", loadArticles(t, "articles.json")); err != nil {
		t.Fatal(err)
	}
	for _, r := range ts.srv.Requests()[before:] {
		if summarizetest.Purpose(r) == purposeBrief {
			t.Errorf("second compose briefed again")
			break
		}
	}
}
