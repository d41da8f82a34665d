package ingest

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// hostPool holds per-host politeness state: a concurrency cap, a rate
// limiter and a "blocked until" time set by 429/503 Retry-After, shared by
// every feed and page on that host.
type hostPool struct {
	perHost  int
	interval time.Duration

	mu    sync.Mutex
	hosts map[string]*host
}

type host struct {
	sem chan struct{}
	lim *rate.Limiter

	mu           sync.Mutex
	blockedUntil time.Time
	minInterval  time.Duration
}

func newHostPool(perHost int, interval time.Duration) *hostPool {
	return &hostPool{perHost: perHost, interval: interval, hosts: map[string]*host{}}
}

// hostKey is the pool key of a URL host: lower case, port kept, so two
// servers on one machine are two hosts.
func hostKey(h string) string { return strings.ToLower(h) }

func (p *hostPool) get(name string) *host {
	name = hostKey(name)
	p.mu.Lock()
	defer p.mu.Unlock()
	h, ok := p.hosts[name]
	if !ok {
		h = &host{sem: make(chan struct{}, p.perHost), lim: rate.NewLimiter(every(p.interval), 1), minInterval: p.interval}
		p.hosts[name] = h
	}
	return h
}

func every(d time.Duration) rate.Limit {
	if d <= 0 {
		return rate.Inf
	}
	return rate.Every(d)
}

// acquire takes a concurrency slot and waits for the rate limiter.
func (h *host) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := h.lim.Wait(ctx); err != nil {
		<-h.sem
		return nil, err
	}
	return func() { <-h.sem }, nil
}

// blocked reports until when the host asked us to stay away.
func (h *host) blocked(now time.Time) (time.Time, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.blockedUntil, now.Before(h.blockedUntil)
}

// block keeps requests away from the host until t (never shortening an
// earlier block).
func (h *host) block(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.blockedUntil) {
		h.blockedUntil = t
	}
}

// slowDown raises the minimum gap between requests (robots.txt Crawl-delay).
func (h *host) slowDown(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d > h.minInterval {
		h.minInterval = d
		h.lim.SetLimit(every(d))
	}
}
