package publish

import (
	"sync"
	"time"
)

// windowLimiter allows at most max events per key in a sliding window. It is
// in-memory: with several replicas each enforces its own share, which is
// enough to keep one host from mail-bombing through the signup form.
type windowLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	events map[string][]time.Time
	sweep  time.Time
}

func newWindowLimiter(max int, window time.Duration) *windowLimiter {
	return &windowLimiter{max: max, window: window, events: map[string][]time.Time{}}
}

// allow records an event for key at now and reports whether it is within
// the limit.
func (l *windowLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := now.Add(-l.window)
	if now.Sub(l.sweep) > l.window {
		// Drop idle keys so the map cannot grow without bound.
		for k, ts := range l.events {
			if len(ts) == 0 || ts[len(ts)-1].Before(cut) {
				delete(l.events, k)
			}
		}
		l.sweep = now
	}
	ts := l.events[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.max {
		l.events[key] = ts
		return false
	}
	l.events[key] = append(ts, now)
	return true
}
