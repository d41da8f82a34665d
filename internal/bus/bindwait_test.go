package bus_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// TestBindWaitsForCluster: a stage process that starts while its cluster
// does not answer (here every node is down and restarting; in the fault
// test a leader had crashed and a restarted stage exited by itself) keeps
// trying to bind within nats.bind_wait instead of exiting, and binds once
// the nodes are back; with bind_wait spent it gives up and says so.
func TestBindWaitsForCluster(t *testing.T) {
	ctx, cl, nc, cfg := declaredCluster(t)
	for i := range cl.Nodes {
		cl.Stop(i)
	}
	cfg.RequestTimeout = time.Second // each attempt fails fast while nobody answers
	cfg.BindWait = 2 * time.Minute
	opened := make(chan error, 1)
	go func() {
		_, err := bus.Open(t.Context(), nc, cfg, slog.New(slog.DiscardHandler), bus.Bind)
		opened <- err
	}()
	// Binding cannot succeed with every node down: it must still be trying.
	select {
	case err := <-opened:
		t.Fatalf("Open returned while every node was down: %v", err)
	case <-time.After(3 * time.Second):
	}
	for i := range cl.Nodes {
		cl.Restart(i)
	}
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("Open after the nodes came back: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Open did not return after the nodes came back")
	}

	// With bind_wait spent, it gives up and says so.
	for i := range cl.Nodes {
		cl.Stop(i)
	}
	cfg.BindWait = 2 * time.Second
	if _, err := bus.Open(t.Context(), nc, cfg, slog.New(slog.DiscardHandler), bus.Bind); err == nil || !strings.Contains(err.Error(), "gave up after nats.bind_wait 2s") {
		t.Fatalf("Open with every node down: %v", err)
	}
}
