package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/ingest/extract"
)

// Defaults for Config. Every limit and duration of the stage lives here.
const (
	DefaultUserAgent          = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
	DefaultPollInterval       = 30 * time.Minute
	MinPollInterval           = 15 * time.Minute // floor unless allow_fast_polling
	DefaultMaxPollInterval    = 24 * time.Hour
	DefaultPollJitter         = 0.1
	DefaultMaxUnchangedFactor = 4.0
	DefaultMinRelevance       = 4.0
	DefaultRequestTimeout     = 30 * time.Second
	DefaultDialTimeout        = 10 * time.Second
	DefaultHeaderTimeout      = 15 * time.Second
	DefaultMaxFeedBytes       = 10 << 20
	DefaultMaxPageBytes       = 5 << 20
	DefaultMaxRobotsBytes     = 500 << 10
	DefaultConcurrency        = 64
	DefaultPerHostConcurrency = 2
	DefaultPerHostInterval    = time.Second
	DefaultMaxRedirects       = 5
	DefaultRobotsTTL          = 24 * time.Hour
	DefaultRobotsErrorTTL     = 10 * time.Minute
	DefaultMinDescription     = 200
	DefaultMaxItemsPerPoll    = 100
	DefaultMaxTextBytes       = 128 << 10
	DefaultMaxDescBytes       = 8 << 10
	DefaultMaxItemAttempts    = 5
	DefaultClaimTimeout       = 15 * time.Minute
	DefaultMemberTTL          = 30 * time.Second
	DefaultBackoffInitial     = 15 * time.Minute
	DefaultBackoffMax         = 24 * time.Hour
	DefaultMaxRetryAfter      = 24 * time.Hour
)

