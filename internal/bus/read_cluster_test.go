package bus_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// TestReadSinceCluster: ReadSince reads a whole window from a three-node
// cluster, also when the node that serves its consumer stops in the middle
// of the read; it never returns a part of the window as if it were all of
// it (an edition composed from it would miss articles). The fault test
// (scripts/fault-test) found edition reads failing with "no responders"
// after some thirty articles on a healthy cluster: Next on an ordered
// consumer recreated the consumer for every message.
func TestReadSinceCluster(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stopAt int // stop the consumer's node after this many messages; 0: never
	}{
		{"healthy cluster", 0},
		{"the consumer's node stops", 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cl, nc, cfg := declaredCluster(t)
			b, err := bus.Open(ctx, nc, cfg, slog.New(slog.DiscardHandler), bus.Bind)
			if err != nil {
				t.Fatal(err)
			}
			const n = 200
			for i := range n {
				if _, err := b.Publish(ctx, bus.ArticleSubject("en", "x"), fmt.Sprintf("a%03d", i), i, nil); err != nil {
					t.Fatal(err)
				}
			}
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			stopped := ""
			err = b.ReadSince(ctx, bus.StreamArticles, bus.SubjectArticles, time.Time{}, func(m jetstream.Msg) error {
				var i int
				if err := json.Unmarshal(m.Data(), &i); err != nil {
					return err
				}
				got = append(got, i)
				if len(got) != tc.stopAt {
					return nil
				}
				// The node that holds the read's (ephemeral, one-replica)
				// consumer goes down.
				s, err := js.Stream(ctx, bus.StreamArticles)
				if err != nil {
					return err
				}
				// The listing has named no leader for the consumer once,
				// on a loaded machine.
				stopped = leaderOf(ctx, func() string {
					for c := range s.ListConsumers(ctx).Info() {
						if c.Config.Durable == "" && c.Cluster != nil && c.Cluster.Leader != "" {
							return c.Cluster.Leader
						}
					}
					return ""
				})
				for i := range cl.Nodes {
					if fmt.Sprintf("n%d", i+1) == stopped {
						cl.Stop(i)
						return nil
					}
				}
				return fmt.Errorf("the read's consumer is on %q, none of the nodes", stopped)
			})
			if err != nil {
				t.Fatalf("ReadSince after %d of %d messages (node %q stopped): %v", len(got), n, stopped, err)
			}
			if len(got) != n {
				t.Fatalf("ReadSince read %d of %d messages without an error", len(got), n)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("message %d is %d: out of order or repeated", i, v)
				}
			}
		})
	}
}

// leaderOf asks until ask names a leader, or ctx ends (""). A server may
// answer before it knows the leader of a group (a listing served right
// after a stream or consumer was placed); which node leads is what these
// tests need, not how soon it is known.
func leaderOf(ctx context.Context, ask func() string) string {
	for {
		if l := ask(); l != "" || ctx.Err() != nil {
			return l
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}
