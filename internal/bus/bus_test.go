package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	s, err := b.JS.Stream(ctx, bus.StreamArticles)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Errorf("stream holds %d messages, want 1", info.State.Msgs)
	}
}

func TestCreateOnce(t *testing.T) {
	b := natstest.Start(t)
	ctx := t.Context()
	if err := bus.CreateOnce(ctx, b.Seen, "k1", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := bus.CreateOnce(ctx, b.Seen, "k1", []byte("y")); !errors.Is(err, bus.ErrKeyExists) {
		t.Fatalf("second create: %v, want ErrKeyExists", err)
	}
	var got struct{ A int }
	if ok, err := bus.GetJSON(ctx, b.FeedState, "missing", &got); ok || err != nil {
		t.Fatalf("GetJSON missing: ok=%v err=%v", ok, err)
	}
	if err := bus.PutJSON(ctx, b.FeedState, "f", struct{ A int }{7}); err != nil {
		t.Fatal(err)
	}
	if ok, err := bus.GetJSON(ctx, b.FeedState, "f", &got); !ok || err != nil || got.A != 7 {
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
		Stream: bus.StreamArticles, Durable: "test", Workers: 2, Stage: "test",
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
