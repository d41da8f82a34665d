package bus_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

// TestClusterCASContention: two processes, each on a node of its own, with
// eight writers each update one key of a replicated bucket at once, as
// ingest replicas book request slots of one host in the hosts bucket. No
// update fails for contention and none is lost. The fault test
// (scripts/fault-test: 300 feeds on one host) saw updates fail after 50
// conflicts in a row, and each failure backed its feed off for 15 minutes.
func TestClusterCASContention(t *testing.T) {
	cl := natstest.StartCluster(t, 3)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cfg := clusterConfig(cl.URLs())
	if _, err := bus.Setup(ctx, cl.Connect(), cfg, nil, false); err != nil {
		t.Fatal(err)
	}
	type counter struct{ N int }
	const procs, writers, each = 2, 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, procs*writers*each)
	var buses []*bus.Bus
	for p := range procs {
		nc, err := nats.Connect(cl.Nodes[p].URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		b, err := bus.Open(ctx, nc, cfg, slog.New(slog.DiscardHandler), bus.Bind)
		if err != nil {
			t.Fatal(err)
		}
		buses = append(buses, b)
		for range writers {
			wg.Go(func() {
				for range each {
					_, err := bus.UpdateJSON(ctx, b.Hosts(), "h-one", func(r *bus.Record[counter]) (bool, error) {
						r.Value.N++
						return true, nil
					})
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	failed := 0
	var first error
	for err := range errs {
		if err != nil {
			failed++
			first = err
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d updates failed, e.g. %v", failed, procs*writers*each, first)
	}
	// A replica may answer a read before it has applied the last write
	// (KV reads are direct gets, served by any replica): a lost update
	// stays lost, a late one arrives, so read until the count is reached
	// or a while has passed.
	want := procs*writers*each - failed
	var got counter
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		e, err := buses[0].Hosts().Get(ctx, "h-one")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(e.Value, &got)
		if got.N == want || time.Now().After(deadline) {
			break
		}
	}
	if got.N != want {
		t.Errorf("counter %d, want %d: updates lost", got.N, want)
	}
}