// feedIDPattern keeps feed ids usable as NATS subject tokens and KV keys.
var feedIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Config configures the ingest stage (YAML key "ingest").
type Config struct {
	Feeds []FeedConfig `yaml:"feeds"`
	// Topic is the path of the topic profile YAML. Relative paths are taken
	// as they are (relative to the working directory); internal/config
	// resolves them against the config file's directory.
	// Deps.Profile, when set, is used instead.
	Topic string `yaml:"topic"`
	// MinRelevance is the topic score an article needs to be published.
	MinRelevance float64 `yaml:"min_relevance"`
	UserAgent    string  `yaml:"user_agent"`
	// PollInterval is how often a feed is polled; at least 15 min unless
	// AllowFastPolling. A feed's Cache-Control max-age raises it.
	PollInterval time.Duration `yaml:"poll_interval"`
	// MaxPollInterval caps intervals raised by max-age and error backoff.
	MaxPollInterval time.Duration `yaml:"max_poll_interval"`
	// PollJitter adds up to this fraction of the interval, so feeds on one
	// host spread out.
	PollJitter float64 `yaml:"poll_jitter"`
	// MaxUnchangedFactor caps how far the interval of a feed with nothing
	// new stretches (a quarter of the interval per unchanged poll); 1
	// turns the stretching off.
	MaxUnchangedFactor float64 `yaml:"max_unchanged_factor"`
	// AllowFastPolling lifts the 15 min floor (tests, demo).
	AllowFastPolling bool `yaml:"allow_fast_polling"`
	// RequestTimeout bounds one HTTP request, body included.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	DialTimeout    time.Duration `yaml:"dial_timeout"`
	// HeaderTimeout bounds the wait for response headers.
	HeaderTimeout  time.Duration `yaml:"header_timeout"`
	MaxFeedBytes   int64         `yaml:"max_feed_bytes"`
	MaxPageBytes   int64         `yaml:"max_page_bytes"`
	MaxRobotsBytes int64         `yaml:"max_robots_bytes"`
	// Concurrency caps HTTP requests in flight across all hosts.
	Concurrency int `yaml:"concurrency"`
	// PerHostConcurrency caps requests in flight per host.
	PerHostConcurrency int `yaml:"per_host_concurrency"`
	// PerHostInterval is the minimum gap between requests to one host
	// (robots.txt Crawl-delay raises it).
	PerHostInterval time.Duration `yaml:"per_host_interval"`
	MaxRedirects    int           `yaml:"max_redirects"`
	// RespectRobots applies robots.txt (RFC 9309) to article pages. Feeds are
	// resources the operator subscribed to and are fetched regardless.
	RespectRobots *bool `yaml:"respect_robots"`
	// RobotsTTL is how long a fetched robots.txt is used; RobotsErrorTTL how
	// long an unreachable one (which means "disallow all") is.
	RobotsTTL      time.Duration `yaml:"robots_ttl"`
	RobotsErrorTTL time.Duration `yaml:"robots_error_ttl"`
	// AllowPrivateNetworks lets the fetcher reach loopback, private and
	// link-local addresses. Off by default (SSRF guard); tests and the demo
	// turn it on.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// MinDescriptionChars is how long a description must be to stand in
	// for a page that cannot be used: the feed item's, or the page's own
	// (og:description) when the page is too short to be an article, such
	// as a video page.
	MinDescriptionChars int `yaml:"min_description_chars"`
	// MaxTextBytes caps an article's text (cut at a paragraph boundary) and
	// MaxDescriptionBytes its feed description, so an article stays well
	// inside the ARTICLES stream's message size limit.
	MaxTextBytes        int `yaml:"max_text_bytes"`
	MaxDescriptionBytes int `yaml:"max_description_bytes"`
	// MaxItemsPerPoll caps the new items taken from one feed per poll; the
	// rest wait for the next poll.
	MaxItemsPerPoll int `yaml:"max_items_per_poll"`
	// MaxItemAge skips items whose published date is older than this (so a
	// first poll of a long feed does not fetch last month's pages). 0, the
	// default, takes every item.
	MaxItemAge time.Duration `yaml:"max_item_age"`
	// MaxItemAttempts is how many polls retry an item whose page fetch
	// keeps failing transiently before it is given up.
	MaxItemAttempts int `yaml:"max_item_attempts"`
	// ClaimTimeout is how long an item claimed by a poller stays claimed if
	// the poller dies; after it another poll takes the item over. Keep it
	// below the bus duplicate window, so a re-publish after a crash is
	// dropped as a duplicate.
	ClaimTimeout time.Duration `yaml:"claim_timeout"`
	// MemberTTL is how long an ingest process may miss heartbeats (sent
	// every MemberTTL/3) before the others take over its feeds. Keep it
	// well below poll_interval.
	MemberTTL time.Duration   `yaml:"member_ttl"`
	Backoff   BackoffConfig   `yaml:"backoff"`
	Extract   extract.Options `yaml:"extract"`
}

// FeedConfig is one subscribed feed.
type FeedConfig struct {
	// ID is the outlet id: a-z, 0-9, '-' and '_'; it becomes the last token
	// of news.article.<lang>.<id> and the feed_state key.
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// URL is the feed, or a web page that advertises it (<link
	// rel="alternate" type="application/rss+xml|atom+xml|feed+json">):
	// ingest then polls the feed and remembers it in the feed state.
	URL string `yaml:"url"`
	// Language is a hint ("de", "en") used when neither the page nor the
	// detector can tell.
	Language     string        `yaml:"language"`
	PollInterval time.Duration `yaml:"poll_interval"`
	// CanonicalDomains are registrable domains (eTLD+1: "spiegel.de")
	// whose URLs this feed's pages may name as their canonical URL besides
	// their own, for an outlet that serves pages from one domain and
	// canonicalizes to another. A canonical URL elsewhere is ignored.
	CanonicalDomains []string `yaml:"canonical_domains"`
}

// BackoffConfig shapes the delay after failed polls: Initial doubled per
// consecutive failure, capped at Max (and never shorter than the feed's
// poll interval).
type BackoffConfig struct {
	Initial time.Duration `yaml:"initial"`
	Max     time.Duration `yaml:"max"`
	// MaxRetryAfter caps how long a server's Retry-After can park a host.
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
}

