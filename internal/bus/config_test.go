package bus_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

func TestConfigValidate(t *testing.T) {
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	tests := []struct {
		name    string
		set     func(*bus.Config)
		wantErr string // "" means valid
	}{
		{"defaults", nil, ""},
		{"loopback listener", func(c *bus.Config) { c.Listen = "127.0.0.1:4222" }, ""},
		{"no host is loopback", func(c *bus.Config) { c.Listen = ":4222" }, ""},
		{"open listener", func(c *bus.Config) { c.Listen = "0.0.0.0:4222" }, "reachable from other machines"},
		{"open listener with nkeys", func(c *bus.Config) { c.Listen = "0.0.0.0:4222"; c.ListenNKeys = []string{pub} }, ""},
		{"open listener with client certificates", func(c *bus.Config) {
			c.Listen = "[::]:4222"
			c.ListenTLS = bus.TLSFiles{CAFile: "ca.pem", CertFile: "s.pem", KeyFile: "s.key"}
		}, ""},
		{"open listener with TLS only", func(c *bus.Config) {
			c.Listen = "0.0.0.0:4222"
			c.ListenTLS = bus.TLSFiles{CertFile: "s.pem", KeyFile: "s.key"}
		}, "reachable from other machines"},
		{"not a user nkey", func(c *bus.Config) { c.Listen = "0.0.0.0:4222"; c.ListenNKeys = []string{"SUAB"} }, "not a public user nkey"},
		{"nkeys without listener", func(c *bus.Config) { c.ListenNKeys = []string{pub} }, "which is not set"},
		{"cert without key", func(c *bus.Config) { c.URL = "nats://x:4222"; c.TLS.CertFile = "c.pem" }, "go together"},
		{"creds and seed", func(c *bus.Config) { c.URL = "nats://x:4222"; c.CredsFile, c.NKeySeedFile = "a", "b" }, "give one"},
		{"replicas on the embedded server", func(c *bus.Config) { c.Replicas = 3 }, "one node"},
		{"replicas on a cluster", func(c *bus.Config) { c.URL = "nats://x:4222"; c.Replicas = 3 }, ""},
		{"placement on the embedded server", func(c *bus.Config) { c.Placement.Tags = []string{"ssd"} }, "placement needs a cluster"},
		{"prefix", func(c *bus.Config) { c.SubjectPrefix = "acme.news" }, ""},
		{"prefix with wildcard", func(c *bus.Config) { c.SubjectPrefix = "acme.*" }, "subject_prefix"},
		{"reserved prefix", func(c *bus.Config) { c.SubjectPrefix = "$JS" }, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c bus.Config
			if tt.set != nil {
				tt.set(&c)
			}
			c.Defaults()
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestCheckFiles: credential and certificate files are read and checked
// for what their key says they are.
func TestCheckFiles(t *testing.T) {
	certs := natstest.MakeCerts(t)
	dir := t.TempDir()
	user, _ := nkeys.CreateUser()
	seed, _ := user.Seed()
	account, _ := nkeys.CreateAccount()
	aseed, _ := account.Seed()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("user.nk", seed)
	upub, _ := user.PublicKey()
	token, err := jwt.NewUserClaims(upub).Encode(account)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := jwt.FormatUserConfig(token, seed)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		c       bus.Config
		wantErr string
	}{
		{"nkey seed", bus.Config{NKeySeedFile: good}, ""},
		{"account seed", bus.Config{NKeySeedFile: write("acct.nk", aseed)}, "not a user seed"},
		{"missing seed", bus.Config{NKeySeedFile: filepath.Join(dir, "nope")}, "nkey_seed_file"},
		{"creds", bus.Config{CredsFile: write("user.creds", creds)}, ""},
		{"creds without JWT", bus.Config{CredsFile: good}, "creds_file"},
		{"TLS", bus.Config{TLS: bus.TLSFiles{CAFile: certs.CA, CertFile: certs.ClientCert, KeyFile: certs.ClientKey}}, ""},
		{"CA that is a key", bus.Config{TLS: bus.TLSFiles{CAFile: certs.ClientKey}}, "no PEM certificate"},
		{"cert and a foreign key", bus.Config{ListenTLS: bus.TLSFiles{CertFile: certs.ServerCert, KeyFile: certs.ClientKey}}, "listen_tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.CheckFiles()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
