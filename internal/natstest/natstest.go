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
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir()})
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
	b, err := bus.Open(context.Background(), nc, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("natstest: %v", err)
	}
	return b
}
