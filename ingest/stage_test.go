package ingest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

func twoFeeds(s *site) []FeedConfig {
	return []FeedConfig{
		{ID: "testpost", Name: "Testpost Digital", URL: s.URL("/feeds/de.xml"), Language: "de"},
		{ID: "testwire", Name: "Test Wire", URL: s.URL("/feeds/en.xml")},
	}
}

func TestPollOncePublishesRelevantArticles(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	st := newStage(t, b, testConfig(twoFeeds(site)...))

	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatalf("PollOnce: %v", err)
	}
	want := Stats{FeedsOK: 2, ItemsNew: 5, ItemsPublished: 3, ItemsIrrelevant: 2}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	arts := byTitle(readArticles(t, b))
	if len(arts) != 3 {
		t.Fatalf("published %d articles, want 3: %v", len(arts), keys(arts))
	}
	for _, off := range []string{"Bayern gewinnt das Derby", "Recipe: the perfect pancake"} {
		if _, ok := arts[off]; ok {
			t.Errorf("off-topic article %q was published", off)
		}
	}
	ek, ok := arts["USA verschärfen Exportkontrollen für KI-Chips"]
	if !ok {
		t.Fatalf("export-control article missing: %v", keys(arts))
	}
	canon := site.URL("/articles/exportkontrollen.html")
	checks := []struct {
		name      string
		got, want any
	}{
		{"schema", ek.Schema, news.ArticleSchema},
		{"id from canonical URL", ek.ID, news.ArticleID(canon)},
		{"canonical", ek.CanonicalURL, canon},
		{"source", ek.Source, "testpost"},
		{"outlet", ek.Outlet, "Testpost Digital"},
		{"language", ek.Language, "de"},
		{"feed url", ek.FeedURL, site.URL("/feeds/de.xml")},
		{"published", ek.Published.Equal(time.Date(2026, 11, 28, 8, 15, 0, 0, time.UTC)), true},
		{"text", strings.Contains(ek.Text, "Hochleistungschips"), true},
		{"description", ek.Description, "Washington zieht die Schrauben an: Neue Regeln treffen chinesische Käufer."},
		{"relevance", ek.Relevance >= st.cfg.MinRelevance, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if err := ek.Validate(); err != nil {
		t.Error(err)
	}
	en := arts["Nvidia's China sales squeezed by new rules"]
	if en.Language != "en" || en.Source != "testwire" || en.URL != site.URL("/articles/nvidia-china.html") {
		t.Errorf("english article: lang %q source %q url %q", en.Language, en.Source, en.URL)
	}
	ds := arts["Chinesisches Labor legt nach"]
	if ds.Published.IsZero() {
		t.Error("item without a date got no first-seen date")
	}
	// The feed links with ?utm_source=feed; the page is fetched as linked,
	// the article carries the link without the tracking parameter.
	if ds.URL != site.URL("/articles/deepseek.html") || ds.ID != news.ArticleID(site.URL("/articles/deepseek.html")) || site.hits("/articles/deepseek.html") == 0 {
		t.Errorf("deepseek: url %q id %q", ds.URL, ds.ID)
	}
	for _, r := range site.recorded() {
		if r.UserAgent != DefaultUserAgent || r.Cookie != "" || r.Referer != "" {
			t.Errorf("request %s: UA %q cookie %q referer %q", r.Path, r.UserAgent, r.Cookie, r.Referer)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRepollAndRestartPublishNothingTwice(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)...)
	st := newStage(t, b, cfg)
	if _, err := st.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	first := streamMsgs(t, b)
	if first != 3 {
		t.Fatalf("first poll stored %d articles, want 3", first)
	}

	// Second poll: the German feed answers 304 (validators), the English
	// one serves everything again and must pass the seen gate.
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.FeedsNotModified != 1 || stats.FeedsOK != 1 || stats.ItemsSeen != 2 || stats.ItemsNew != 0 {
		t.Errorf("second poll stats = %+v", stats)
	}
	var cond *recorded
	for _, r := range site.recorded() {
		if r.Path == "/feeds/de.xml" && r.IfNoneMatch != "" {
			cond = &r
		}
	}
	if cond == nil {
		t.Fatal("second poll of the German feed sent no If-None-Match")
	}
	if cond.IfNoneMatch != `"de-v1"` || cond.IfModifiedSince != siteModTime.Format(http.TimeFormat) {
		t.Errorf("conditional headers: If-None-Match %q, If-Modified-Since %q", cond.IfNoneMatch, cond.IfModifiedSince)
	}

	// A restart: a new Stage on the same bus, and a feed state lost (as if
	// the validators were never stored), so every item is parsed again.
	if err := b.FeedState().Delete(t.Context(), "testpost", 0); err != nil {
		t.Fatal(err)
	}
	st2 := newStage(t, b, cfg)
	stats, err = st2.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsSeen != 5 || stats.ItemsPublished != 0 {
		t.Errorf("after restart stats = %+v, want 5 seen, 0 published", stats)
	}
	if n := streamMsgs(t, b); n != first {
		t.Errorf("stream holds %d articles after re-polls, want %d", n, first)
	}
	readArticles(t, b) // fails on duplicates
}

func TestScheduleSurvivesRestart(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)[:1]...)
	cfg.PollInterval = time.Hour
	st := newStage(t, b, cfg)
	if _, err := st.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := site.hits("/feeds/de.xml")
	st2 := newStage(t, b, cfg)
	// A scheduled poll right after a restart must not poll early.
	if _, err := st2.pollFeed(t.Context(), cfg.Feeds[0], false); err != nil {
		t.Fatal(err)
	}
	if after := site.hits("/feeds/de.xml"); after != before {
		t.Errorf("restarted stage polled a feed that is not due (%d → %d requests)", before, after)
	}
	fs, _, err := st2.loadState(t.Context(), cfg.Feeds[0])
	if err != nil {
		t.Fatal(err)
	}
	if fs.ETag != `"de-v1"` || fs.LastModified != siteModTime.Format(http.TimeFormat) {
		t.Errorf("state validators: %q %q", fs.ETag, fs.LastModified)
	}
	if d := time.Until(fs.NextPoll); d < 50*time.Minute {
		t.Errorf("next poll in %v, want about an hour", d)
	}
}

