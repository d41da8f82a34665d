package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/config"
)

// TestShutdownTimeout: a stage that does not stop when asked gets
// shutdown_timeout, then the process goes on exiting and says why.
func TestShutdownTimeout(t *testing.T) {
	a := &app{cfg: &config.Config{ShutdownTimeout: 50 * time.Millisecond}, log: slog.New(slog.DiscardHandler)}
	stuck := make(chan struct{})
	defer close(stuck)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.runAll(ctx, []runner{
			{"stuck", func(context.Context) error { <-stuck; return nil }},
			{"polite", func(ctx context.Context) error { <-ctx.Done(); return nil }},
		})
	}()
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "shutdown_timeout") {
			t.Errorf("runAll = %v, want a shutdown_timeout error", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("runAll waited for a stuck stage past shutdown_timeout")
	}

	// Stages that all stop: no error.
	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	err := a.runAll(ctx, []runner{{"polite", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("runAll with stages that stop = %v", err)
	}
}
