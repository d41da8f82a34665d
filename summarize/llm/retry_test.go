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
	if got := parseRetryAfter(http.Header{"Retry-After": {"7"}}, now); got != 7*time.Second {
		t.Errorf("a short wait: got %s, want 7s", got)
	}
	for _, h := range []http.Header{
		{"Retry-After": {"99999999999999"}},
		{"Retry-After-Ms": {"1e300"}},
		{"Retry-After": {"Sun, 29 Nov 2099 08:00:00 GMT"}},
	} {
		if got := parseRetryAfter(h, now); got != maxServerWait {
			t.Errorf("%v: got %s, want the cap %s", h, got, maxServerWait)
		}
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
