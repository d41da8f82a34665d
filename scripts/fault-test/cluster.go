package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// cluster is three nats-server processes on loopback, routed to each
// other, with JetStream: the real server binary, as production runs it.
type cluster struct {
	nodes []*proc
	names []string
	url   string // every node, comma-separated, as stage processes get it
}

func startCluster(dir, bin string) (*cluster, error) {
	nodes, err := testbed.WriteCluster(dir, "faulttest", "2GB")
	if err != nil {
		return nil, err
	}
	c := &cluster{url: testbed.URL(nodes)}
	for _, n := range nodes {
		c.nodes = append(c.nodes, newProc("nats-"+n.Name, dir, bin, "-c", n.Conf))
		c.names = append(c.names, n.Name)
	}
	for _, p := range c.nodes {
		if err := p.start(); err != nil {
			return nil, err
		}
	}
	return c, nil
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
