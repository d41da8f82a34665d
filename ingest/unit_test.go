package ingest

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestConfigValidate(t *testing.T) {
	good := FeedConfig{ID: "heise", Name: "heise online", URL: "https://www.heise.de/rss/heise-atom.xml", Language: "de"}
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string // substrings of the error; none: valid
	}{
		{"valid", func(c *Config) {}, nil},
		{"no feeds", func(c *Config) { c.Feeds = nil }, []string{"at least one feed"}},
		{"duplicate ids", func(c *Config) { c.Feeds = append(c.Feeds, good) }, []string{`duplicate id "heise"`}},
		{"bad id", func(c *Config) { c.Feeds[0].ID = "Heise Online" }, []string{"id \"Heise Online\""}},
		{"bad url", func(c *Config) { c.Feeds[0].URL = "ftp://x/feed" }, []string{"want an http or https URL"}},
		{"no host", func(c *Config) { c.Feeds[0].URL = "https:///feed" }, []string{"has no host"}},
		{"bad language", func(c *Config) { c.Feeds[0].Language = "German" }, []string{"ISO 639-1"}},
		{"too fast", func(c *Config) { c.PollInterval = time.Minute }, []string{"below the 15m0s floor"}},
		{"too fast per feed", func(c *Config) { c.Feeds[0].PollInterval = time.Minute }, []string{"feeds[0] (heise): poll_interval 1m0s"}},
		{"fast allowed", func(c *Config) { c.PollInterval = time.Second; c.AllowFastPolling = true }, nil},
		{"negative timeout", func(c *Config) { c.RequestTimeout = -time.Second }, []string{"request_timeout must be positive"}},
		{"tiny cap", func(c *Config) { c.MaxPageBytes = 10 }, []string{"max_page_bytes 10"}},
		{"zero concurrency", func(c *Config) { c.Concurrency = -1 }, []string{"concurrency -1"}},
		{"newline in UA", func(c *Config) { c.UserAgent = "a\r\nX-Evil: 1" }, []string{"user_agent"}},
		{"several at once", func(c *Config) { c.Feeds[0].URL = "nope"; c.PollJitter = 2 }, []string{"url", "poll_jitter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{Feeds: []FeedConfig{good}, Topic: "x.yaml"}
			tt.edit(&c)
			c.Defaults()
			err := c.Validate()
			if len(tt.wants) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	var c Config
	c.Defaults()
	if c.PollInterval != DefaultPollInterval || c.UserAgent != DefaultUserAgent || !*c.RespectRobots ||
		c.MaxFeedBytes != DefaultMaxFeedBytes || c.Extract.MaxBytes != DefaultMaxPageBytes || c.AllowPrivateNetworks {
		t.Errorf("defaults: %+v", c)
	}
	off := false
	c2 := Config{RespectRobots: &off}
	c2.Defaults()
	if *c2.RespectRobots {
		t.Error("respect_robots: false was overridden")
	}
	c4 := Config{Feeds: []FeedConfig{{ID: "heise"}}}
	c4.Defaults()
	if c4.Feeds[0].Name != "heise" {
		t.Errorf("feed name default: %q", c4.Feeds[0].Name)
	}
}

func TestMaxAge(t *testing.T) {
	tests := map[string]time.Duration{
		"public, max-age=3600": time.Hour,
		"max-age=\"60\"":       time.Minute,
		"no-cache":             0,
		"max-age=-5":           0,
		"max-age=abc":          0,
	}
	for in, want := range tests {
		h := http.Header{"Cache-Control": {in}}
		if got := maxAge(h); got != want {
			t.Errorf("maxAge(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestCheckRedirect(t *testing.T) {
	cfg := Config{}
	cfg.Defaults()
	f := newFetcher(&cfg, time.Now, discardLogger(), mustMetrics(t))
	mk := func(s string) *http.Request {
		u, _ := url.Parse(s)
		return &http.Request{URL: u, Header: http.Header{"Referer": {"https://a.example/"}}}
	}
	via := []*http.Request{mk("https://a.example/feed")}
	if err := f.checkRedirect(mk("http://a.example/feed"), via); err == nil || !isPermanent(err) {
		t.Errorf("https→http allowed: %v", err)
	}
	req := mk("https://b.example/feed")
	if err := f.checkRedirect(req, via); err != nil {
		t.Errorf("https→https refused: %v", err)
	}
	if req.Header.Get("Referer") != "" {
		t.Error("Referer kept on redirect")
	}
	if err := f.checkRedirect(mk("file:///etc/passwd"), []*http.Request{mk("http://a.example/")}); err == nil {
		t.Error("redirect to file: allowed")
	}
	long := make([]*http.Request, cfg.MaxRedirects+1)
	for i := range long {
		long[i] = mk("https://a.example/")
	}
	if err := f.checkRedirect(mk("https://a.example/x"), long); err == nil {
		t.Error("redirect cap not enforced")
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 100, "plain"},
		{"<p>a</p><p>b</p>", 100, "a b"},
		{"Tom &amp; Jerry &lt;3", 100, "Tom & Jerry <3"},
		{"<script>alert(1)</script>ok<style>p{}</style>", 100, "ok"},
		{"<img src=x onerror=alert(1)>hi", 100, "hi"},
		{"a\x00b\x1fc", 100, "a b c"},
		{"bad \xff utf8", 100, "bad utf8"},
		{"one two three four five six", 12, "one two…"},
		{"<unclosed", 100, ""},
	}
	for _, tt := range tests {
		if got := htmlToText(tt.in, tt.max); got != tt.want {
			t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCapText(t *testing.T) {
	text := strings.Repeat("Absatz eins mit Text. ", 10) + "\n\n" + strings.Repeat("Zwei ", 50)
	got := capText(text, 300)
	if len(got) > 300 || !strings.HasSuffix(got, "Text.") {
		t.Errorf("capText cut badly: %d bytes, ends %q", len(got), got[max(0, len(got)-10):])
	}
	if capText("kurz", 300) != "kurz" {
		t.Error("short text changed")
	}
}

func TestPickLanguage(t *testing.T) {
	de := strings.Repeat("Die Regierung hat am Freitag neue Regeln für den Export von Chips erlassen. ", 4)
	tests := []struct{ title, text, declared, item, hint, want string }{
		{"", de, "en", "", "", "de"},          // enough text: the detector wins over a wrong declaration
		{"Kurz", "", "de-AT", "", "en", "de"}, // short: the declaration
		{"", "", "", "fr", "de", "fr"},        // nothing: the item's language
		{"", "", "", "", "it", "it"},          // then the config hint
		{"", "", "", "", "", "und"},
	}
	for _, tt := range tests {
		if got := pickLanguage(tt.title, tt.text, tt.declared, tt.item, tt.hint); got != tt.want {
			t.Errorf("pickLanguage(%q, …, %q, %q, %q) = %q, want %q", tt.title, tt.declared, tt.item, tt.hint, got, tt.want)
		}
	}
}

func TestConfigYAMLKeys(t *testing.T) {
	data, err := os.ReadFile("testdata/config-all-keys.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	var d Config
	d.Feeds, d.Topic = c.Feeds, c.Topic
	d.Defaults()
	c.Defaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// The file spells out the defaults: decoding it must equal defaulting.
	if !reflect.DeepEqual(c, d) {
		t.Errorf("testdata/config-all-keys.yaml differs from Defaults():\nfile     %+v\ndefaults %+v", c, d)
	}
	if c.Feeds[1].PollInterval != time.Hour {
		t.Errorf("per-feed poll_interval = %v", c.Feeds[1].PollInterval)
	}
}

func TestNextPoll(t *testing.T) {
	cfg := Config{PollInterval: time.Hour, PollJitter: 0, MaxPollInterval: 6 * time.Hour}
	cfg.Defaults()
	cfg.PollJitter = 0 // Defaults fills 0; the test wants none
	s := &Stage{cfg: cfg}
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	f := FeedConfig{}
	tests := []struct {
		name      string
		hint      time.Duration
		unchanged int
		want      time.Duration
	}{
		{"plain", 0, 0, time.Hour},
		{"max-age above interval", 2 * time.Hour, 0, 2 * time.Hour},
		{"max-age below interval", time.Minute, 0, time.Hour},
		{"max-age capped", 48 * time.Hour, 0, 6 * time.Hour},
		{"unchanged twice", 0, 2, 90 * time.Minute},
		{"unchanged long", 0, 100, 4 * time.Hour},
	}
	for _, tt := range tests {
		if got := s.nextPoll(now, f, tt.hint, tt.unchanged).Sub(now); got != tt.want {
			t.Errorf("%s: next poll in %v, want %v", tt.name, got, tt.want)
		}
	}
	// Failures back off exponentially from backoff.initial, never below
	// the interval, capped, and never before a Retry-After.
	for errs, want := range map[int]time.Duration{1: time.Hour, 3: time.Hour, 4: 2 * time.Hour, 10: 24 * time.Hour} {
		if got := s.retryPoll(now, f, errs, time.Time{}).Sub(now); got != want {
			t.Errorf("retryPoll after %d errors: %v, want %v", errs, got, want)
		}
	}
	if got := s.retryPoll(now, f, 1, now.Add(5*time.Hour)).Sub(now); got != 5*time.Hour {
		t.Errorf("retryPoll with Retry-After: %v", got)
	}
}