// Defaults fills zero fields with the named defaults.
func (c *Config) Defaults() {
	c.MinRelevance = cmp.Or(c.MinRelevance, DefaultMinRelevance)
	c.UserAgent = cmp.Or(c.UserAgent, DefaultUserAgent)
	c.PollInterval = cmp.Or(c.PollInterval, DefaultPollInterval)
	c.MaxPollInterval = cmp.Or(c.MaxPollInterval, DefaultMaxPollInterval)
	c.PollJitter = cmp.Or(c.PollJitter, DefaultPollJitter)
	c.MaxUnchangedFactor = cmp.Or(c.MaxUnchangedFactor, DefaultMaxUnchangedFactor)
	c.RequestTimeout = cmp.Or(c.RequestTimeout, DefaultRequestTimeout)
	c.DialTimeout = cmp.Or(c.DialTimeout, DefaultDialTimeout)
	c.HeaderTimeout = cmp.Or(c.HeaderTimeout, DefaultHeaderTimeout)
	c.MaxFeedBytes = cmp.Or(c.MaxFeedBytes, DefaultMaxFeedBytes)
	c.MaxPageBytes = cmp.Or(c.MaxPageBytes, DefaultMaxPageBytes)
	c.MaxRobotsBytes = cmp.Or(c.MaxRobotsBytes, DefaultMaxRobotsBytes)
	c.Concurrency = cmp.Or(c.Concurrency, DefaultConcurrency)
	c.PerHostConcurrency = cmp.Or(c.PerHostConcurrency, DefaultPerHostConcurrency)
	c.PerHostInterval = cmp.Or(c.PerHostInterval, DefaultPerHostInterval)
	c.MaxRedirects = cmp.Or(c.MaxRedirects, DefaultMaxRedirects)
	if c.RespectRobots == nil {
		t := true
		c.RespectRobots = &t
	}
	c.RobotsTTL = cmp.Or(c.RobotsTTL, DefaultRobotsTTL)
	c.RobotsErrorTTL = cmp.Or(c.RobotsErrorTTL, DefaultRobotsErrorTTL)
	c.MinDescriptionChars = cmp.Or(c.MinDescriptionChars, DefaultMinDescription)
	c.MaxItemsPerPoll = cmp.Or(c.MaxItemsPerPoll, DefaultMaxItemsPerPoll)
	c.MaxTextBytes = cmp.Or(c.MaxTextBytes, DefaultMaxTextBytes)
	c.MaxDescriptionBytes = cmp.Or(c.MaxDescriptionBytes, DefaultMaxDescBytes)
	c.MaxItemAttempts = cmp.Or(c.MaxItemAttempts, DefaultMaxItemAttempts)
	c.ClaimTimeout = cmp.Or(c.ClaimTimeout, DefaultClaimTimeout)
	c.MemberTTL = cmp.Or(c.MemberTTL, DefaultMemberTTL)
	c.Backoff.Initial = cmp.Or(c.Backoff.Initial, DefaultBackoffInitial)
	c.Backoff.Max = cmp.Or(c.Backoff.Max, DefaultBackoffMax)
	c.Backoff.MaxRetryAfter = cmp.Or(c.Backoff.MaxRetryAfter, DefaultMaxRetryAfter)
	c.Extract.MaxBytes = cmp.Or(c.Extract.MaxBytes, c.MaxPageBytes)
	for i := range c.Feeds {
		c.Feeds[i].Name = cmp.Or(c.Feeds[i].Name, c.Feeds[i].ID) // the display name falls back to the id
		for j, d := range c.Feeds[i].CanonicalDomains {
			c.Feeds[i].CanonicalDomains[j] = registrableDomain(strings.TrimSpace(d))
		}
	}
}

