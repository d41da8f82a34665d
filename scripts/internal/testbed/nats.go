package testbed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Node is one nats-server of a loopback cluster: its server name, the
// config file to start it with (nats-server -c Conf) and its client URL.
type Node struct {
	Name, Conf, URL string
}

// WriteCluster writes the configs of a three-node cluster on loopback
// ports, routed to each other, with JetStream storing under dir/nats;
// fileStore is each node's max_file_store ("2GB"). The script starts the
// nodes its own way (restartable or once).
func WriteCluster(dir, cluster, fileStore string) ([]Node, error) {
	const n = 3
	client, route := make([]int, n), make([]int, n)
	for i := range n {
		var err error
		if client[i], err = FreePort(); err != nil {
			return nil, err
		}
		if route[i], err = FreePort(); err != nil {
			return nil, err
		}
	}
	var nodes []Node
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
  max_file_store: %s
}
cluster {
  name: %s
  listen: 127.0.0.1:%d
  routes: [%s]
}
`, name, client[i], filepath.Join(dir, "nats", name), fileStore, cluster, route[i], strings.Join(routes, ", "))
		path := filepath.Join(dir, "nats-"+name+".conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			return nil, err
		}
		nodes = append(nodes, Node{Name: name, Conf: path, URL: fmt.Sprintf("nats://127.0.0.1:%d", client[i])})
	}
	return nodes, nil
}

// URL is the comma-separated list of every node, as stage processes get it.
func URL(nodes []Node) string {
	urls := make([]string, len(nodes))
	for i, n := range nodes {
		urls[i] = n.URL
	}
	return strings.Join(urls, ",")
}

// Connect is the script's own client connection to the cluster at url
// (observing, never taking part in the pipeline's work), reconnecting
// for ever, then waits up to within until JetStream has a meta leader,
// that is, until it answers account requests.
func Connect(ctx context.Context, url, name string, within time.Duration) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond), nats.RetryOnFailedConnect(true))
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := js.AccountInfo(actx)
		acancel()
		if err == nil {
			return nc, js, nil
		}
		select {
		case <-ctx.Done():
			nc.Close()
			return nil, nil, fmt.Errorf("JetStream not ready: %w", err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
