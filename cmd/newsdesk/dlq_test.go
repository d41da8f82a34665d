package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// deadLetterOne leaves one dead letter of the summarize stage in the
// embedded store of cfgPath: an article its consumer gave up on.
func deadLetterOne(t *testing.T, cfgPath string) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := natsembed.Start(natsembed.Options{StoreDir: cfg.NATS.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := srv.Connect("test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	b, err := bus.Open(ctx, nc, cfg.NATS, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, bus.ArticleSubject("en", "heise"), "a-1", map[string]string{"id": "a-1"}, nil); err != nil {
		t.Fatal(err)
	}
	cc := bus.ConsumerConfig{Stream: bus.StreamArticles, Durable: "dlqtest", Stage: "summarize", MaxDeliver: 1}
	cctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- b.Consume(cctx, cc, func(context.Context, jetstream.Msg) error {
			return bus.Permanent(errors.New("llm: HTTP 400: the model \"x\" is not served"))
		})
	}()
	if err := b.WaitIdle(ctx, bus.StreamArticles, "dlqtest", 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	stop()
	<-done
}

// TestDLQCommand: dlq list shows what a stage gave up on and why; dlq
// replay sends it back to its subject and empties the DLQ.
func TestDLQCommand(t *testing.T) {
	cfg := setupConfig(t, "", "")
	deadLetterOne(t, cfg)
	ctx := t.Context()

	code, out, errOut := runCmd(ctx, "dlq", "list", "--config", cfg)
	if code != 0 {
		t.Fatalf("dlq list: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"SEQ", "summarize", "news.article.en.heise", `the model "x" is not served`} {
		if !strings.Contains(out, want) {
			t.Errorf("dlq list lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(ctx, "dlq", "list", "--json", "--config", cfg)
	var d struct {
		Seq       uint64          `json:"seq"`
		Stage     string          `json:"stage"`
		Stream    string          `json:"stream"`
		StreamSeq uint64          `json:"stream_seq"`
		MsgID     string          `json:"msg_id"`
		Message   json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil || d.Stage != "summarize" || d.Stream != "ARTICLES" || d.StreamSeq != 1 || d.MsgID != "a-1" || !strings.Contains(string(d.Message), `"a-1"`) {
		t.Fatalf("dlq list --json: exit %d, %v: %s", code, err, out)
	}
	if code, _, errOut := runCmd(ctx, "dlq", "replay", "--config", cfg); code != 2 || !strings.Contains(errOut, "SEQ… or --all") {
		t.Errorf("replay without what: exit %d, %s", code, errOut)
	}
	code, out, errOut = runCmd(ctx, "dlq", "replay", "--all", "--stage", "summarize", "--config", cfg)
	if code != 0 || !strings.Contains(out, "replayed 1 (summarize) to news.article.en.heise") || !strings.Contains(out, "1 replayed, 0 failed") {
		t.Fatalf("dlq replay: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runCmd(ctx, "dlq", "list", "--config", cfg); code != 0 || !strings.Contains(out, "no dead letters") {
		t.Errorf("after replay: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(ctx, "dlq", "replay", "1", "--config", cfg); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("replaying it again: exit %d, %s", code, errOut)
	}
}
