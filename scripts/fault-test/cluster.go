package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// cluster is three nats-server processes on loopback, routed to each
// other, with JetStream: the real server binary, as production runs it.
type cluster struct {
	nodes []*proc
	names []string
	urls  []string
}

func startCluster(dir, bin string) (*cluster, error) {
	const n = 3
	client, route := make([]int, n), make([]int, n)
	for i := range n {
		var err error
		if client[i], err = testbed.FreePort(); err != nil {
			return nil, err
		}
		if route[i], err = testbed.FreePort(); err != nil {
			return nil, err
		}
	}
	c := &cluster{}
	for i := range n {
		name := fmt.Sprintf("n%d", i+1)
		var routes []string
		for j := range n {
			if j != i {
				routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", route[j]))
			}
		}
		conf := fmt.Sprintf(`server_name: %s
listen: 127.0.0.1:%d
jetstream {
  store_dir: %q
  max_memory_store: 64MB
  max_file_store: 2GB
}
cluster {
  name: faulttest
  listen: 127.0.0.1:%d
  routes: [%s]
}
`, name, client[i], filepath.Join(dir, "nats", name), route[i], strings.Join(routes, ", "))
		path := filepath.Join(dir, "nats-"+name+".conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			return nil, err
		}
		p := newProc("nats-"+name, dir, bin, "-c", path)
		c.nodes = append(c.nodes, p)
		c.names = append(c.names, name)
		c.urls = append(c.urls, fmt.Sprintf("nats://127.0.0.1:%d", client[i]))
	}
	for _, p := range c.nodes {
		if err := p.start(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// url is the comma-separated list of every node, as stage processes get it.
func (c *cluster) url() string { return strings.Join(c.urls, ",") }

// connect is the harness's own client connection (observing, never
// taking part in the pipeline's work).
func (c *cluster) connect() (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(c.url(), nats.Name("fault-test"), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond), nats.RetryOnFailedConnect(true))
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// waitJetStream waits until the cluster has a JetStream meta leader, that
// is, until it can answer account requests.
func waitJetStream(ctx context.Context, js jetstream.JetStream, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := js.AccountInfo(actx)
		acancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("JetStream not ready: %w", err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// streamLeader is the name of the node that leads stream's raft group.
func streamLeader(ctx context.Context, js jetstream.JetStream, stream string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return "", err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return "", err
	}
	if info.Cluster == nil || info.Cluster.Leader == "" {
		return "", fmt.Errorf("stream %s has no leader", stream)
	}
	return info.Cluster.Leader, nil
}

func (c *cluster) node(name string) *proc {
	for i, n := range c.names {
		if n == name {
			return c.nodes[i]
		}
	}
	return nil
}
