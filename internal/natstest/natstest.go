// Package natstest gives tests a real embedded nats-server with JetStream on
// a temporary directory and a ready bus.Bus. Each call starts its own server,
// reached in-process, so tests may run in parallel.
package natstest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// Start returns a Bus on a fresh embedded server; cleanup is registered on t.
func Start(t testing.TB) *bus.Bus {
	t.Helper()
	b, _ := start(t, "")
	return b
}

// StartTCP is Start with the server also listening on a loopback port, for
// other processes and connections; it returns the server's URL too.
func StartTCP(t testing.TB) (*bus.Bus, string) {
	t.Helper()
	return start(t, "127.0.0.1:0")
}

func start(t testing.TB, listen string) (*bus.Bus, string) {
	t.Helper()
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: listen})
	if err != nil {
		t.Fatalf("natstest: %v", err)
	}
	nc, err := srv.Connect("natstest")
	if err != nil {
		srv.Shutdown()
		t.Fatalf("natstest: %v", err)
	}
	t.Cleanup(func() {
		nc.Close()
		srv.Shutdown()
	})
	var cfg bus.Config
	cfg.Defaults()
	b, err := bus.Open(context.Background(), nc, cfg, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatalf("natstest: %v", err)
	}
	return b, srv.ClientURL()
}
