package llm

import (
	"net/http"
	"testing"
	"time"
)

// TestParseRetryAfter covers what the client adds to retry.After (whose
// own tests cover the header forms): the cap at maxServerWait.
func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds pass through", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"milliseconds pass through", http.Header{"Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{"huge is capped", http.Header{"Retry-After": {"99999999999999"}}, maxServerWait},
		{"huge ms is capped", http.Header{"Retry-After-Ms": {"1e300"}}, maxServerWait},
		{"a far date is capped", http.Header{"Retry-After": {"Sun, 29 Nov 2099 08:00:00 GMT"}}, maxServerWait},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.header, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
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