func TestBadFeedNamedOthersStillProcessed(t *testing.T) {
	site := newSite(t)
	site.handle("/feeds/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><h1>Welcome to our homepage</h1></body></html>")
	})
	b := newTestBus(t)
	feeds := append(twoFeeds(site), FeedConfig{ID: "broken", Name: "Broken", URL: site.URL("/feeds/broken.xml")})
	st := newStage(t, b, testConfig(feeds...))
	stats, err := st.PollOnce(t.Context())
	if err == nil {
		t.Fatal("PollOnce reported no error for a feed that is HTML")
	}
	for _, want := range []string{"feed broken", "/feeds/broken.xml", "not an RSS, Atom or JSON feed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if stats.FeedsFailed != 1 || stats.FeedsOK != 2 || stats.ItemsPublished != 3 {
		t.Errorf("stats = %+v", stats)
	}
	fs, _, _ := st.loadState(t.Context(), feeds[2])
	if fs.Errors != 1 || fs.LastError == "" || time.Until(fs.NextPoll) < st.cfg.Backoff.Initial/2 {
		t.Errorf("broken feed state: %+v", fs)
	}
}

func TestHugePageIsCapped(t *testing.T) {
	site := newSite(t)
	chunk := []byte(strings.Repeat("<p>China KI Chips Exportkontrollen</p>\n", 1000))
	for _, withLength := range []bool{false, true} {
		path := fmt.Sprintf("/articles/huge-%v.html", withLength)
		site.handle(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			if withLength {
				w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			}
			for sent := 0; sent < 50<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return // the client hung up, as it should
				}
			}
		})
	}
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "x", Name: "X", URL: site.URL("/feeds/x.xml")})
	cfg.MaxPageBytes = 1 << 20
	st := newStage(t, b, cfg)
	for _, withLength := range []bool{false, true} {
		link := site.URL(fmt.Sprintf("/articles/huge-%v.html", withLength))
		_, err := st.Process(t.Context(), cfg.Feeds[0], FeedItem{ID: link, Link: link, Title: "Huge"}, time.Now())
		if err == nil {
			t.Fatalf("a 50 MB page (Content-Length %v) was accepted", withLength)
		}
		for _, want := range []string{link, "max_page_bytes", "1048576"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
		if !isPermanent(err) {
			t.Errorf("oversized page error is not permanent: %v", err)
		}
	}
}

