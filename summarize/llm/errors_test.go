package llm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		replies    []llmtest.Reply
		maxRetries int
		wantErr    bool
		wantStatus int
		wantAfter  time.Duration // APIError.RetryAfter
		wantCalls  int
		minGap     time.Duration // lower bound between first and last request
	}{
		{name: "429 Retry-After seconds honoured", replies: []llmtest.Reply{llmtest.RateLimited("1"), llmtest.OK("ok")},
			wantCalls: 2, minGap: time.Second},
		{name: "429 Retry-After-Ms honoured", replies: []llmtest.Reply{
			{Status: 429, Header: http.Header{"Retry-After-Ms": {"300"}}}, llmtest.OK("ok")},
			wantCalls: 2, minGap: 300 * time.Millisecond},
		{name: "429 exhausted", replies: []llmtest.Reply{llmtest.RateLimited("0")}, maxRetries: 2,
			wantErr: true, wantStatus: 429, wantCalls: 3},
		{name: "429 wait beyond max_retry_delay goes back to the caller", replies: []llmtest.Reply{llmtest.RateLimited("120")},
			wantErr: true, wantStatus: 429, wantAfter: 120 * time.Second, wantCalls: 1},
		{name: "503 overloaded then ok", replies: []llmtest.Reply{llmtest.Overloaded(""), llmtest.Overloaded(""), llmtest.OK("ok")},
			wantCalls: 3},
		{name: "500 retried", replies: []llmtest.Reply{llmtest.ServerError(), llmtest.OK("ok")}, wantCalls: 2},
		{name: "400 not retried", replies: []llmtest.Reply{llmtest.BadRequest("context length exceeded")},
			wantErr: true, wantStatus: 400, wantCalls: 1},
		{name: "404 not retried", replies: []llmtest.Reply{{Status: 404}}, wantErr: true, wantStatus: 404, wantCalls: 1},
		{name: "422 not retried", replies: []llmtest.Reply{{Status: 422}}, wantErr: true, wantStatus: 422, wantCalls: 1},
		{name: "retries disabled", replies: []llmtest.Reply{llmtest.ServerError(), llmtest.OK("ok")}, maxRetries: -1,
			wantErr: true, wantStatus: 500, wantCalls: 1},
	}
	for _, stream := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if stream {
				name += "/stream"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := llmtest.New(t, llmtest.Sequence(tt.replies...))
				c, _ := newClient(t, srv, func(c *llm.Config) {
					c.Stream = stream
					if tt.maxRetries != 0 {
						c.MaxRetries = tt.maxRetries
					}
				})
				resp, err := c.Complete(context.Background(), userRequest("x"))
				reqs := srv.Requests()
				if len(reqs) != tt.wantCalls {
					t.Errorf("server saw %d requests, want %d", len(reqs), tt.wantCalls)
				}
				if !tt.wantErr {
					if err != nil || resp.Content != "ok" {
						t.Fatalf("got %q, %v", resp.Content, err)
					}
				} else {
					var ae *llm.APIError
					if !errors.As(err, &ae) {
						t.Fatalf("err = %v (%T), want *APIError", err, err)
					}
					if ae.Status != tt.wantStatus || ae.RetryAfter != tt.wantAfter {
						t.Errorf("APIError{Status %d, RetryAfter %s}, want {%d, %s}", ae.Status, ae.RetryAfter, tt.wantStatus, tt.wantAfter)
					}
					retry, after := llm.Retryable(err)
					if retry != ae.Temporary() || after != ae.RetryAfter {
						t.Errorf("Retryable = %v, %s", retry, after)
					}
				}
				if tt.minGap > 0 && len(reqs) > 1 {
					if gap := reqs[len(reqs)-1].Received.Sub(reqs[0].Received); gap < tt.minGap {
						t.Errorf("retried after %s, server asked for %s", gap, tt.minGap)
					}
				}
			})
		}
	}
}

func TestRetryAfterBeyondDeadline(t *testing.T) {
	// Within max_retry_delay, beyond the caller's deadline; the margins
	// are wide so that a slow first request does not reach the deadline.
	srv := llmtest.New(t, llmtest.Sequence(llmtest.RateLimited("300"), llmtest.OK("ok")))
	c, _ := newClient(t, srv, func(c *llm.Config) { c.MaxRetryDelay = 10 * time.Minute })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.Complete(ctx, userRequest("x"))
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.RetryAfter != 300*time.Second {
		t.Fatalf("err = %v, want *APIError with RetryAfter 300s", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestAPIKey(t *testing.T) {
	t.Setenv("TEST_LLM_KEY", "sk-test-123")
	srv := llmtest.New(t, nil, llmtest.WithAPIKey("sk-test-123"))
	c, _ := newClient(t, srv, func(c *llm.Config) { c.APIKeyEnv = "TEST_LLM_KEY" })
	if _, err := c.Complete(context.Background(), userRequest("x")); err != nil {
		t.Fatalf("with key: %v", err)
	}
	bad, _ := newClient(t, srv, func(c *llm.Config) { c.APIKeyEnv = "TEST_LLM_KEY_UNSET" })
	_, err := bad.Complete(context.Background(), userRequest("x"))
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("without key: err = %v, want 401", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("401 was retried: server saw %d chat requests, want 1", n)
	}
}

func TestHangTimesOut(t *testing.T) {
	for _, stream := range []bool{false, true} {
		srv := llmtest.New(t, llmtest.Always(llmtest.Hang()))
		c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = stream; c.Timeout = 200 * time.Millisecond })
		_, err := c.Complete(context.Background(), userRequest("x"))
		if !errors.Is(err, llm.ErrTimeout) {
			t.Fatalf("stream %v: err = %v, want ErrTimeout", stream, err)
		}
		if ok, _ := llm.Retryable(err); !ok {
			t.Errorf("timeout not retryable")
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("timeout retried in-process: %d requests", n)
		}
	}
}

func TestCallerCancel(t *testing.T) {
	srv := llmtest.New(t, llmtest.Always(llmtest.Hang()))
	c, _ := newClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Complete(ctx, userRequest("x"))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, llm.ErrTimeout) {
		t.Fatalf("err = %v, want the caller's context error", err)
	}
}

