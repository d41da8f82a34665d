package llm

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"negative", http.Header{"Retry-After": {"-5"}}, 0},
		{"HTTP-date", http.Header{"Retry-After": {"Sun, 29 Nov 2026 08:01:30 GMT"}}, 90 * time.Second},
		{"HTTP-date in the past", http.Header{"Retry-After": {"Sun, 29 Nov 2026 07:00:00 GMT"}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"milliseconds win", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}, 250 * time.Millisecond},
		{"bad milliseconds fall back", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"huge is capped", http.Header{"Retry-After": {"99999999999999"}}, maxServerWait},
		{"huge ms is capped", http.Header{"Retry-After-Ms": {"1e300"}}, maxServerWait},
		{"NaN", http.Header{"Retry-After": {"NaN"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.header, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "1.5", "Sun, 29 Nov 2026 08:01:30 GMT", "-1", "NaN", "Inf", "1e400", ""} {
		f.Add(s, s)
	}
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ra, ms string) {
		d := parseRetryAfter(http.Header{"Retry-After": {ra}, "Retry-After-Ms": {ms}}, now)
		if d < 0 || d > maxServerWait {
			t.Fatalf("parseRetryAfter(%q, %q) = %s out of range", ra, ms, d)
		}
	})
}

func TestBackoffBounds(t *testing.T) {
	c := &OpenAI{cfg: Config{RetryBaseDelay: 100 * time.Millisecond, MaxRetryDelay: time.Second}}
	for attempt := range 40 {
		want := min(100*time.Millisecond<<min(attempt, 20), time.Second)
		for range 20 {
			if d := c.backoff(attempt); d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %s, want in [%s, %s]", attempt, d, want/2, want)
			}
		}
	}
}

func TestResolveThinking(t *testing.T) {
	tests := []struct{ setting, url, want string }{
		{ThinkingAuto, "https://api.deepseek.com", ThinkingOffDeepSeek},
		{ThinkingAuto, "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", ThinkingOffDashScope},
		{ThinkingAuto, "https://dashscope.aliyuncs.com/compatible-mode/v1", ThinkingOffDashScope},
		{ThinkingAuto, "http://localhost:11434/v1", ThinkingOffOllama},
		{ThinkingAuto, "http://gpu:8000/v1", ThinkingNone},
		{ThinkingAuto, "http://evil-dashscope.aliyuncs.com.example/v1", ThinkingNone},
		{ThinkingOffVLLM, "http://localhost:11434/v1", ThinkingOffVLLM},
	}
	for _, tt := range tests {
		if got := resolveThinking(tt.setting, tt.url); got != tt.want {
			t.Errorf("resolveThinking(%q, %q) = %q, want %q", tt.setting, tt.url, got, tt.want)
		}
	}
}
