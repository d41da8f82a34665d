package natsembed_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

// TestListenerLoopbackByDefault: a listen address without a host binds
// loopback only, and one reachable from other machines is refused unless
// clients must prove who they are.
func TestListenerLoopbackByDefault(t *testing.T) {
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: ":0"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	if u := srv.ClientURL(); !strings.HasPrefix(u, "nats://127.0.0.1:") {
		t.Errorf(`":0" listens on %s, want loopback`, u)
	}
	for _, listen := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:0"} {
		if s, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: listen}); err == nil {
			s.Shutdown()
			t.Errorf("%s without credentials: started", listen)
		} else if !strings.Contains(err.Error(), "without credentials") {
			t.Errorf("%s: %v", listen, err)
		}
	}
}

// TestListenerNKeys: with nkeys, only a client holding one of their seeds
// gets in; the process's own in-process connection still works.
func TestListenerNKeys(t *testing.T) {
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	// 0.0.0.0 is allowed with credentials; the test dials loopback.
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "0.0.0.0:0", NKeys: []string{pub}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	url := "nats://127.0.0.1:" + srv.ClientURL()[strings.LastIndex(srv.ClientURL(), ":")+1:]

	if nc, err := nats.Connect(url); err == nil {
		nc.Close()
		t.Fatal("a client without credentials connected")
	}
	stranger, _ := nkeys.CreateUser()
	if nc, err := nats.Connect(url, nats.Nkey(mustPub(stranger), stranger.Sign)); err == nil {
		nc.Close()
		t.Fatal("a client with an unknown nkey connected")
	}
	seedFile := filepath.Join(t.TempDir(), "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	opt, err := nats.NkeyOptionFromSeed(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(url, opt)
	if err != nil {
		t.Fatalf("the listed user: %v", err)
	}
	nc.Close()
	self, err := srv.Connect("self")
	if err != nil {
		t.Fatalf("in-process connection: %v", err)
	}
	self.Close()
}

// TestListenerTLS: over TLS with a client CA, a client needs the server's
// CA and its own certificate.
func TestListenerTLS(t *testing.T) {
	c := natstest.MakeCerts(t)
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:0",
		TLS: natsembed.TLSFiles{CertFile: c.ServerCert, KeyFile: c.ServerKey, CAFile: c.CA}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	url := srv.ClientURL()
	if nc, err := nats.Connect(url); err == nil {
		nc.Close()
		t.Fatal("a plain-text client connected")
	}
	if nc, err := nats.Connect(url, nats.RootCAs(c.CA)); err == nil {
		nc.Close()
		t.Fatal("a client without a certificate connected")
	}
	nc, err := nats.Connect(url, nats.RootCAs(c.CA), nats.ClientCert(c.ClientCert, c.ClientKey))
	if err != nil {
		t.Fatalf("client with certificate: %v", err)
	}
	nc.Close()
	self, err := srv.Connect("self")
	if err != nil {
		t.Fatalf("in-process connection: %v", err)
	}
	self.Close()
}

func mustPub(kp nkeys.KeyPair) string {
	p, _ := kp.PublicKey()
	return p
}