func TestUnansweredRequestTimesOut(t *testing.T) {
	site := newSite(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	site.handle("/feeds/silent.xml", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers
		case <-r.Context().Done():
		case <-release:
		}
	})
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "silent", Name: "Silent", URL: site.URL("/feeds/silent.xml")})
	cfg.HeaderTimeout = 200 * time.Millisecond
	cfg.RequestTimeout = 400 * time.Millisecond
	st := newStage(t, b, cfg)
	stats, err := st.PollOnce(t.Context())
	if err == nil {
		t.Fatal("a server that never answers gave no error")
	}
	if !strings.Contains(err.Error(), "timed out") || !strings.Contains(err.Error(), "feed silent") {
		t.Errorf("error %q should say the silent feed timed out", err)
	}
	if stats.FeedsFailed != 1 {
		t.Errorf("stats = %+v", stats)
	}
}

func TestRetryAfterBacksOffHost(t *testing.T) {
	site := newSite(t)
	site.handle("/feeds/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	b := newTestBus(t)
	feeds := []FeedConfig{
		{ID: "busy", Name: "Busy", URL: site.URL("/feeds/busy.xml")},
		{ID: "testwire", Name: "Test Wire", URL: site.URL("/feeds/en.xml")},
	}
	cfg := testConfig(feeds...)
	cfg.PerHostConcurrency = 1
	st := newStage(t, b, cfg)
	start := time.Now()
	if _, err := st.PollOnce(t.Context()); err == nil || !strings.Contains(err.Error(), "429") {
		t.Fatalf("first poll error = %v, want the 429", err)
	}
	fs, _, _ := st.loadState(t.Context(), feeds[0])
	if fs.NextPoll.Before(start.Add(120 * time.Second)) {
		t.Errorf("next poll of the 429 feed at %v, before Retry-After", fs.NextPoll)
	}
	busyHits, wireHits := site.hits("/feeds/busy.xml"), site.hits("/feeds/en.xml")
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatalf("second poll: %v", err)
	}
	if stats.FeedsSkipped != 2 {
		t.Errorf("second poll stats = %+v, want both feeds on the host skipped", stats)
	}
	if site.hits("/feeds/busy.xml") != busyHits || site.hits("/feeds/en.xml") != wireHits {
		t.Error("the host was contacted while it had asked us to wait")
	}
	fs, _, _ = st.loadState(t.Context(), feeds[1])
	if fs.NextPoll.Before(start.Add(119 * time.Second)) {
		t.Errorf("other feed on the host is due at %v, before the host's Retry-After", fs.NextPoll)
	}
	// A new process (the CLI's one-shot poll) has no host memory but
	// reads the wait from the feed state.
	stats, err = newStage(t, b, cfg).PollOnce(t.Context())
	if err != nil || stats.FeedsSkipped != 2 {
		t.Errorf("fresh stage: stats %+v, err %v; want both feeds skipped", stats, err)
	}
	if site.hits("/feeds/busy.xml") != busyHits || site.hits("/feeds/en.xml") != wireHits {
		t.Error("a fresh stage contacted the host before its Retry-After")
	}
}

