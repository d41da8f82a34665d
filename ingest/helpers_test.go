package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
)

// site is a real HTTP server serving the fixture feeds and pages under
// testdata/site, with hooks for misbehaving paths.
type site struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	requests []recorded
	robots   string                      // robots.txt body; "" → 404
	override map[string]http.HandlerFunc // path → handler
}

type recorded struct {
	Path, IfNoneMatch, IfModifiedSince, UserAgent, Cookie, Referer string
}

// siteModTime is the Last-Modified of the validator-carrying feed.
var siteModTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func newSite(t testing.TB) *site {
	t.Helper()
	s := &site{t: t, override: map[string]http.HandlerFunc{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) URL(path string) string { return s.srv.URL + path }

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[path] = h
}

func (s *site) setRobots(body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots = body
}

// hits counts requests for path.
func (s *site) hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

func (s *site) recorded() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, recorded{
		Path: r.URL.Path, IfNoneMatch: r.Header.Get("If-None-Match"), IfModifiedSince: r.Header.Get("If-Modified-Since"),
		UserAgent: r.UserAgent(), Cookie: r.Header.Get("Cookie"), Referer: r.Referer(),
	})
	h, ok := s.override[r.URL.Path]
	robots := s.robots
	s.mu.Unlock()
	if ok {
		h(w, r)
		return
	}
	switch {
	case r.URL.Path == "/robots.txt":
		if robots == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(robots))
	case r.URL.Path == "/feeds/de.xml":
		// With validators: http.ServeContent answers conditional requests.
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"de-v1"`)
		http.ServeContent(w, r, "", siteModTime, strings.NewReader(s.fixture("feed-de.xml")))
	case r.URL.Path == "/feeds/en.xml":
		// Without validators: every poll gets the full feed again.
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write([]byte(s.fixture("feed-en.xml")))
	case strings.HasPrefix(r.URL.Path, "/articles/"):
		name := filepath.Base(r.URL.Path)
		if _, err := os.Stat(filepath.Join("testdata/site/articles", name)); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(s.fixture("articles/" + name)))
	default:
		http.NotFound(w, r)
	}
}

func (s *site) fixture(name string) string {
	data, err := os.ReadFile(filepath.Join("testdata/site", name))
	if err != nil {
		s.t.Errorf("fixture %s: %v", name, err)
		return ""
	}
	return strings.ReplaceAll(string(data), "{{BASE}}", s.srv.URL)
}

// testConfig is a config for tests: fast polling, private networks
// allowed (the test server is on 127.0.0.1), short timeouts.
func testConfig(feeds ...FeedConfig) Config {
	return Config{
		Feeds:                feeds,
		Topic:                "../configs/topics/china-us-ai.yaml",
		AllowFastPolling:     true,
		PollInterval:         time.Minute,
		AllowPrivateNetworks: true,
		RequestTimeout:       5 * time.Second,
		HeaderTimeout:        2 * time.Second,
		DialTimeout:          2 * time.Second,
		PerHostInterval:      time.Millisecond,
		PerHostConcurrency:   2,
		MinDescriptionChars:  40,
	}
}

func newStage(t testing.TB, b *bus.Bus, cfg Config) *Stage {
	t.Helper()
	s, err := New(cfg, Deps{Bus: b})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// readArticles returns every article on the ARTICLES stream with its subject.
func readArticles(t *testing.T, b *bus.Bus) map[string]news.Article {
	t.Helper()
	out := map[string]news.Article{}
	err := b.ReadSince(t.Context(), bus.StreamArticles, bus.SubjectArticles, time.Time{}, func(m jetstream.Msg) error {
		var a news.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil {
			return err
		}
		if _, dup := out[a.ID]; dup {
			t.Errorf("article %s (%s) is on the stream twice", a.ID, a.Title)
		}
		out[a.ID] = a
		if want := bus.ArticleSubject(a.Language, a.Source); m.Subject() != want {
			t.Errorf("article %s on subject %s, want %s", a.ID, m.Subject(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func streamMsgs(t *testing.T, b *bus.Bus) uint64 {
	t.Helper()
	n, err := b.Msgs(t.Context(), bus.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func byTitle(arts map[string]news.Article) map[string]news.Article {
	out := map[string]news.Article{}
	for _, a := range arts {
		out[a.Title] = a
	}
	return out
}

func newTestBus(t testing.TB) *bus.Bus { return natstest.Start(t) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func mustMetrics(t *testing.T) *metrics {
	t.Helper()
	m, err := newMetrics(nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
