package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// errRobotsDisallowed means robots.txt forbids fetching a page.
var errRobotsDisallowed = errors.New("disallowed by robots.txt")

// robotsCache applies robots.txt (RFC 9309) to article pages: one fetch per
// origin, cached for RobotsTTL; 4xx means "allow all"; 5xx and network
// failures mean "disallow all" for RobotsErrorTTL, surfaced as a transient
// error so the item is retried on a later poll.
type robotsCache struct {
	f     *fetcher
	agent string // product token matched against User-agent lines
	ttl   time.Duration
	etl   time.Duration

	mu      sync.Mutex
	entries map[string]*robotsEntry
}

type robotsEntry struct {
	mu      sync.Mutex // held while fetching, so an origin is fetched once
	data    *robotstxt.RobotsData
	err     error // set while robots.txt is unreachable
	expires time.Time
}

func newRobotsCache(f *fetcher, userAgent string, ttl, errTTL time.Duration) *robotsCache {
	return &robotsCache{f: f, agent: productToken(userAgent), ttl: ttl, etl: errTTL, entries: map[string]*robotsEntry{}}
}

// productToken is the part of a User-Agent before the first '/' or space:
// "newsdesk/0.1 (+…)" → "newsdesk".
func productToken(ua string) string {
	if i := strings.IndexAny(ua, "/ "); i >= 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}

// check returns nil if the page may be fetched, an error wrapping
// errRobotsDisallowed (permanent) if not, or a transient error when
// robots.txt is unreachable.
func (c *robotsCache) check(ctx context.Context, page *url.URL) error {
	origin := page.Scheme + "://" + strings.ToLower(page.Host)
	c.mu.Lock()
	e, ok := c.entries[origin]
	if !ok {
		e = &robotsEntry{}
		c.entries[origin] = e
	}
	c.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.f.now()
	if e.expires.IsZero() || !now.Before(e.expires) {
		c.load(ctx, origin, e)
	}
	if e.err != nil {
		return fmt.Errorf("robots.txt of %s unreachable, assuming disallow: %w", origin, e.err)
	}
	g := e.data.FindGroup(c.agent)
	if g.CrawlDelay > 0 {
		if err := c.f.hosts.slowDown(ctx, page.Host, g.CrawlDelay); err != nil {
			return fmt.Errorf("robots.txt of %s: recording its Crawl-delay: %w", origin, err)
		}
	}
	path := page.EscapedPath()
	if path == "" {
		path = "/"
	}
	if page.RawQuery != "" {
		path += "?" + page.RawQuery
	}
	if !e.data.TestAgent(path, c.agent) {
		return permanent(fmt.Errorf("%s: %w", page.Redacted(), errRobotsDisallowed))
	}
	return nil
}

func (c *robotsCache) load(ctx context.Context, origin string, e *robotsEntry) {
	now := c.f.now()
	resp, err := c.f.fetch(ctx, fetchRequest{
		URL:      origin + "/robots.txt",
		Kind:     "robots",
		Accept:   "text/plain",
		MaxBytes: c.f.cfg.MaxRobotsBytes,
		CapName:  "max_robots_bytes",
		Truncate: true, // RFC 9309 §2.5: parse at least 500 KiB, ignore the rest
	})
	var se *StatusError
	switch {
	case err == nil:
		data, perr := robotstxt.FromBytes(resp.Body)
		if perr != nil {
			// Unparseable rules protect nothing we could follow; treat
			// them like a missing file.
			c.f.log.Info("robots.txt unparseable, allowing all", "url", origin, "err", perr)
			data, _ = robotstxt.FromStatusAndBytes(404, nil)
		}
		e.data, e.err, e.expires = data, nil, now.Add(c.ttl)
	case errors.As(err, &se) && se.Status >= 400 && se.Status < 500 && se.Status != 429:
		// "Unavailable" (RFC 9309 §2.3.1.3): no restrictions.
		e.data, _ = robotstxt.FromStatusAndBytes(se.Status, nil)
		e.err, e.expires = nil, now.Add(c.ttl)
	default:
		// "Unreachable" (§2.3.1.4): complete disallow until we can read it.
		// A cancelled context is not the server's fault: do not cache it.
		e.err = err
		e.expires = now.Add(c.etl)
		if ctx.Err() != nil {
			e.expires = time.Time{}
		}
	}
}
