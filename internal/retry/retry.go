// Package retry holds newsdesk's rules for when to send an HTTP request
// again: how long the server asked to wait (After), and exponential
// back-off when it did not say (Exponential), or a configured schedule of
// waits (Step: JetStream redeliveries, publish's outputs). The feed
// fetcher and the LLM client use Exponential and add their own jitter and
// caps.
package retry

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxAfter bounds what a server can ask for, so that a hostile value cannot
// overflow durations downstream. Callers cap further from their config.
const MaxAfter = 365 * 24 * time.Hour

// After reads how long a response asks the client to wait:
// Retry-After-Ms (milliseconds, sent by OpenAI-compatible APIs) if it
// holds a positive number, else Retry-After as delay-seconds (fractions
// accepted) or an HTTP-date (RFC 9110, section 10.2.3). It is 0 when the
// headers are absent, unparseable or in the past, and at most MaxAfter.
func After(h http.Header, now time.Time) time.Duration {
	if ms, ok := number(h.Get("Retry-After-Ms")); ok && ms > 0 {
		return seconds(ms / 1000)
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, ok := number(v); ok {
		return seconds(s)
	}
	if t, err := http.ParseTime(v); err == nil {
		return seconds(t.Sub(now).Seconds())
	}
	return 0
}

// number parses a decimal number; NaN and infinities are not numbers.
func number(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// seconds converts s to a duration in [0, MaxAfter].
func seconds(s float64) time.Duration {
	if s <= 0 {
		return 0
	}
	return time.Duration(min(s, MaxAfter.Seconds()) * float64(time.Second))
}

// Exponential is the wait before retry number attempt (0 for the first
// retry): base doubled attempt times, at most max. A non-positive base
// gives max.
func Exponential(base, max time.Duration, attempt int) time.Duration {
	if base <= 0 {
		return max
	}
	d := base
	for range attempt {
		if d > max/2 {
			return max
		}
		d *= 2
	}
	return min(d, max)
}

// Step is the wait after failed attempt n (1 is the first) in a schedule:
// its nth wait, the last one for every later attempt, fallback when the
// schedule is empty.
func Step(schedule []time.Duration, n int, fallback time.Duration) time.Duration {
	if len(schedule) == 0 {
		return fallback
	}
	return schedule[min(max(n-1, 0), len(schedule)-1)]
}
