package retry

import (
	"math"
	"net/http"
	"testing"
	"time"
)

func TestAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"120"}}, 2 * time.Minute},
		{"spaces", http.Header{"Retry-After": {" 5 "}}, 5 * time.Second},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"negative", http.Header{"Retry-After": {"-3"}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"NaN", http.Header{"Retry-After": {"NaN"}}, 0},
		{"infinity", http.Header{"Retry-After": {"Inf"}}, 0},
		{"HTTP-date", http.Header{"Retry-After": {"Sun, 29 Nov 2026 08:01:30 GMT"}}, 90 * time.Second},
		{"RFC 850 date", http.Header{"Retry-After": {"Sunday, 29-Nov-26 08:10:00 GMT"}}, 10 * time.Minute},
		{"date in the past", http.Header{"Retry-After": {"Sun, 29 Nov 2026 07:00:00 GMT"}}, 0},
		{"huge seconds capped", http.Header{"Retry-After": {"99999999999999"}}, MaxAfter},
		{"milliseconds win", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, 250 * time.Millisecond},
		{"bad milliseconds fall back", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"zero milliseconds fall back", http.Header{"Retry-After-Ms": {"0"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"huge milliseconds capped", http.Header{"Retry-After-Ms": {"1e300"}}, MaxAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := After(tt.header, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func FuzzAfter(f *testing.F) {
	for _, s := range []string{"1", "1.5", "Sun, 29 Nov 2026 08:01:30 GMT", "-1", "NaN", "Inf", "1e400", ""} {
		f.Add(s, s)
	}
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ra, ms string) {
		if d := After(http.Header{"Retry-After": {ra}, "Retry-After-Ms": {ms}}, now); d < 0 || d > MaxAfter {
			t.Fatalf("After(%q, %q) = %s out of range", ra, ms, d)
		}
	})
}

func TestExponential(t *testing.T) {
	tests := []struct {
		base, max time.Duration
		attempt   int
		want      time.Duration
	}{
		{time.Second, time.Minute, 0, time.Second},
		{time.Second, time.Minute, 1, 2 * time.Second},
		{time.Second, time.Minute, 5, 32 * time.Second},
		{time.Second, time.Minute, 6, time.Minute},
		{time.Second, time.Minute, math.MaxInt, time.Minute},
		{time.Second, time.Minute, -1, time.Second},
		{0, time.Minute, 3, time.Minute},
		{time.Hour, time.Minute, 0, time.Minute},
		{time.Duration(math.MaxInt64 / 2), time.Duration(math.MaxInt64), 10, time.Duration(math.MaxInt64)},
	}
	for _, tt := range tests {
		if got := Exponential(tt.base, tt.max, tt.attempt); got != tt.want {
			t.Errorf("Exponential(%s, %s, %d) = %s, want %s", tt.base, tt.max, tt.attempt, got, tt.want)
		}
	}
}

func TestStep(t *testing.T) {
	schedule := []time.Duration{time.Second, time.Minute, time.Hour}
	tests := []struct {
		schedule []time.Duration
		n        int
		want     time.Duration
	}{
		{schedule, 1, time.Second},
		{schedule, 2, time.Minute},
		{schedule, 3, time.Hour},
		{schedule, 9, time.Hour},
		{schedule, 0, time.Second},
		{schedule, -4, time.Second},
		{nil, 2, 5 * time.Second},
	}
	for _, tt := range tests {
		if got := Step(tt.schedule, tt.n, 5*time.Second); got != tt.want {
			t.Errorf("Step(%v, %d) = %s, want %s", tt.schedule, tt.n, got, tt.want)
		}
	}
}