func TestRobotsDisallowRespected(t *testing.T) {
	site := newSite(t)
	site.setRobots("User-agent: *\nDisallow: /articles/exportkontrollen.html\n\nUser-agent: otherbot\nDisallow: /\n")
	b := newTestBus(t)
	st := newStage(t, b, testConfig(twoFeeds(site)[0]))
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := site.hits("/articles/exportkontrollen.html"); n != 0 {
		t.Errorf("disallowed page fetched %d times", n)
	}
	if site.hits("/articles/deepseek.html") != 1 {
		t.Error("allowed page not fetched")
	}
	if site.hits("/robots.txt") != 1 {
		t.Errorf("robots.txt fetched %d times, want once (cached)", site.hits("/robots.txt"))
	}
	// The disallowed item's description is long enough (min 40 chars in
	// the test config) to stand in for the page.
	arts := byTitle(readArticles(t, b))
	ek, ok := arts["USA verschärfen Exportkontrollen für KI-Chips"]
	if !ok {
		t.Fatalf("stats %+v; articles %v", stats, keys(arts))
	}
	if ek.Text != ek.Description {
		t.Errorf("text of the robots-disallowed article = %q, want the feed description", ek.Text)
	}
}

func TestRobotsUnreachableDefersItems(t *testing.T) {
	site := newSite(t)
	site.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	b := newTestBus(t)
	st := newStage(t, b, testConfig(twoFeeds(site)[0]))
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsDeferred != 3 || stats.ItemsPublished != 0 {
		t.Errorf("stats = %+v, want 3 deferred", stats)
	}
	for _, p := range []string{"/articles/exportkontrollen.html", "/articles/deepseek.html"} {
		if site.hits(p) != 0 {
			t.Errorf("%s fetched although robots.txt was unreachable", p)
		}
	}
	// Once robots.txt is back, the deferred items are taken up again.
	site.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	// The feed itself has not changed; the next poll must still see its
	// items again rather than get a 304.
	st2 := newStage(t, b, testConfig(twoFeeds(site)[0]))
	stats, err = st2.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsPublished != 2 || stats.ItemsIrrelevant != 1 {
		t.Errorf("after robots.txt recovered: %+v", stats)
	}
}

func TestSSRFGuard(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)[0])
	cfg.AllowPrivateNetworks = false
	st := newStage(t, b, cfg)
	_, err := st.PollOnce(t.Context())
	if err == nil || !strings.Contains(err.Error(), "non-public address 127.0.0.1") {
		t.Fatalf("error = %v, want the SSRF guard to refuse 127.0.0.1", err)
	}
	if n := len(site.recorded()); n != 0 {
		t.Errorf("server got %d requests through the SSRF guard", n)
	}
	// Allowed, it works.
	cfg.AllowPrivateNetworks = true
	if _, err := newStage(t, b, cfg).PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestGoneAndMovedFeeds(t *testing.T) {
	site := newSite(t)
	site.handle("/feeds/old.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feeds/en.xml", http.StatusMovedPermanently)
	})
	site.handle("/feeds/temp.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feeds/en.xml", http.StatusFound)
	})
	site.handle("/feeds/gone.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	})
	b := newTestBus(t)
	feeds := []FeedConfig{
		{ID: "moved", Name: "Moved", URL: site.URL("/feeds/old.xml")},
		{ID: "temp", Name: "Temp", URL: site.URL("/feeds/temp.xml")},
		{ID: "gone", Name: "Gone", URL: site.URL("/feeds/gone.xml")},
	}
	st := newStage(t, b, testConfig(feeds...))
	if _, err := st.PollOnce(t.Context()); err == nil || !strings.Contains(err.Error(), "410") {
		t.Fatalf("error = %v, want the 410", err)
	}
	moved, _, _ := st.loadState(t.Context(), feeds[0])
	temp, _, _ := st.loadState(t.Context(), feeds[1])
	gone, _, _ := st.loadState(t.Context(), feeds[2])
	if moved.URL != site.URL("/feeds/en.xml") {
		t.Errorf("301: state URL %q, want the new location", moved.URL)
	}
	if temp.URL != site.URL("/feeds/temp.xml") {
		t.Errorf("302: state URL %q, want the old one kept", temp.URL)
	}
	if !gone.Gone {
		t.Error("410 did not mark the feed gone")
	}
	oldHits, goneHits := site.hits("/feeds/old.xml"), site.hits("/feeds/gone.xml")
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if site.hits("/feeds/old.xml") != oldHits || site.hits("/feeds/gone.xml") != goneHits {
		t.Error("moved or gone feed was requested at its old URL again")
	}
	if stats.FeedsSkipped != 1 {
		t.Errorf("stats = %+v, want the gone feed skipped", stats)
	}
}