// Validate checks a defaulted Config and reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("ingest."+format, args...)) }
	if len(c.Feeds) == 0 {
		bad("feeds: at least one feed is required")
	}
	ids := map[string]int{}
	for i, f := range c.Feeds {
		where := fmt.Sprintf("feeds[%d]", i)
		if f.ID != "" {
			where += " (" + f.ID + ")"
		}
		if !feedIDPattern.MatchString(f.ID) {
			bad("%s: id %q: want 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit", where, f.ID)
		}
		if j, dup := ids[f.ID]; dup {
			bad("%s: duplicate id %q (also feeds[%d])", where, f.ID, j)
		}
		ids[f.ID] = i
		if err := checkURL(f.URL); err != nil {
			bad("%s: url: %v", where, err)
		}
		if f.Language != "" && !validLang(f.Language) {
			bad("%s: language %q: want an ISO 639-1 code such as de or en", where, f.Language)
		}
		for _, d := range f.CanonicalDomains {
			if d == "" || strings.ContainsAny(d, "/:@ ") {
				bad("%s: canonical_domains: %q: want a domain name such as spiegel.de", where, d)
			}
		}
		if f.PollInterval < 0 {
			bad("%s: poll_interval must not be negative", where)
		} else if f.PollInterval > 0 && f.PollInterval < MinPollInterval && !c.AllowFastPolling {
			bad("%s: poll_interval %v is below the %v floor (set allow_fast_polling for tests and demos)", where, f.PollInterval, MinPollInterval)
		}
	}
	if c.PollInterval < MinPollInterval && !c.AllowFastPolling {
		bad("poll_interval %v is below the %v floor (set allow_fast_polling for tests and demos)", c.PollInterval, MinPollInterval)
	}
	if c.PollInterval <= 0 || c.MaxPollInterval < c.PollInterval {
		bad("poll_interval must be positive and max_poll_interval (%v) at least poll_interval (%v)", c.MaxPollInterval, c.PollInterval)
	}
	if c.PollJitter < 0 || c.PollJitter > 1 {
		bad("poll_jitter %v: want 0..1", c.PollJitter)
	}
	if c.MaxUnchangedFactor < 1 || c.MaxUnchangedFactor > 100 {
		bad("max_unchanged_factor %v: want 1..100", c.MaxUnchangedFactor)
	}
	if c.MinRelevance < 0 {
		bad("min_relevance must not be negative")
	}
	if strings.TrimSpace(c.UserAgent) == "" || strings.ContainsAny(c.UserAgent, "\r\n") {
		bad("user_agent must be one non-empty line")
	}
	for name, d := range map[string]time.Duration{
		"request_timeout": c.RequestTimeout, "dial_timeout": c.DialTimeout, "header_timeout": c.HeaderTimeout,
		"robots_ttl": c.RobotsTTL, "robots_error_ttl": c.RobotsErrorTTL, "claim_timeout": c.ClaimTimeout, "member_ttl": c.MemberTTL,
		"backoff.initial": c.Backoff.Initial, "backoff.max": c.Backoff.Max, "backoff.max_retry_after": c.Backoff.MaxRetryAfter,
	} {
		if d <= 0 {
			bad("%s must be positive", name)
		}
	}
	if c.PerHostInterval < 0 {
		bad("per_host_interval must not be negative")
	}
	if c.Backoff.Max < c.Backoff.Initial {
		bad("backoff.max (%v) must be at least backoff.initial (%v)", c.Backoff.Max, c.Backoff.Initial)
	}
	for name, n := range map[string]int64{"max_feed_bytes": c.MaxFeedBytes, "max_page_bytes": c.MaxPageBytes, "max_robots_bytes": c.MaxRobotsBytes} {
		if n < 1024 {
			bad("%s %d: want at least 1024", name, n)
		}
	}
	for name, n := range map[string]int{
		"concurrency": c.Concurrency, "per_host_concurrency": c.PerHostConcurrency,
		"max_items_per_poll": c.MaxItemsPerPoll, "max_item_attempts": c.MaxItemAttempts,
		"max_text_bytes": c.MaxTextBytes, "max_description_bytes": c.MaxDescriptionBytes,
	} {
		if n < 1 {
			bad("%s %d: want at least 1", name, n)
		}
	}
	if c.MaxRedirects < 0 || c.MaxRedirects > 20 {
		bad("max_redirects %d: want 0..20", c.MaxRedirects)
	}
	if c.MaxItemAge < 0 {
		bad("max_item_age must not be negative")
	}
	if c.MinDescriptionChars < 0 {
		bad("min_description_chars must not be negative")
	}
	return errors.Join(errs...)
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want an http or https URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	return nil
}

func validLang(s string) bool {
	if len(s) != 2 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
