package ingest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricsRecorded(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	reg := prometheus.NewRegistry()
	st, err := New(testConfig(twoFeeds(site)...), Deps{Bus: b, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := mf.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				got[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				got[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	want := map[string]float64{
		"newsdesk_ingest_fetches_total{kind=feed,outcome=ok}":   2,
		"newsdesk_ingest_fetches_total{kind=page,outcome=ok}":   5,
		"newsdesk_ingest_items_total{outcome=published}":        3,
		"newsdesk_ingest_items_total{outcome=irrelevant}":       2,
		"newsdesk_ingest_fetch_duration_seconds{kind=page}":     5,
		"newsdesk_ingest_polls_total{feed=testpost,outcome=ok}": 1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// A second stage on the same registry must fail cleanly, not panic.
	if _, err := New(testConfig(twoFeeds(site)...), Deps{Bus: b, Metrics: reg}); err == nil {
		t.Error("registering the metrics twice gave no error")
	}
}

func TestRobotsCrawlDelayAndCache(t *testing.T) {
	site := newSite(t)
	site.setRobots("User-agent: newsdesk\nCrawl-delay: 3\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n")
	b := newTestBus(t)
	clock := clockwork.NewFakeClockAt(time.Now())
	cfg := testConfig(FeedConfig{ID: "x", Name: "X", URL: site.URL("/feed")})
	cfg.RobotsTTL = time.Hour
	st, err := New(cfg, Deps{Bus: b, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	check := func(path string) error {
		u, _ := url.Parse(site.URL(path))
		return st.robots.check(t.Context(), u)
	}
	// The product token "newsdesk" group applies, not the "*" group.
	if err := check("/articles/a.html"); err != nil {
		t.Errorf("allowed page refused: %v", err)
	}
	if err := check("/private/x.html"); err == nil || !isPermanent(err) || !strings.Contains(err.Error(), "robots.txt") {
		t.Errorf("disallowed page: %v", err)
	}
	u, _ := url.Parse(site.URL("/"))
	rec, err := st.fetcher.hosts.record(t.Context(), u.Host)
	if err != nil {
		t.Fatal(err)
	}
	if delay := rec.MinInterval; delay != 3*time.Second {
		t.Errorf("crawl-delay gave a host interval of %v, want 3s", delay)
	}
	if n := site.hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times within its TTL", n)
	}
	clock.Advance(2 * time.Hour)
	_ = check("/articles/b.html")
	if n := site.hits("/robots.txt"); n != 2 {
		t.Errorf("robots.txt fetched %d times after its TTL, want 2", n)
	}
}

func TestGzipAndMissingValidators(t *testing.T) {
	site := newSite(t)
	// Served gzip-compressed by hand, as a real server would: the
	// transport asked for gzip and must decode it.
	site.handle("/feeds/gz.xml", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(gzipBytes(t, fmt.Sprintf(`<rss version="2.0"><channel><title>gz</title>
<item><title>DeepSeek stellt neues Modell vor</title><link>%s</link><guid>gz-1</guid></item></channel></rss>`, site.URL("/articles/deepseek.html"))))
	})
	b := newTestBus(t)
	st := newStage(t, b, testConfig(FeedConfig{ID: "gz", Name: "GZ", URL: site.URL("/feeds/gz.xml")}))
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsPublished != 1 {
		t.Errorf("stats = %+v", stats)
	}
}

func FuzzHTMLToText(f *testing.F) {
	f.Add("<p>a &amp; b</p><script>x</script>", 100)
	f.Add("\xff<a href='javascript:x'>y", 3)
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max < 1 || max > 10000 {
			return
		}
		out := htmlToText(in, max)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		if n := utf8.RuneCountInString(out); n > max+1 {
			t.Fatalf("%d runes, max %d", n, max)
		}
		if strings.ContainsAny(out, "\x00\r\n\t") {
			t.Fatalf("control characters left: %q", out)
		}
		if out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
			t.Fatalf("whitespace not collapsed: %q", out)
		}
	})
}

func TestSlowDripBodyTimesOut(t *testing.T) {
	site := newSite(t)
	site.handle("/feeds/drip.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(http.StatusOK)
		fl, _ := w.(http.Flusher)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "drip", Name: "Drip", URL: site.URL("/feeds/drip.xml")})
	cfg.RequestTimeout = 300 * time.Millisecond
	st := newStage(t, b, cfg)
	_, err := st.PollOnce(t.Context())
	if err == nil || !strings.Contains(err.Error(), "feed drip") || !strings.Contains(err.Error(), "reading body") {
		t.Fatalf("err = %v, want a body-read timeout naming the feed", err)
	}
}

func TestMaxItemAge(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)[0])
	cfg.MaxItemAge = 24 * time.Hour
	// The clock stands two days after the fixture's dated items; the
	// undated one (first seen now) is taken.
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	st, err := New(cfg, Deps{Bus: b, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsOld != 2 || stats.ItemsPublished != 1 {
		t.Errorf("stats = %+v, want 2 old and the undated item published", stats)
	}
	if site.hits("/articles/exportkontrollen.html") != 0 {
		t.Error("an old item's page was fetched")
	}
}

func TestItemAttemptsRunOut(t *testing.T) {
	site := newSite(t)
	site.handle("/articles/flaky.html", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusBadGateway)
	})
	site.handle("/feeds/flaky.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>F</title><item><title>DeepSeek</title><link>%s</link><guid>f1</guid></item></channel></rss>`, site.URL("/articles/flaky.html"))
	})
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "flaky", Name: "Flaky", URL: site.URL("/feeds/flaky.xml")})
	cfg.MaxItemAttempts = 3
	st := newStage(t, b, cfg)
	var last Stats
	for i := range 4 {
		stats, err := st.PollOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("poll %d: %+v", i+1, stats)
		last = stats
		if i < 2 && stats.ItemsDeferred != 1 {
			t.Errorf("poll %d: %+v, want the item deferred", i+1, stats)
		}
		if i == 2 && stats.ItemsFailed != 1 {
			t.Errorf("poll 3: %+v, want the item given up after 3 attempts", stats)
		}
	}
	if last.ItemsSeen != 1 || site.hits("/articles/flaky.html") != 3 {
		t.Errorf("after giving up: %+v, %d page fetches (want 3)", last, site.hits("/articles/flaky.html"))
	}
}