func TestPageFailurePermanentAndTransient(t *testing.T) {
	site := newSite(t)
	site.handle("/articles/flaky.html", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusBadGateway)
	})
	site.handle("/media/episode.mp3", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "audio/mpeg")
		_, _ = w.Write(make([]byte, 1<<20))
	})
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "x", Name: "X", URL: site.URL("/feeds/x.xml"), Language: "de"})
	st := newStage(t, b, cfg)
	long := "Die USA verschärfen die Exportkontrollen für KI-Chips nach China erneut, berichten mehrere Quellen."
	tests := []struct {
		name, path, desc string
		wantErr          bool
		permanent        bool
	}{
		{"404 with long description", "/articles/missing.html", long, false, false},
		{"404 with short description", "/articles/missing.html", "kurz", true, true},
		{"502 is transient", "/articles/flaky.html", long, true, false},
		{"audio is not a page", "/media/episode.mp3", "kurz", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			link := site.URL(tt.path)
			art, err := st.Process(t.Context(), cfg.Feeds[0], FeedItem{ID: link, Link: link, Title: "Exportkontrollen", Description: tt.desc}, time.Now())
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if isPermanent(err) != tt.permanent {
					t.Errorf("permanent = %v, want %v (%v)", isPermanent(err), tt.permanent, err)
				}
				return
			}
			if art.Text != tt.desc || art.Language != "de" {
				t.Errorf("article text %q lang %q", art.Text, art.Language)
			}
		})
	}
}

func TestStaleClaimIsTakenOver(t *testing.T) {
	site := newSite(t)
	b := newTestBus(t)
	cfg := testConfig(twoFeeds(site)[1])
	cfg.ClaimTimeout = time.Minute
	clock := clockwork.NewFakeClockAt(time.Now())
	st, err := New(cfg, Deps{Bus: b, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	// A poller claimed the Nvidia item and died before publishing.
	id := "tag:test-wire.example,2026:4711"
	if _, ok, err := st.tryClaim(t.Context(), "testwire", id, clock.Now()); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsSeen != 1 || stats.ItemsPublished != 0 {
		t.Errorf("while claimed: %+v", stats)
	}
	clock.Advance(2 * time.Minute)
	stats, err = st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsPublished != 1 {
		t.Errorf("after the claim went stale: %+v, want the item published", stats)
	}
}

func TestSameArticleInTwoFeedsPublishedOnce(t *testing.T) {
	site := newSite(t)
	site.handle("/feeds/mirror.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Mirror</title>
<item><title>Nvidia's China sales squeezed by new rules</title><link>%s</link><guid>mirror-1</guid></item>
</channel></rss>`, site.URL("/articles/nvidia-china.html"))
	})
	b := newTestBus(t)
	feeds := []FeedConfig{twoFeeds(site)[1], {ID: "mirror", Name: "Mirror", URL: site.URL("/feeds/mirror.xml")}}
	st := newStage(t, b, testConfig(feeds...))
	stats, err := st.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ItemsPublished != 1 || stats.ItemsDuplicate != 1 {
		t.Errorf("stats = %+v, want 1 published and 1 duplicate", stats)
	}
	if n := streamMsgs(t, b); n != 1 {
		t.Errorf("stream holds %d articles, want 1", n)
	}
	_ = bus.StreamArticles
}

// TestNewKeepsCallersConfig: New defaults its own copy of the feeds, so a
// config can build two stages (replicas in one test, a restart) without
// one writing into what the other runs from.
func TestNewKeepsCallersConfig(t *testing.T) {
	cfg := testConfig(FeedConfig{ID: "f1", URL: "https://example.org/feed.xml", CanonicalDomains: []string{" www.example.co.uk "}})
	newStage(t, newTestBus(t), cfg)
	if f := cfg.Feeds[0]; f.Name != "" || f.CanonicalDomains[0] != " www.example.co.uk " {
		t.Errorf("New changed the caller's feed config: %+v", f)
	}
}
