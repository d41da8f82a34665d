package natsembed

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStoreLock: a second server on the same store directory fails at once
// with ErrInUse, naming the holder; once the first shuts down, the store is
// free again.
func TestStoreLock(t *testing.T) {
	dir := t.TempDir()
	first, err := Start(Options{StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Start(Options{StoreDir: dir})
	if !errors.Is(err, ErrInUse) {
		first.Shutdown()
		t.Fatalf("second server on the same store: %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the directory and the holder", err)
	}
	first.Shutdown()
	again, err := Start(Options{StoreDir: dir})
	if err != nil {
		t.Fatalf("store still locked after shutdown: %v", err)
	}
	again.Shutdown()
}

// TestListenAnyPort: ":0" listens on a free port, not on nats-server's
// default 4222, so tests and processes side by side do not collide.
func TestListenAnyPort(t *testing.T) {
	var urls []string
	for range 2 {
		srv, err := Start(Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:0"})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Shutdown()
		urls = append(urls, srv.ClientURL())
	}
	if urls[0] == urls[1] || strings.HasSuffix(urls[0], ":4222") {
		t.Errorf("two servers on %v", urls)
	}
}

// TestStartSaysWhy: when the server cannot start (here its route port is
// taken), Start's error carries the server's own reason, not only "not
// ready".
func TestStartSaysWhy(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	srv, err := Start(Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", StartTimeout: time.Second,
		Cluster: &Cluster{Name: "c", Listen: taken.Addr().String(), Routes: []string{"nats://127.0.0.1:1"}}})
	if err == nil {
		srv.Shutdown()
		t.Fatal("started with its route port taken")
	}
	if !strings.Contains(err.Error(), "router port") || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("error %q does not say the route port was taken", err)
	}
}
