package main

import (
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// TestOperatorCommandsWhileRunHoldsTheStore: the service holds the NATS
// store while it runs, and an operator's first `newsdesk feeds` or
// `newsdesk subscribers` on the same config meets its lock. The error says
// what to do for an operator command (stop run, or reach its server with
// --nats, with the URL when the config gives run a listener), not "give
// this one another data_dir", which would show an empty store; and the
// advice works.
func TestOperatorCommandsWhileRunHoldsTheStore(t *testing.T) {
	c := newCronSetup(t, "127.0.0.1:2525")
	// run, as far as the store is concerned: the lock, a loopback
	// listener, the streams and buckets declared.
	srv, err := natsembed.Start(natsembed.Options{StoreDir: c.data, Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := srv.Connect("run")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var bc bus.Config
	bc.Defaults()
	if _, err := bus.Open(t.Context(), nc, bc, slog.New(slog.DiscardHandler), bus.Declare); err != nil {
		t.Fatal(err)
	}

	ctx := t.Context()
	for _, args := range [][]string{{"feeds"}, {"subscribers", "list"}, {"subscribers", "add", "a@example.org", "--lang", "de"}, {"recompose", "daily", "--dry-run"}, {"dlq", "list"}} {
		code, _, errOut := runCmd(ctx, append(args, "--config", c.config)...)
		if code == 0 {
			t.Fatalf("%v ran on a store another process holds", args)
		}
		for _, want := range []string{"already in use", "stop it", "nats.listen", "--nats nats://127.0.0.1:4222"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%v: the error lacks %q:\n%s", args, want, errOut)
			}
		}
		if strings.Contains(errOut, "another nats.data_dir") {
			t.Errorf("%v: the error suggests another data_dir, where the command would find nothing:\n%s", args, errOut)
		}
	}

	// With a listener in the config, the error names its URL.
	raw, err := os.ReadFile(c.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.config, []byte(strings.Replace(string(raw), "nats:\n", "nats:\n  listen: 127.0.0.1:4999\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, errOut := runCmd(ctx, "feeds", "--config", c.config); !strings.Contains(errOut, "--nats nats://127.0.0.1:4999") {
		t.Errorf("with nats.listen set, the error does not name its URL:\n%s", errOut)
	}

	// The advice works: through the holder's server.
	url := srv.ClientURL()
	if code, out, errOut := runCmd(ctx, "subscribers", "add", "a@example.org", "--lang", "de", "--config", c.config, "--nats", url); code != 0 {
		t.Fatalf("subscribers add --nats %s: exit %d\n%s%s", url, code, out, errOut)
	}
	if code, out, errOut := runCmd(ctx, "feeds", "--config", c.config, "--nats", url); code != 0 {
		t.Errorf("feeds --nats %s: exit %d\n%s%s", url, code, out, errOut)
	}
}
