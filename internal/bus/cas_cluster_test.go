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
)

// TestClusterCASContention: two processes, each on a node of its own, with
// eight writers each update one key of a replicated bucket at once, as
// ingest replicas book request slots of one host in the hosts bucket. No
// update fails for contention and none is lost. The fault test
// (scripts/fault-test: 300 feeds on one host) saw updates fail after 50
// conflicts in a row, and each failure backed its feed off for 15 minutes.
func TestClusterCASContention(t *testing.T) {
	ctx, cl, _, cfg := declaredCluster(t)
	const procs, writers, each = 2, 8, 25
	var kvs []*bus.KV
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
		kvs = append(kvs, b.Hosts())
	}
	failed, first := increment(ctx, kvs, "h-one", writers, each)
	if failed > 0 {
		t.Errorf("%d of %d updates failed, e.g. %v", failed, procs*writers*each, first)
	}
	want := procs*writers*each - failed
	if _, got := counterValue(t, kvs[0], "h-one", want); got != want {
		t.Errorf("counter %d, want %d: updates lost", got, want)
	}
}

// increment runs writers goroutines on each of kvs (one bucket reached
// through several connections), each adding one to key's counter each
// times with UpdateJSON; it returns how many updates failed and the first
// error.
func increment(ctx context.Context, kvs []*bus.KV, key string, writers, each int) (failed int, first error) {
	type counter struct{ N int }
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, kv := range kvs {
		for range writers {
			wg.Go(func() {
				for range each {
					_, err := bus.UpdateJSON(ctx, kv, key, func(r *bus.Record[counter]) (bool, error) {
						r.Value.N++
						return true, nil
					})
					if err != nil {
						mu.Lock()
						if failed++; first == nil {
							first = err
						}
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	return failed, first
}

// counterValue reads increment's counter until it is want or 10 s have
// passed. A replica may answer a read before it has applied the last
// write (KV reads are direct gets, served by any replica): a lost update
// stays lost, a late one arrives.
func counterValue(t *testing.T, kv *bus.KV, key string, want int) (bus.Entry, int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		e, err := kv.Get(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		var c struct{ N int }
		if err := json.Unmarshal(e.Value, &c); err != nil {
			t.Fatal(err)
		}
		if c.N == want || time.Now().After(deadline) {
			return e, c.N
		}
	}
}
