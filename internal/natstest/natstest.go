// Package natstest gives tests a real embedded nats-server with JetStream on
// a temporary directory and a ready bus.Bus. Each call starts its own server,
// reached in-process, so tests may run in parallel. StartCluster starts a
// real three-node (or n-node) JetStream cluster on loopback.
package natstest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/testnet"
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

// Node is one server of a test cluster.
type Node struct {
	Srv   *natsembed.Server
	URL   string // client URL on loopback
	dir   string
	route string // cluster address, host:port
}

// Cluster is a JetStream cluster of real nats-servers on loopback, each in
// this process with its own store.
type Cluster struct {
	t     testing.TB
	Nodes []*Node
	name  string
	seed  string
	tags  [][]string
}

// StartCluster starts n nodes (node i gets tags[i], if given) and waits
// until JetStream can place a stream on every node. Cleanup is registered on t.
func StartCluster(t testing.TB, n int, tags ...[]string) *Cluster {
	t.Helper()
	c := &Cluster{t: t, name: "newsdesk-test", tags: tags}
	// A JetStream cluster needs its routes configured from the start, so
	// every node gets its route port before any starts.
	for range n {
		c.Nodes = append(c.Nodes, &Node{dir: t.TempDir(), route: testnet.FreeAddr(t)})
	}
	for i := range n {
		c.start(i)
	}
	t.Cleanup(func() {
		for _, nd := range c.Nodes {
			if nd.Srv != nil {
				nd.Srv.Shutdown()
			}
		}
	})
	c.WaitReady()
	return c
}

func (c *Cluster) start(i int) {
	c.t.Helper()
	nd := c.Nodes[i]
	cl := &natsembed.Cluster{Name: c.name, Listen: nd.route}
	if i < len(c.tags) {
		cl.Tags = c.tags[i]
	}
	for j, o := range c.Nodes {
		if j != i {
			cl.Routes = append(cl.Routes, "nats://"+o.route)
		}
	}
	// A restarted node comes back on its old port, as a real one would,
	// so the clients' URL lists stay right. The port is from outside the
	// kernel's ephemeral range (testnet.FreePort): while the node is down,
	// its clients' reconnects and everything else on the machine open
	// connections, and one of those could take a port the kernel chose.
	listen := testnet.FreeAddr(c.t)
	if nd.URL != "" {
		listen = strings.TrimPrefix(nd.URL, "nats://")
	}
	srv, err := natsembed.Start(natsembed.Options{StoreDir: nd.dir, Listen: listen, Cluster: cl, Name: fmt.Sprintf("n%d", i+1)})
	if err != nil {
		c.t.Fatalf("natstest: node %d: %v", i+1, err)
	}
	nd.Srv, nd.URL = srv, srv.ClientURL()
}

// URLs is every running node's client URL, comma-separated.
func (c *Cluster) URLs() string {
	var u []string
	for _, nd := range c.Nodes {
		if nd.Srv != nil {
			u = append(u, nd.URL)
		}
	}
	return strings.Join(u, ",")
}

// Stop shuts node i down (its store stays).
func (c *Cluster) Stop(i int) {
	c.Nodes[i].Srv.Shutdown()
	c.Nodes[i].Srv = nil
}

// Restart starts a stopped node i again on its store and port.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	c.start(i)
}

// WaitReady waits until JetStream can place a stream on every node.
func (c *Cluster) WaitReady() {
	c.t.Helper()
	nc, err := nats.Connect(c.URLs())
	if err != nil {
		c.t.Fatalf("natstest: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		c.t.Fatalf("natstest: %v", err)
	}
	// A meta leader alone is not enough: until every node has joined the
	// meta group, a stream with one replica per node fails with "no
	// suitable peers for placement". Placing (and dropping) such a stream
	// is the readiness the tests need.
	probe := jetstream.StreamConfig{Name: "NATSTEST_READY", Subjects: []string{"natstest.ready"},
		Storage: jetstream.MemoryStorage, Replicas: len(c.Nodes)}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := js.CreateStream(ctx, probe)
		if err == nil {
			err = js.DeleteStream(ctx, probe.Name)
		}
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("natstest: cluster not ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Connect opens a client connection to the cluster, reconnecting forever.
func (c *Cluster) Connect() *nats.Conn {
	c.t.Helper()
	nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		c.t.Fatalf("natstest: %v", err)
	}
	c.t.Cleanup(nc.Close)
	return nc
}
