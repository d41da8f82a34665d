package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// rawServer is a server with nothing declared and a connection to it.
func rawServer(t *testing.T) *nats.Conn {
	t.Helper()
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := srv.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close(); srv.Shutdown() })
	return nc
}

func defaulted(f func(*bus.Config)) bus.Config {
	var c bus.Config
	if f != nil {
		f(&c)
	}
	c.Defaults()
	return c
}

// TestBindConsumer: a bound process uses the consumer setup declared and
// refuses to start on one that is missing or configured otherwise.
func TestBindConsumer(t *testing.T) {
	nc := rawServer(t)
	ctx := t.Context()
	cfg := defaulted(nil)
	log := slog.New(slog.DiscardHandler)
	if _, err := bus.Open(ctx, nc, cfg, log, bus.Bind); err == nil || !strings.Contains(err.Error(), "stream ARTICLES is missing") {
		t.Fatalf("bind before setup: %v", err)
	}
	if _, err := bus.Setup(ctx, nc, cfg, nil, false); err != nil {
		t.Fatal(err)
	}
	b, err := bus.Open(ctx, nc, cfg, log, bus.Bind)
	if err != nil {
		t.Fatal(err)
	}
	cc := bus.ConsumerConfig{Stream: bus.StreamArticles, Durable: "c", Workers: 1, MaxAckPending: 4, Stage: "test"}
	noop := func(context.Context, jetstream.Msg) error { return nil }
	if err := b.Consume(ctx, cc, noop); err == nil || !strings.Contains(err.Error(), "consumer ARTICLES/c is missing") {
		t.Fatalf("consume before setup declared it: %v", err)
	}
	if _, err := bus.Setup(ctx, nc, cfg, []bus.ConsumerConfig{cc}, false); err != nil {
		t.Fatal(err)
	}
	other := cc
	other.MaxAckPending = 8
	if err := b.Consume(ctx, other, noop); err == nil || !strings.Contains(err.Error(), "consumer ARTICLES/c differs (server → config: max_ack_pending 4 → 8)") {
		t.Fatalf("consume with another cap: %v", err)
	}
	// As declared, it consumes: the first message stops it. The timeout
	// only ends a hang; the 300 ms it had before could run out during the
	// consumer lookup on a loaded machine, failing a consumer that works.
	if _, err := b.Publish(ctx, bus.ArticleSubject("de", "test"), "a1", "a1", nil); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	got := false
	first := func(context.Context, jetstream.Msg) error { got = true; cancel(); return nil }
	if err := b.Consume(cctx, cc, first); err != nil {
		t.Fatalf("consume as declared: %v", err)
	}
	if !got {
		t.Error("the consumer as declared delivered nothing")
	}
}

// TestSubjectPrefix: with nats.subject_prefix every subject on the server
// moves under it; the code keeps naming them news.….
func TestSubjectPrefix(t *testing.T) {
	nc := rawServer(t)
	ctx := t.Context()
	b, err := bus.Open(ctx, nc, defaulted(func(c *bus.Config) { c.SubjectPrefix = "acme.newsdesk" }), slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 4)
	sub, err := nc.Subscribe("acme.newsdesk.>", func(m *nats.Msg) { got <- m.Subject })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	if _, err := b.Publish(ctx, bus.ArticleSubject("de", "heise"), "a1", "a1", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "acme.newsdesk.article.de.heise" {
			t.Errorf("published on %s", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing under the prefix")
	}
	n := 0
	if err := b.ReadSince(ctx, bus.StreamArticles, bus.SubjectArticles, time.Time{}, func(jetstream.Msg) error { n++; return nil }); err != nil || n != 1 {
		t.Errorf("read back %d (%v)", n, err)
	}
	if b.Subject(bus.SubjectDigests) != "acme.newsdesk.digest.>" {
		t.Errorf("Subject(%s) = %s", bus.SubjectDigests, b.Subject(bus.SubjectDigests))
	}
}

// TestReplay: a dead letter goes back to its subject, its stage's consumer
// handles it again, and it leaves the DLQ; replaying twice does not.
func TestReplay(t *testing.T) {
	nc := rawServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, nc, defaulted(nil), slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, bus.ArticleSubject("en", "x"), "m1", "m1", nil); err != nil {
		t.Fatal(err)
	}
	var fixed atomic.Bool
	var handled atomic.Int32
	cc := bus.ConsumerConfig{Stream: bus.StreamArticles, Durable: "r", Workers: 1, Stage: "summarize", MaxDeliver: 3}
	h := func(context.Context, jetstream.Msg) error {
		handled.Add(1)
		if !fixed.Load() {
			return bus.Permanent(errors.New("llm: HTTP 400: model not found"))
		}
		return nil
	}
	consume := func() {
		cctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- b.Consume(cctx, cc, h) }()
		if err := b.WaitIdle(ctx, bus.StreamArticles, "r", 10*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		stop()
		<-done
	}
	consume()
	dead, err := b.DeadLetters(ctx, "summarize")
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead letters %+v, %v", dead, err)
	}
	d := dead[0]
	if d.Subject != "news.article.en.x" || d.MsgID != "m1" || d.Stream != bus.StreamArticles || d.StreamSeq != 1 || d.Delivered != 1 || !strings.Contains(d.Error, "400") {
		t.Errorf("dead letter %+v", d)
	}
	var v string
	if json.Unmarshal(d.Data, &v) != nil || v != "m1" {
		t.Errorf("dead letter data %q", d.Data)
	}

	fixed.Store(true)
	if _, err := b.Replay(ctx, d.Seq); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Replay(ctx, d.Seq); !errors.Is(err, bus.ErrNotFound) {
		t.Errorf("second replay: %v, want ErrNotFound", err)
	}
	consume()
	if n := handled.Load(); n != 2 {
		t.Errorf("handled %d times, want 2 (dead-lettered, then replayed)", n)
	}
	if dead, _ := b.DeadLetters(ctx, ""); len(dead) != 0 {
		t.Errorf("DLQ after replay: %+v", dead)
	}
	if n, _ := b.Msgs(ctx, bus.StreamArticles); n != 2 {
		t.Errorf("ARTICLES holds %d, want the original and the replay", n)
	}
}
