package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// Per-host politeness has two parts. The concurrency cap (at most
// per_host_concurrency requests in flight to one host) is kept in memory,
// per process. The request schedule (a minimum gap of per_host_interval,
// raised by robots.txt Crawl-delay, between requests to one host) and the
// back-off a host asked for (429/503 Retry-After) are a hostGate: in
// memory for a fetcher on its own, in the "hosts" KV bucket for the stage,
// so that several ingest processes keep them together.

// hostGate schedules requests to hosts.
type hostGate interface {
	// reserve books the next request slot of host and returns when it
	// starts (now or later; the caller waits), or a *HostBlockedError
	// while the host asked us to stay away.
	reserve(ctx context.Context, host string) (time.Time, error)
	// block keeps requests away from host until t (never shortening an
	// earlier block).
	block(ctx context.Context, host string, t time.Time) error
	// slowDown raises the host's minimum gap between requests.
	slowDown(ctx context.Context, host string, d time.Duration) error
	// record returns the host's schedule as it stands.
	record(ctx context.Context, host string) (hostRecord, error)
}

// hostKey is the key of a URL host: lower case, port kept, so two
// servers on one machine are two hosts.
func hostKey(h string) string { return strings.ToLower(h) }

// hostSlots caps the requests in flight per host within this process.
type hostSlots struct {
	perHost int
	mu      sync.Mutex
	sems    map[string]chan struct{}
}

func newHostSlots(perHost int) *hostSlots {
	return &hostSlots{perHost: perHost, sems: map[string]chan struct{}{}}
}

// acquire takes a slot of host; release gives it back.
func (p *hostSlots) acquire(ctx context.Context, host string) (release func(), err error) {
	host = hostKey(host)
	p.mu.Lock()
	sem, ok := p.sems[host]
	if !ok {
		sem = make(chan struct{}, p.perHost)
		p.sems[host] = sem
	}
	p.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hostRecord is a host's schedule, in memory or in the hosts bucket.
type hostRecord struct {
	NextSlot     time.Time     `json:"next_slot,omitzero"`     // the earliest start of the next request
	BlockedUntil time.Time     `json:"blocked_until,omitzero"` // Retry-After
	MinInterval  time.Duration `json:"min_interval,omitempty"` // robots.txt Crawl-delay, when above the configured gap
}

// book takes the next slot of r at or after now, given the configured
// minimum gap; it reports a block instead when there is one.
func (r *hostRecord) book(host string, now time.Time, interval time.Duration) (time.Time, error) {
	if now.Before(r.BlockedUntil) {
		return time.Time{}, &HostBlockedError{Host: host, Until: r.BlockedUntil}
	}
	slot := now
	if r.NextSlot.After(slot) {
		slot = r.NextSlot
	}
	r.NextSlot = slot.Add(max(interval, r.MinInterval))
	return slot, nil
}

// localHosts is the in-memory hostGate.
type localHosts struct {
	interval time.Duration
	now      func() time.Time
	mu       sync.Mutex
	hosts    map[string]*hostRecord
}

func newLocalHosts(interval time.Duration, now func() time.Time) *localHosts {
	return &localHosts{interval: interval, now: now, hosts: map[string]*hostRecord{}}
}

func (l *localHosts) get(host string) *hostRecord {
	host = hostKey(host)
	r, ok := l.hosts[host]
	if !ok {
		r = &hostRecord{}
		l.hosts[host] = r
	}
	return r
}

func (l *localHosts) reserve(_ context.Context, host string) (time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.get(host).book(host, l.now(), l.interval)
}

func (l *localHosts) block(_ context.Context, host string, t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.get(host); t.After(r.BlockedUntil) {
		r.BlockedUntil = t
	}
	return nil
}

func (l *localHosts) record(_ context.Context, host string) (hostRecord, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return *l.get(host), nil
}

func (l *localHosts) slowDown(_ context.Context, host string, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.get(host); d > r.MinInterval {
		r.MinInterval = d
	}
	return nil
}

// kvHosts is the hostGate shared by every ingest process: each change is
// a compare-and-set on the host's key in the hosts bucket, so two
// processes never book the same slot. Slots are wall-clock times; the
// processes' clocks must agree (NTP) to within the gap they keep.
type kvHosts struct {
	kv       *bus.KV
	interval time.Duration
	now      func() time.Time
}

// hostStateKey is the bucket key of a host (hosts hold ':' and other
// characters KV keys may not).
func hostStateKey(host string) string {
	sum := sha256.Sum256([]byte(hostKey(host)))
	return "h-" + hex.EncodeToString(sum[:16])
}

func (k *kvHosts) record(ctx context.Context, host string) (hostRecord, error) {
	var rec hostRecord
	e, err := k.kv.Get(ctx, hostStateKey(host))
	switch {
	case errors.Is(err, bus.ErrNotFound):
		return rec, nil
	case err != nil:
		return rec, &HostStateError{Host: host, Err: err}
	}
	_ = json.Unmarshal(e.Value, &rec) // unreadable: as if empty
	return rec, nil
}

// update applies change to host's record with compare-and-set, retrying
// when another process wrote in between. change reports whether to write.
func (k *kvHosts) update(ctx context.Context, host string, change func(*hostRecord) (bool, error)) error {
	var changeErr error
	_, err := bus.UpdateJSON(ctx, k.kv, hostStateKey(host), func(r *bus.Record[hostRecord]) (bool, error) {
		// An unreadable record (r.Corrupt) starts over from the zero value.
		write, err := change(&r.Value)
		changeErr = err
		return write, err
	})
	if err != nil && changeErr == nil {
		return &HostStateError{Host: host, Err: err}
	}
	return err
}

// HostStateError is a failure to read or write a host's shared state in
// the hosts bucket (NATS away, the bucket gone, an update that kept losing
// to other writers). It is not the feed's or the item's fault: they wait
// for their next poll without counting it.
type HostStateError struct {
	Host string
	Err  error
}

func (e *HostStateError) Error() string { return fmt.Sprintf("host state %s: %v", e.Host, e.Err) }
func (e *HostStateError) Unwrap() error { return e.Err }

func (k *kvHosts) reserve(ctx context.Context, host string) (time.Time, error) {
	var slot time.Time
	err := k.update(ctx, host, func(r *hostRecord) (bool, error) {
		var err error
		slot, err = r.book(host, k.now(), k.interval)
		return err == nil, err
	})
	return slot, err
}

func (k *kvHosts) block(ctx context.Context, host string, t time.Time) error {
	return k.update(ctx, host, func(r *hostRecord) (bool, error) {
		if !t.After(r.BlockedUntil) {
			return false, nil
		}
		r.BlockedUntil = t
		return true, nil
	})
}

func (k *kvHosts) slowDown(ctx context.Context, host string, d time.Duration) error {
	return k.update(ctx, host, func(r *hostRecord) (bool, error) {
		if d <= r.MinInterval {
			return false, nil
		}
		r.MinInterval = d
		return true, nil
	})
}

// waitUntil sleeps until t or ctx ends. The wait is on the wall clock,
// not the stage's: it spaces real requests to a real server.
func waitUntil(ctx context.Context, now, t time.Time) error {
	d := t.Sub(now)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
