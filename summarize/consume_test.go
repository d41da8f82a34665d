package summarize

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

func publishArticles(t *testing.T, b *bus.Bus, as []news.Article) {
	t.Helper()
	for _, a := range as {
		if _, err := b.Publish(t.Context(), bus.ArticleSubject(a.Language, a.Source), a.ID, a, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// runConsumer runs the stage's consumer until it has caught up.
func runConsumer(t *testing.T, s *Stage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.consume(cctx); err != nil {
			t.Error(err)
		}
	})
	// Let the consumer exist before waiting for it to go idle.
	time.Sleep(50 * time.Millisecond)
	if err := s.bus.WaitIdle(ctx, bus.StreamArticles, Durable, 20*time.Millisecond); err != nil {
		t.Error(err)
	}
	stop()
	wg.Wait()
}

func briefCalls(srv *llmtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if summarizetest.Purpose(r) == purposeBrief {
			n++
		}
	}
	return n
}

// TestBriefCache: each article is briefed once; a second consumer pass
// (all messages redelivered), a restarted stage and Compose cost nothing.
func TestBriefCache(t *testing.T) {
	ts := newLLMSetup(t, editor(nil), nil)
	articles := loadArticles(t, "articles.json")
	publishArticles(t, ts.stage.bus, articles)
	// A poison message must not stop the rest.
	if _, err := ts.stage.bus.Publish(t.Context(), bus.ArticleSubject("de", "junk"), "junk", "not an article", nil); err != nil {
		t.Fatal(err)
	}
	runConsumer(t, ts.stage)
	// Two fixtures are one wire text under two headlines: one brief.
	distinct := len(articles) - 1
	if n := briefCalls(ts.srv); n != distinct {
		t.Fatalf("%d brief calls for %d distinct texts", n, distinct)
	}

	// Redelivery: drop the durable consumer so every message comes again.
	if err := ts.stage.bus.DeleteConsumer(t.Context(), bus.StreamArticles, Durable); err != nil {
		t.Fatal(err)
	}
	runConsumer(t, ts.stage)
	// A restarted stage (new process, same bus and model) on the same articles.
	restarted := newTestStage(t, Config{}, Deps{Bus: ts.stage.bus, LLM: ts.stage.llm})
	for _, a := range articles {
		made, err := restarted.HandleArticle(t.Context(), a)
		if err != nil || made != 0 {
			t.Errorf("%s: made %d, err %v", a.ID, made, err)
		}
	}
	if _, err := restarted.Compose(t.Context(), "daily", "2026-11-28", articles); err != nil {
		t.Fatal(err)
	}
	if n := briefCalls(ts.srv); n != distinct {
		t.Errorf("%d brief calls after redelivery, restart and compose; want still %d", n, distinct)
	}
	// The poison message went to the dead-letter queue with its error.
	var dead int
	err := ts.stage.bus.ReadSince(t.Context(), bus.StreamDLQ, bus.DLQSubject("summarize"), time.Time{}, func(m jetstream.Msg) error {
		if m.Headers().Get(bus.HeaderError) == "" {
			t.Error("dead letter without error header")
		}
		dead++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dead < 1 {
		t.Error("poison message not dead-lettered")
	}

	// A different prompt version is a different cache key: briefed anew.
	v2 := newTestStage(t, Config{PromptVersion: "p2"}, Deps{Bus: ts.stage.bus, LLM: ts.stage.llm})
	if made, err := v2.HandleArticle(t.Context(), articles[0]); err != nil || made != 1 {
		t.Errorf("prompt p2: made %d, err %v; want a new brief", made, err)
	}
}

// TestHandleVerdicts: what an LLM failure while briefing does to the
// article message.
func TestHandleVerdicts(t *testing.T) {
	tests := []struct {
		name      string
		reply     llmtest.Reply
		retry     bool
		after     time.Duration
		permanent bool
	}{
		{"429 with Retry-After", llmtest.RateLimited("120"), true, 120 * time.Second, false},
		{"503 overloaded", llmtest.Overloaded("30"), true, 30 * time.Second, false},
		{"400 bad request", llmtest.BadRequest("context length exceeded"), false, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newLLMSetup(t, llmtest.Always(tt.reply), nil)
			a := loadArticles(t, "articles.json")[0]
			_, err := ts.stage.HandleArticle(t.Context(), a)
			if err == nil {
				t.Fatal("no error")
			}
			retry, after := llm.Retryable(err)
			if retry != tt.retry || (tt.retry && after != tt.after) {
				t.Errorf("Retryable = %v, %v; want %v, %v", retry, after, tt.retry, tt.after)
			}
			// Through the real consumer: a permanent failure is dead-lettered,
			// a transient one waits for redelivery.
			publishArticles(t, ts.stage.bus, []news.Article{a})
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			wg.Go(func() { _ = ts.stage.consume(ctx) })
			deadline := time.Now().Add(5 * time.Second)
			for len(ts.srv.Requests()) < 2 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			cancel()
			wg.Wait()
			dead := 0
			_ = ts.stage.bus.ReadSince(t.Context(), bus.StreamDLQ, bus.DLQSubject("summarize"), time.Time{}, func(m jetstream.Msg) error {
				var got news.Article
				if json.Unmarshal(m.Data(), &got) == nil && got.ID == a.ID {
					dead++
					if !strings.Contains(m.Headers().Get(bus.HeaderError), "400") {
						t.Errorf("dead letter error %q", m.Headers().Get(bus.HeaderError))
					}
				}
				return nil
			})
			// One request from HandleArticle, one from the consumer: a 429 is
			// not hammered, its wait lives in JetStream.
			if n := len(ts.srv.Requests()); n != 2 {
				t.Errorf("%d requests at the double, want 2", n)
			}
			if (dead == 1) != tt.permanent {
				t.Errorf("dead letters %d, permanent %v", dead, tt.permanent)
			}
		})
	}
}

// TestConsumerSkipsStale: articles older than every edition's lookback are
// acked without a brief.
func TestConsumerSkipsStale(t *testing.T) {
	ts := newLLMSetup(t, editor(nil), nil)
	publishArticles(t, ts.stage.bus, loadArticles(t, "articles.json"))
	late := newTestStage(t, Config{}, Deps{Bus: ts.stage.bus, LLM: ts.stage.llm,
		Clock: realClockAt(25 * time.Hour)})
	runConsumer(t, late)
	if n := briefCalls(ts.srv); n != 0 {
		t.Errorf("%d briefs of articles no edition will read", n)
	}
}

// TestBriefCacheAfterFlight is the race behind an occasional "11 brief
// calls for 10 distinct texts": a worker that missed the cache while
// another worker's call for the same text was running, and reached the
// single-flight only after that call had written the cache and ended,
// must take the cached brief rather than pay again. briefMiss is exactly
// what such a worker runs after its cache miss.
func TestBriefCacheAfterFlight(t *testing.T) {
	ts := newLLMSetup(t, editor(nil), nil)
	a := loadArticles(t, "articles.json")[0]
	if _, err := ts.stage.Brief(t.Context(), a, a.Language); err != nil {
		t.Fatal(err)
	}
	if n := briefCalls(ts.srv); n != 1 {
		t.Fatalf("%d brief calls for one article", n)
	}
	b, paid, err := ts.stage.briefMiss(t.Context(), nil, ts.stage.briefKey(a, a.Language), a, a.Language)
	if err != nil {
		t.Fatal(err)
	}
	if paid || b.Text == "" {
		t.Errorf("late worker: paid %v, brief %q; want the cached brief", paid, b.Text)
	}
	if n := briefCalls(ts.srv); n != 1 {
		t.Errorf("%d brief calls after a late worker; want still 1", n)
	}
}
