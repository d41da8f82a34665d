package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
)

func TestToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"spiegel.de", "spiegel-de"},
		{"Heise Online", "heise-online"},
		{"de", "de"},
		{"", "unknown"},
		{"a.*>b", "a---b"},
		{"über", "ber"},
	}
	for _, tt := range tests {
		if got := bus.Token(tt.in); got != tt.want {
			t.Errorf("Token(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublishDeduplicates(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	a := news.Article{Schema: news.ArticleSchema, ID: news.ArticleID("https://example.org/x"), URL: "https://example.org/x", Language: "de"}
	subj := bus.ArticleSubject("de", "example.org")
	if subj != "news.article.de.example-org" {
		t.Fatalf("subject %q", subj)
	}
	for i, wantDup := range []bool{false, true, true} {
		dup, err := b.Publish(ctx, subj, a.ID, a, nil)
		if err != nil {
			t.Fatal(err)
		}
		if dup != wantDup {
			t.Errorf("publish %d: dup=%v, want %v", i, dup, wantDup)
		}
	}
	if n, err := b.Msgs(ctx, bus.StreamArticles); err != nil || n != 1 {
		t.Errorf("stream holds %d messages (%v), want 1", n, err)
	}
}

func TestCreateOnce(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	if _, err := b.Seen().Create(ctx, "k1", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Seen().Create(ctx, "k1", []byte("y")); !errors.Is(err, bus.ErrConflict) || !bus.IsConflict(err) {
		t.Fatalf("second create: %v, want ErrConflict", err)
	}
	var got struct{ A int }
	if ok, err := bus.GetJSON(ctx, b.FeedState(), "missing", &got); ok || err != nil {
		t.Fatalf("GetJSON missing: ok=%v err=%v", ok, err)
	}
	if _, err := b.FeedState().Get(ctx, "missing"); !errors.Is(err, bus.ErrNotFound) {
		t.Fatalf("Get missing: %v, want ErrNotFound", err)
	}
	if err := bus.PutJSON(ctx, b.FeedState(), "f", struct{ A int }{7}); err != nil {
		t.Fatal(err)
	}
	if ok, err := bus.GetJSON(ctx, b.FeedState(), "f", &got); !ok || err != nil || got.A != 7 {
		t.Fatalf("GetJSON: ok=%v err=%v got=%+v", ok, err, got)
	}
}

// TestConsumeVerdicts drives one message per verdict through a real consumer
// and checks what JetStream did with each: acked, redelivered, dead-lettered.
func TestConsumeVerdicts(t *testing.T) {
	b := natstest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	for _, id := range []string{"ok", "retry", "perm", "flaky", "panic"} {
		if _, err := b.Publish(ctx, bus.ArticleSubject("en", id), id, map[string]string{"id": id}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var calls = map[string]*atomic.Int32{}
	for _, id := range []string{"ok", "retry", "perm", "flaky", "panic"} {
		calls[id] = new(atomic.Int32)
	}
	h := func(ctx context.Context, m jetstream.Msg) error {
		var v map[string]string
		if err := json.Unmarshal(m.Data(), &v); err != nil {
			return bus.Permanent(err)
		}
		n := calls[v["id"]].Add(1)
		switch v["id"] {
		case "retry":
			if n == 1 {
				return bus.Retry(errors.New("busy"), 50*time.Millisecond)
			}
		case "perm":
			return bus.Permanent(errors.New("bad input"))
		case "flaky":
			return errors.New("always fails")
		case "panic":
			panic("boom")
		}
		return nil
	}
	cfg := bus.ConsumerConfig{
		Stream: bus.StreamArticles, Durable: "test", Workers: 2, MaxAckPending: 4, Stage: "test",
		AckWait: time.Second, MaxDeliver: 3, Backoff: []time.Duration{20 * time.Millisecond},
	}
	done := make(chan error, 1)
	cctx, stop := context.WithCancel(ctx)
	go func() { done <- b.Consume(cctx, cfg, h) }()
	if err := b.WaitIdle(ctx, bus.StreamArticles, "test", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	want := map[string]int32{"ok": 1, "retry": 2, "perm": 1, "flaky": 3, "panic": 1}
	for id, n := range want {
		if got := calls[id].Load(); got != n {
			t.Errorf("%s handled %d times, want %d", id, got, n)
		}
	}
	// perm, flaky (exhausted) and panic are dead-lettered with the error.
	var dead []string
	err := b.ReadSince(ctx, bus.StreamDLQ, bus.DLQSubject("test"), time.Time{}, func(m jetstream.Msg) error {
		var v map[string]string
		_ = json.Unmarshal(m.Data(), &v)
		if m.Headers().Get(bus.HeaderError) == "" {
			t.Errorf("dead letter %s has no %s header", v["id"], bus.HeaderError)
		}
		dead = append(dead, v["id"])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 3 {
		t.Errorf("dead letters %v, want perm, flaky, panic", dead)
	}
}

func TestReadSince(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	for _, id := range []string{"a", "b", "c"} {
		if _, err := b.Publish(ctx, bus.ArticleSubject("de", "x"), id, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	read := func(since time.Time) {
		got = got[:0]
		if err := b.ReadSince(ctx, bus.StreamArticles, bus.SubjectArticles, since, func(m jetstream.Msg) error {
			var s string
			_ = json.Unmarshal(m.Data(), &s)
			got = append(got, s)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	read(time.Time{})
	if len(got) != 3 {
		t.Fatalf("read %v, want 3", got)
	}
	read(time.Now().Add(-time.Hour))
	if len(got) != 3 {
		t.Fatalf("read since an hour ago %v, want 3", got)
	}
	read(time.Now().Add(time.Hour))
	if len(got) != 0 {
		t.Fatalf("read from the future %v, want none", got)
	}
	// A filter with no messages at all returns at once.
	if err := b.ReadSince(ctx, bus.StreamDigests, bus.SubjectDigests, time.Time{}, func(jetstream.Msg) error {
		t.Error("unexpected message")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestRetryDelay(t *testing.T) {
	if d, ok := bus.RetryDelay(fmt.Errorf("wrapped: %w", bus.Retry(errors.New("4xx"), 5*time.Minute))); !ok || d != 5*time.Minute {
		t.Fatalf("RetryDelay of a wrapped Retry = %v, %v", d, ok)
	}
	if _, ok := bus.RetryDelay(errors.New("plain")); ok {
		t.Fatal("a plain error has no retry delay")
	}
	if _, ok := bus.RetryDelay(bus.Permanent(errors.New("bad"))); ok {
		t.Fatal("a permanent error has no retry delay")
	}
}

// TestPauseKeepsDeliveries: a handler that pauses (its LLM is down) keeps
// the message without spending deliveries, however often it pauses, and
// the consumer hands out nothing else until the pause is over.
func TestPauseKeepsDeliveries(t *testing.T) {
	b := natstest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var (
		mu        sync.Mutex
		pCalls    int
		pDone     time.Time
		qStart    time.Time
		delivered []uint64
		paused    = make(chan struct{})
	)
	h := func(ctx context.Context, m jetstream.Msg) error {
		var id string
		_ = json.Unmarshal(m.Data(), &id)
		md, _ := m.Metadata()
		mu.Lock()
		defer mu.Unlock()
		delivered = append(delivered, md.NumDelivered)
		switch id {
		case "p":
			if pCalls++; pCalls <= 4 {
				if pCalls == 2 {
					close(paused) // the pause is on since the first
				}
				return bus.Pause(errors.New("llm: HTTP 503"), 0)
			}
			pDone = time.Now()
		case "q":
			qStart = time.Now()
		}
		return nil
	}
	cfg := bus.ConsumerConfig{
		Stream: bus.StreamArticles, Durable: "pause", Workers: 2, Stage: "test",
		AckWait: time.Second, MaxDeliver: 2, PauseInitial: 50 * time.Millisecond, PauseMax: 200 * time.Millisecond,
	}
	done := make(chan error, 1)
	cctx, stop := context.WithCancel(ctx)
	go func() { done <- b.Consume(cctx, cfg, h) }()
	if _, err := b.Publish(ctx, bus.ArticleSubject("en", "x"), "p", "p", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-paused:
	case <-ctx.Done():
		t.Fatal("p never handled")
	}
	if _, err := b.Publish(ctx, bus.ArticleSubject("en", "x"), "q", "q", nil); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitIdle(ctx, bus.StreamArticles, "pause", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if pCalls != 5 {
		t.Errorf("p handled %d times, want 5 (4 pauses, then done)", pCalls)
	}
	for _, n := range delivered {
		if n != 1 {
			t.Fatalf("deliveries %v: a pause spent one", delivered)
		}
	}
	if qStart.Before(pDone) {
		t.Errorf("q was handled %v before the pause ended", pDone.Sub(qStart))
	}
	if n, err := b.Msgs(ctx, bus.StreamDLQ); err != nil || n != 0 {
		t.Errorf("DLQ holds %d (%v), want nothing", n, err)
	}
}

// TestWaitIdleWaitsForRedelivery: a message waiting on a NAK delay is not
// idle, however often the consumer is looked at.
func TestWaitIdleWaitsForRedelivery(t *testing.T) {
	b := natstest.Start(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if _, err := b.Publish(ctx, bus.ArticleSubject("en", "x"), "r", "r", nil); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	var acked atomic.Int64
	h := func(ctx context.Context, m jetstream.Msg) error {
		if calls.Add(1) == 1 {
			return bus.Retry(errors.New("later"), 400*time.Millisecond)
		}
		acked.Store(time.Now().UnixNano())
		return nil
	}
	cfg := bus.ConsumerConfig{Stream: bus.StreamArticles, Durable: "idle", Workers: 1, Stage: "test", AckWait: time.Second, MaxDeliver: 3}
	cctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Consume(cctx, cfg, h) }()
	if err := b.WaitIdle(ctx, bus.StreamArticles, "idle", time.Millisecond); err != nil {
		t.Fatal(err)
	}
	returned := time.Now().UnixNano()
	stop()
	<-done
	if calls.Load() != 2 || acked.Load() == 0 || acked.Load() > returned {
		t.Fatalf("WaitIdle returned before the redelivered message was acked (calls %d)", calls.Load())
	}
}
