package summarize

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// outage answers the first n brief requests with bad, then as the editor
// (the LLM test double) does.
func outage(n int32, bad llmtest.Reply) (llmtest.Handler, *atomic.Int32) {
	good := editor(nil)
	var seen atomic.Int32
	return func(req llmtest.ChatRequest) llmtest.Reply {
		if summarizetest.Purpose(req) == purposeBrief && seen.Add(1) <= n {
			return bad
		}
		return good(req)
	}, &seen
}

// TestLLMOutageKeepsArticles: an LLM that answers 429, 500 or nothing in
// time for a while is an outage, not a bad article. Before, each failed
// call spent one of the article's max_deliver deliveries and the healthy
// articles went to the DLQ within seconds (a 429 with Retry-After 1 s
// emptied five deliveries in ten). Now the consumer pauses briefing, holds
// the messages, and briefs every article once the LLM is back.
func TestLLMOutageKeepsArticles(t *testing.T) {
	tests := []struct {
		name string
		bad  llmtest.Reply
	}{
		{"429 Retry-After 1", llmtest.RateLimited("1")},
		{"500", llmtest.ServerError()},
		{"timeout", llmtest.Reply{Delay: 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Three times as many failed calls as deliveries allowed (the
			// client tries each call twice).
			const maxDeliver = 2
			h, seen := outage(3*maxDeliver*2, tt.bad)
			ts := newLLMSetup(t, h, func(c *Config, lc *llm.Config) {
				c.MaxDeliver = maxDeliver
				c.Backoff = []time.Duration{10 * time.Millisecond}
				c.Pause = PauseConfig{Initial: 20 * time.Millisecond, Max: 100 * time.Millisecond}
				lc.Timeout = 300 * time.Millisecond
			})
			articles := loadArticles(t, "articles.json")[:3]
			publishArticles(t, ts.stage.bus, articles)
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			cctx, stop := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Go(func() {
				if err := ts.stage.consume(cctx); err != nil {
					t.Error(err)
				}
			})
			if err := ts.stage.bus.WaitIdle(ctx, bus.StreamArticles, Durable, 20*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			stop()
			wg.Wait()
			var dead []string
			if err := ts.stage.bus.ReadSince(t.Context(), bus.StreamDLQ, bus.DLQSubject("summarize"), time.Time{}, func(m jetstream.Msg) error {
				dead = append(dead, m.Headers().Get(bus.HeaderError))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(dead) > 0 {
				t.Fatalf("%d healthy articles dead-lettered during the outage: %q", len(dead), dead)
			}
			if n := seen.Load(); n <= 3*maxDeliver*2 {
				t.Fatalf("%d brief requests: the outage never ended", n)
			}
			// Every article has its brief: nothing was given up.
			for _, a := range articles {
				if _, cached, err := ts.stage.brief(t.Context(), nil, a, a.Language); err != nil || !cached {
					t.Errorf("%s: brief cached %v, err %v", a.ID, cached, err)
				}
			}
		})
	}
}
