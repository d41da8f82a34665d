package publish_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/internal/testnet"
	"github.com/newsdesk/newsdesk/publish"
)

// TestRunConsumesAndRebuilds drives the stage through NATS: digests are
// published to DIGESTS, Run mails and renders them and serves HTTP; a second
// stage started later on the same stream rebuilds the feeds from the stream
// and mails nobody again.
func TestRunConsumesAndRebuilds(t *testing.T) {
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	cfg := baseConfig(t)
	smtpConfig(t, srv, &cfg)
	cfg.Listen = testnet.FreeAddr(t)
	cfg.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de", "en"}}}
	ctx := t.Context()

	pub := func(d news.Digest) {
		t.Helper()
		if _, err := b.Publish(ctx, bus.DigestSubject(d.Edition, d.Language), d.ID, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	pub(testDigest("de", "2026-11-28"))
	pub(testDigest("en", "2026-11-28"))
	// A poison message goes to the DLQ, not into a loop.
	if _, err := b.Publish(ctx, bus.DigestSubject("daily", "de"), "poison", map[string]string{"schema": "nope"}, nil); err != nil {
		t.Fatal(err)
	}

	run := func(cfg publish.Config) (stop func()) {
		st, err := publish.New(cfg, publish.Deps{Bus: b, Clock: clockwork.NewFakeClockAt(fixedNow)})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- st.Run(rctx) }()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	}
	stop := run(cfg)
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := b.WaitIdle(wctx, bus.StreamDigests, "publish", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d mails after the first run, want 2", n)
	}
	body := waitGet(t, "http://"+cfg.Listen+"/feeds/de.atom")
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil || len(f.Items) != 1 {
		t.Fatalf("served feed: %v, %d items", err, len(f.Items))
	}
	stop()

	// Second life: same stream, fresh out_dir.
	pub(testDigest("de", "2026-11-29"))
	cfg.OutDir = t.TempDir()
	cfg.Email.OutboxDir = ""
	stop = run(cfg)
	defer stop()
	if err := b.WaitIdle(wctx, bus.StreamDigests, "publish", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 3 {
		t.Fatalf("%d mails after the restart, want 3 (only the new digest)", n)
	}
	feedBody := waitGet(t, "http://"+cfg.Listen+"/feeds/de.xml")
	f, err = gofeed.NewParser().ParseString(feedBody)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 2 || f.Items[0].GUID != news.DigestID("daily", "2026-11-29", "de", "p1") {
		t.Fatalf("rebuilt feed has %d items (first %v), want both digests, newest first", len(f.Items), f.Items)
	}
	if n, err := b.Msgs(ctx, bus.StreamDLQ); err != nil || n != 1 {
		t.Errorf("DLQ holds %d messages (%v), want the poison one", n, err)
	}
}

// waitGet retries while the stage's server is still starting. The 30 s
// only end a hang: how soon it starts depends on the machine, and the
// 5 s this had were a wall-clock bound in disguise.
func waitGet(t *testing.T, u string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b := httpGet(t, u); b != "" {
			return b
		}
	}
	t.Fatalf("GET %s: no answer", u)
	return ""
}

func httpGet(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// TestReplicasServeSameFeeds runs two replicas on one stream: each digest is
// mailed once (by whichever replica got it), and both replicas' feeds show
// every digest.
func TestReplicasServeSameFeeds(t *testing.T) {
	b := natstest.Start(t)
	srv := smtptest.Start(t)
	ctx := t.Context()
	var dirs []string
	for range 2 {
		cfg := baseConfig(t)
		smtpConfig(t, srv, &cfg)
		cfg.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
		dirs = append(dirs, cfg.OutDir)
		st, err := publish.New(cfg, publish.Deps{Bus: b, Clock: clockwork.NewFakeClockAt(fixedNow)})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- st.Run(rctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	// Both replicas must have their consumers before we publish.
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := b.WaitIdle(wctx, bus.StreamDigests, "publish", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	dates := []string{"2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"}
	for _, date := range dates {
		d := testDigest("de", date)
		if _, err := b.Publish(ctx, bus.DigestSubject(d.Edition, d.Language), d.ID, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.WaitIdle(wctx, bus.StreamDigests, "publish", 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != len(dates) {
		t.Errorf("%d mails for %d digests to one subscriber", n, len(dates))
	}
	for _, dir := range dirs {
		var items int
		// Until the replica has written them all; 30 s only end a hang.
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
			data, err := os.ReadFile(filepath.Join(dir, "feeds", "de.json"))
			if err == nil {
				if f, err := gofeed.NewParser().ParseString(string(data)); err == nil {
					items = len(f.Items)
				}
			}
			if items == len(dates) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if items != len(dates) {
			t.Errorf("replica %s serves %d items, want %d", dir, items, len(dates))
		}
	}
}
