package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nkeys"

	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/internal/natstest"
)

// setupConfig writes a config with extra YAML under nats: and summarize:.
func setupConfig(t *testing.T, natsYAML, summarizeYAML string) string {
	t.Helper()
	good, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	topic, err := filepath.Abs("../../configs/topics/china-us-ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.Replace(string(good), "../../../configs/topics/china-us-ai.yaml", topic, 1)
	raw += "nats:\n  data_dir: " + filepath.Join(t.TempDir(), "nats") + "\n" + natsYAML
	if summarizeYAML != "" {
		raw += "summarize:\n" + summarizeYAML
	}
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tcpServer is a bare nats-server with JetStream on loopback: nothing
// declared, as a fresh cluster is.
func tcpServer(t *testing.T) string {
	t.Helper()
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return srv.ClientURL()
}

// TestSetupThenBind: stage processes on a shared server only bind. On a
// fresh server they stop, naming what is missing; setup declares and says
// what it did; a config that differs from the server stops them again,
// naming the difference, until setup migrates it.
func TestSetupThenBind(t *testing.T) {
	url := tcpServer(t)
	cfg := setupConfig(t, "", "")
	ctx := t.Context()

	code, _, errOut := runCmd(ctx, "feeds", "--nats", url, "--config", cfg)
	if code != 1 || !strings.Contains(errOut, "stream ARTICLES is missing") || !strings.Contains(errOut, "newsdesk setup") {
		t.Fatalf("a process on a fresh server: exit %d, %s", code, errOut)
	}

	code, out, errOut := runCmd(ctx, "setup", "--nats", url, "--config", cfg)
	if code != 0 {
		t.Fatalf("setup exited %d: %s", code, errOut)
	}
	// One line per stream, bucket and consumer, then the count: the
	// layout grows as stages do, so the count is taken from the lines.
	n := strings.Count(out, "\n") - 1
	for _, want := range []string{"stream ARTICLES: created", "bucket editions: created", "consumer ARTICLES/summarize: created", "consumer DIGESTS/publish: created", fmt.Sprintf("\n%d created, 0 updated, 0 as configured\n", n)} {
		if !strings.Contains(out, want) {
			t.Errorf("setup output lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := runCmd(ctx, "setup", "--nats", url, "--config", cfg); code != 0 || !strings.Contains(out, fmt.Sprintf("\n0 created, 0 updated, %d as configured\n", n)) {
		t.Errorf("second setup: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(ctx, "feeds", "--nats", url, "--config", cfg); code != 0 {
		t.Fatalf("feeds after setup: exit %d: %s", code, errOut)
	}

	// The config moves on: shorter article retention, a larger cap.
	changed := setupConfig(t, "  article_max_age: 72h\n", "  max_ack_pending: 32\n")
	code, out, _ = runCmd(ctx, "setup", "--dry-run", "--nats", url, "--config", changed)
	if code != 0 || !strings.Contains(out, "stream ARTICLES: would be updated: max_age 168h0m0s → 72h0m0s;") ||
		!strings.Contains(out, "consumer ARTICLES/summarize: would be updated: max_ack_pending 16 → 32;") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	code, _, errOut = runCmd(ctx, "feeds", "--nats", url, "--config", changed)
	if code != 1 || !strings.Contains(errOut, "stream ARTICLES differs (server → config: max_age 168h0m0s → 72h0m0s)") {
		t.Fatalf("a process whose config differs (the dry run changed nothing): exit %d, %s", code, errOut)
	}
	code, out, _ = runCmd(ctx, "setup", "--nats", url, "--config", changed)
	if code != 0 || !strings.Contains(out, "stream ARTICLES: updated: max_age 168h0m0s → 72h0m0s;") || !strings.Contains(out, fmt.Sprintf("\n0 created, 2 updated, %d as configured\n", n-2)) {
		t.Fatalf("migration: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(ctx, "feeds", "--nats", url, "--config", changed); code != 0 {
		t.Fatalf("feeds after the migration: exit %d: %s", code, errOut)
	}
}

// TestSecureCluster: a server that wants nkeys and client certificates
// takes a config with nats.nkey_seed_file and nats.tls, and nothing less;
// check reads those files first.
func TestSecureCluster(t *testing.T) {
	certs := natstest.MakeCerts(t)
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(t.TempDir(), "stage.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", NKeys: []string{pub},
		TLS: natsembed.TLSFiles{CertFile: certs.ServerCert, KeyFile: certs.ServerKey, CAFile: certs.CA}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	url := strings.Replace(srv.ClientURL(), "nats://", "tls://", 1)
	ctx := t.Context()

	full := setupConfig(t, "  url: "+url+"\n  replicas: 1\n  nkey_seed_file: "+seedFile+
		"\n  tls: {ca_file: "+certs.CA+", cert_file: "+certs.ClientCert+", key_file: "+certs.ClientKey+"}\n", "")
	if code, out, errOut := runCmd(ctx, "check", "--config", full); code != 0 || !strings.Contains(out, "nkey seed, TLS with a client certificate") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(ctx, "setup", "--config", full); code != 0 || !strings.Contains(out, fmt.Sprintf("\n%d created, 0 updated, 0 as configured\n", strings.Count(out, "\n")-1)) {
		t.Fatalf("setup with credentials: exit %d\n%s%s", code, out, errOut)
	}
	noSeed := setupConfig(t, "  url: "+url+"\n  tls: {ca_file: "+certs.CA+", cert_file: "+certs.ClientCert+", key_file: "+certs.ClientKey+"}\n", "")
	if code, _, errOut := runCmd(ctx, "setup", "--config", noSeed); code != 1 || !strings.Contains(strings.ToLower(errOut), "authorization") {
		t.Errorf("without the seed: exit %d, %s", code, errOut)
	}
	noCert := setupConfig(t, "  url: "+url+"\n  nkey_seed_file: "+seedFile+"\n  tls: {ca_file: "+certs.CA+"}\n", "")
	if code, _, errOut := runCmd(ctx, "setup", "--config", noCert); code != 1 {
		t.Errorf("without a client certificate: exit %d, %s", code, errOut)
	}
	badSeed := setupConfig(t, "  url: "+url+"\n  nkey_seed_file: "+certs.CA+"\n", "")
	if code, _, errOut := runCmd(ctx, "check", "--config", badSeed); code != 1 || !strings.Contains(errOut, "nats.nkey_seed_file") {
		t.Errorf("check with a certificate as the seed: exit %d, %s", code, errOut)
	}
	open := setupConfig(t, "  listen: 0.0.0.0:4222\n", "")
	if code, _, errOut := runCmd(ctx, "check", "--config", open); code != 1 || !strings.Contains(errOut, "reachable from other machines") {
		t.Errorf("check with an open listener: exit %d, %s", code, errOut)
	}
}