func TestStreamIdle(t *testing.T) {
	long := strings.Repeat("Ein langer Satz über Halbleiter. ", 20)
	tests := []struct {
		name    string
		reply   llmtest.Reply
		idle    time.Duration
		wantErr error
	}{
		{"stall after chunks with keep-alives", llmtest.Stall(long, 3), 300 * time.Millisecond, llm.ErrTimeout},
		// 20 chunks 80 ms apart take longer than the idle timeout in
		// total, so this fails unless every chunk resets the watchdog.
		{"slow but steady chunks", llmtest.Reply{Content: strings.Repeat("x", 160), ChunkDelay: 80 * time.Millisecond}, 800 * time.Millisecond, nil},
		// The first chunk comes after more than the idle timeout: the
		// watchdog is armed only by the first chunk.
		{"slow first chunk is not idle", llmtest.Reply{Content: "Antwort", Delay: 1500 * time.Millisecond}, 500 * time.Millisecond, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t, llmtest.Always(tt.reply), llmtest.WithKeepAliveInterval(20*time.Millisecond))
			c, _ := newClient(t, srv, func(c *llm.Config) {
				c.Stream = true
				c.StreamIdleTimeout = tt.idle
				c.Timeout = 30 * time.Second
			})
			_, err := c.Complete(context.Background(), userRequest("x"))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && !strings.Contains(err.Error(), "no chunk") {
				t.Errorf("error does not say why: %v", err)
			}
		})
	}
}

func TestStallBeforeFirstChunkHitsTimeout(t *testing.T) {
	// Keep-alives alone are no progress: a server that only sends them ends
	// at the attempt timeout.
	srv := llmtest.New(t, llmtest.Always(llmtest.Stall("", 1)), llmtest.WithKeepAliveInterval(10*time.Millisecond))
	c, _ := newClient(t, srv, func(c *llm.Config) {
		c.Stream = true
		c.StreamIdleTimeout = time.Minute
		c.Timeout = 300 * time.Millisecond
	})
	_, err := c.Complete(context.Background(), userRequest("x"))
	if !errors.Is(err, llm.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestMalformedAnswers(t *testing.T) {
	big := strings.Repeat("x", 8192)
	tests := []struct {
		name   string
		stream bool
		reply  llmtest.Reply
	}{
		{"truncated JSON body", false, llmtest.Malformed()},
		{"HTML instead of JSON", false, llmtest.Reply{RawBody: "<html><body>502 Bad Gateway</body></html>"}},
		{"no choices", false, llmtest.Reply{RawBody: `{"id":"x","object":"chat.completion","choices":[],"model":"m"}`}},
		{"oversized body", false, llmtest.OK(big)},
		{"broken chunk", true, llmtest.Reply{RawBody: "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"\n\ndata: [DONE]\n\n"}},
		{"stream cut before finish", true, llmtest.Reply{RawBody: "data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"halb\"},\"finish_reason\":null}]}\n\n"}},
		{"error event mid-stream", true, llmtest.Reply{RawBody: "data: {\"error\":{\"message\":\"model crashed\",\"type\":\"server_error\"}}\n\n"}},
		{"oversized stream", true, llmtest.Reply{Content: big, ChunkRunes: 1024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Always(tt.reply))
			c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = tt.stream; c.MaxResponseBytes = 4096 })
			_, err := c.Complete(context.Background(), userRequest("x"))
			if !errors.Is(err, llm.ErrBadResponse) {
				t.Fatalf("err = %v, want ErrBadResponse", err)
			}
			if ok, _ := llm.Retryable(err); !ok {
				t.Errorf("bad response not retryable")
			}
		})
	}
}

func TestServerUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL + "/v1"
	dead.Close()
	c, err := llm.New(llm.Config{BaseURL: url, Model: "m", MaxRetries: 1, RetryBaseDelay: time.Millisecond}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Complete(context.Background(), userRequest("x"))
	if !errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	for _, limit := range []int{1, 2, 3} {
		srv := llmtest.New(t, llmtest.Always(llmtest.Slow(100*time.Millisecond, "ok")))
		c, _ := newClient(t, srv, func(c *llm.Config) { c.MaxConcurrency = limit })
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for range 6 {
			wg.Go(func() {
				_, err := c.Complete(context.Background(), userRequest("x"))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := srv.MaxInFlight(); got != limit {
			t.Errorf("max_concurrency %d: server saw %d requests at once", limit, got)
		}
	}
}

func TestRequestsPerSecond(t *testing.T) {
	// At 0.01 requests/s with burst 1, the second call has no slot for
	// 100 s: with a shorter deadline the limiter refuses it before it
	// reaches the server. (At 0.5/s and 200 ms, 1.8 s between the two
	// calls on a slow machine would bring the slot within the deadline.)
	srv := llmtest.New(t, nil)
	c, _ := newClient(t, srv, func(c *llm.Config) { c.RequestsPerSecond = 0.01 })
	if _, err := c.Complete(context.Background(), userRequest("x")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.Complete(ctx, userRequest("x"))
	if !errors.Is(err, llm.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout from the rate limiter", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("rate-limited request reached the server: %d requests", n)
	}
}
