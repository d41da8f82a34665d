package main

import (
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// TestExternalNATS runs the pipeline against a NATS server reached over
// TCP, the way stage-only processes reach a cluster, and reads the results
// back over a second connection.
func TestExternalNATS(t *testing.T) {
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	url := srv.ClientURL()
	if url == "" {
		t.Fatal("server does not listen")
	}
	// As on a cluster: `newsdesk setup` declares, the pipeline binds.
	o := demoOptions{out: t.TempDir(), natsURL: url}
	cfg, _, err := demoConfig("http://127.0.0.1", o.out, t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setupNATS(t.Context(), cfg, false); err != nil {
		t.Fatal(err)
	}
	digests, err := runDemo(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(digests) != 2 {
		t.Fatalf("%d digests, want 2", len(digests))
	}
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]uint64{bus.StreamArticles: 14, bus.StreamDigests: 2} {
		s, err := js.Stream(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs != want {
			t.Errorf("%s holds %d messages, want %d", name, info.State.Msgs, want)
		}
	}
}
