package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

func clusterConfig(url string, tags ...string) bus.Config {
	cfg := bus.Config{URL: url, Replicas: 3, Placement: bus.Placement{Tags: tags}}
	cfg.Defaults()
	return cfg
}

// declaredCluster starts a three-node cluster and declares the layout and
// consumers on it, as `newsdesk setup` does before stages start; ctx
// bounds the test at three minutes.
func declaredCluster(t *testing.T, consumers ...bus.ConsumerConfig) (context.Context, *natstest.Cluster, *nats.Conn, bus.Config) {
	t.Helper()
	cl := natstest.StartCluster(t, 3)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	nc := cl.Connect()
	cfg := clusterConfig(cl.URLs())
	if _, err := bus.Setup(ctx, nc, cfg, consumers, false); err != nil {
		t.Fatal(err)
	}
	return ctx, cl, nc, cfg
}

var testConsumer = bus.ConsumerConfig{Stream: bus.StreamArticles, Durable: "brief", Workers: 2, MaxAckPending: 6,
	AckWait: 2 * time.Second, MaxDeliver: 5, Backoff: []time.Duration{50 * time.Millisecond}, Stage: "test"}

// TestClusterLayout: on a real three-node cluster, setup declares every
// stream and bucket R3 on the tagged servers; a process bound with another
// replica count is told what differs; compare-and-set on a replicated
// bucket (whose conflicts carry another error code than a single
// server's) loses no update; a placement no server satisfies fails setup.
func TestClusterLayout(t *testing.T) {
	cl := natstest.StartCluster(t, 3, []string{"az:a", "ssd"}, []string{"az:b", "ssd"}, []string{"az:c", "ssd"})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	nc := cl.Connect()
	cfg := clusterConfig(cl.URLs(), "ssd")
	changes, err := bus.Setup(ctx, nc, cfg, []bus.ConsumerConfig{testConsumer}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Action != "create" {
			t.Errorf("fresh cluster: %v", c)
		}
	}
	log := slog.New(slog.DiscardHandler)
	b, err := bus.Open(ctx, nc, cfg, log, bus.Bind)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	for _, name := range []string{bus.StreamArticles, "KV_" + bus.BucketEditions} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		info := s.CachedInfo()
		if info.Config.Replicas != 3 || info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
			t.Errorf("%s: replicas %d, cluster %+v", name, info.Config.Replicas, info.Cluster)
		}
	}

	r1 := cfg
	r1.Replicas = 1
	// A layout problem fails at once, whatever bind_wait says.
	if _, err := bus.Open(ctx, nc, r1, log, bus.Bind); !errors.Is(err, bus.ErrLayout) || !strings.Contains(err.Error(), "stream ARTICLES differs (server → config: replicas 3 → 1)") {
		t.Errorf("binding with replicas 1: %v", err)
	}

	// Compare-and-set on R3.
	const writers, each = 4, 10
	if failed, first := increment(ctx, []*bus.KV{b.Editions()}, "n", writers, each); failed > 0 {
		t.Fatalf("%d updates failed, e.g. %v", failed, first)
	}
	e, got := counterValue(t, b.Editions(), "n", writers*each)
	if got != writers*each {
		t.Errorf("counter %d, want %d", got, writers*each)
	}
	if _, err := b.Editions().Update(ctx, "n", []byte(`{}`), e.Revision-1); !errors.Is(err, bus.ErrConflict) {
		t.Errorf("stale update on R3: %v, want ErrConflict", err)
	}

	// Only one server carries az:a: three replicas cannot be placed.
	if _, err := bus.Setup(ctx, nc, clusterConfig(cl.URLs(), "az:a"), nil, false); err == nil {
		t.Error("setup placed three replicas on servers tagged az:a (there is one)")
	}
}

// TestClusterLeaderLoss: the ARTICLES stream's leader goes down while
// articles are published and briefed, and comes back. Nothing is lost
// and, with message ids, nothing is stored twice.
func TestClusterLeaderLoss(t *testing.T) {
	ctx, cl, nc, cfg := declaredCluster(t, testConsumer)
	b, err := bus.Open(ctx, nc, cfg, slog.New(slog.DiscardHandler), bus.Bind)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	handled := map[string]int{}
	cctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- b.Consume(cctx, testConsumer, func(_ context.Context, m jetstream.Msg) error {
			var id string
			_ = json.Unmarshal(m.Data(), &id)
			mu.Lock()
			handled[id]++
			mu.Unlock()
			return nil
		})
	}()
	// publish retries as ingest does on its next poll: a publish that
	// failed during the election is sent again with the same id.
	publish := func(id string) {
		for {
			pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := b.Publish(pctx, bus.ArticleSubject("en", "x"), id, id, nil)
			pcancel()
			if err == nil {
				return
			}
			if ctx.Err() != nil {
				t.Fatalf("publishing %s: %v", id, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	const n = 60
	for i := range n / 2 {
		publish(fmt.Sprintf("a%02d", i))
	}
	js, _ := jetstream.New(nc)
	leader := leaderOf(ctx, func() string {
		s, err := js.Stream(ctx, bus.StreamArticles)
		if err != nil || s.CachedInfo().Cluster == nil {
			return ""
		}
		return s.CachedInfo().Cluster.Leader
	})
	victim := -1
	for i := range cl.Nodes {
		if fmt.Sprintf("n%d", i+1) == leader {
			victim = i
		}
	}
	if victim < 0 {
		t.Fatalf("leader %q is none of the nodes", leader)
	}
	cl.Stop(victim)
	for i := n / 2; i < n; i++ {
		publish(fmt.Sprintf("a%02d", i))
	}
	cl.Restart(victim)
	if err := b.WaitIdle(ctx, bus.StreamArticles, testConsumer.Durable, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if msgs, err := b.Msgs(ctx, bus.StreamArticles); err != nil || msgs != n {
		t.Errorf("ARTICLES holds %d messages (%v), want %d: none lost, none twice", msgs, err, n)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		if id := fmt.Sprintf("a%02d", i); handled[id] == 0 {
			t.Errorf("%s never handled", id)
		}
	}
	t.Logf("leader %s stopped and restarted; %d articles handled (%d deliveries)", leader, len(handled), sum(handled))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
