package ingest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/sample"
)

// TestSampleSite runs the whole stage against the bundled fictional news
// site (the demo's content) and checks it against what the catalog says a
// perfect ingest would do: which articles are on topic, their language,
// and that their text was recovered.
func TestSampleSite(t *testing.T) {
	srv := httptest.NewServer(sample.Handler())
	t.Cleanup(srv.Close)
	var feeds []FeedConfig
	for _, f := range sample.Feeds() {
		feeds = append(feeds, FeedConfig{ID: f.ID, Name: f.Name, URL: srv.URL + f.Path, Language: f.Language})
	}
	b := newTestBus(t)
	st := newStage(t, b, testConfig(feeds...))
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stats %+v", stats)

	published := map[string]bool{}
	for _, a := range readArticles(t, b) {
		u, err := url.Parse(a.URL)
		if err != nil {
			t.Fatal(err)
		}
		published[u.Path] = true
		want, ok := findSample(u.Path)
		if !ok {
			t.Errorf("published %s, which is not in the sample catalog", a.URL)
			continue
		}
		if a.Language != want.Language {
			t.Errorf("%s: language %q, want %q", u.Path, a.Language, want.Language)
		}
		// The article's own outlet, or another one whose feed lists it too
		// (the sample has such a case; whichever is processed first wins).
		if a.Source != want.Outlet && !feedLists(t, srv.URL, a.Source, u.Path) {
			t.Errorf("%s: source %q, want %q", u.Path, a.Source, want.Outlet)
		}
		if r := wordRecall(want.Text, a.Text); r < 0.8 {
			t.Errorf("%s: only %.0f%% of the article's words recovered", u.Path, 100*r)
		}
	}
	var tp, fp, fn, tn int
	for _, a := range sample.Articles() {
		switch got := published[a.Path]; {
		case got && a.OnTopic:
			tp++
		case got && !a.OnTopic:
			fp++
			t.Logf("off-topic article published: %s %q", a.Path, a.Title)
		case !got && a.OnTopic:
			fn++
			t.Logf("on-topic article dropped: %s %q", a.Path, a.Title)
		default:
			tn++
		}
	}
	t.Logf("topic filter on the sample site: tp %d fp %d fn %d tn %d", tp, fp, fn, tn)
	// One outlet lists an article twice, so tp counts distinct pages.
	if fp > 0 || fn > 0 {
		t.Errorf("topic filter made %d false positives and %d false negatives", fp, fn)
	}
}

func feedLists(t *testing.T, base, feedID, path string) bool {
	for _, f := range sample.Feeds() {
		if f.ID != feedID {
			continue
		}
		resp, err := http.Get(base + f.Path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(string(body), path)
	}
	return false
}

func findSample(path string) (sample.Article, bool) {
	for _, a := range sample.Articles() {
		if a.Path == path {
			return a, true
		}
	}
	return sample.Article{}, false
}

// wordRecall is the share of want's words found in got.
func wordRecall(want, got string) float64 {
	have := map[string]int{}
	for _, w := range lang.Words(got) {
		have[w]++
	}
	total, found := 0, 0
	for _, w := range lang.Words(want) {
		total++
		if have[w] > 0 {
			have[w]--
			found++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(found) / float64(total)
}
