package deploy

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/internal/config"
)

// unitValues reads the values of key in newsdesk.service, in order.
func unitValues(t *testing.T, key string) []string {
	t.Helper()
	return unitFileValues(t, "newsdesk.service", key)
}

// unitFileValues reads the values of key in the unit file, in order.
func unitFileValues(t *testing.T, file, key string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.TrimSpace(k) == key {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// TestUnitVerifies runs systemd-analyze verify on the units in a root
// laid out as on a server (the units in /etc/systemd/system, the binary in
// /usr/local/bin) and requires it to say nothing: it exits 0 even on an
// unknown key, which it only warns about. The template newsdesk@.service
// is verified as each stage's instance. systemd-analyze security then
// rates the sandbox; the test fails above an exposure of 2.0 (of 10).
func TestUnitVerifies(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("systemd-analyze is not installed (Debian: apt-get install systemd): %v", err)
		}
		t.Skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
	}
	root := t.TempDir()
	unitDir := filepath.Join(root, "etc/systemd/system")
	bin := filepath.Join(root, "usr/local/bin")
	for _, d := range []string{unitDir, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// verify only checks that ExecStart names an executable; any will do.
	if err := os.WriteFile(filepath.Join(bin, "newsdesk"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"newsdesk.service", "newsdesk@.service"} {
		unit, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(unitDir, file), unit, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The units the service depends on (sysinit.target, network-online.target, …).
	if err := os.MkdirAll(filepath.Join(root, "usr/lib/systemd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", "/usr/lib/systemd/system", filepath.Join(root, "usr/lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("copying the system units: %v\n%s", err, out)
	}
	for _, unit := range []string{"newsdesk.service", "newsdesk@ingest.service", "newsdesk@summarize.service", "newsdesk@publish.service"} {
		out, err := exec.Command(sa, "verify", "--root="+root, "/etc/systemd/system/"+unit).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
		}
		out, err = exec.Command(sa, "security", "--offline=yes", "--root="+root, "--threshold=20", unit).CombinedOutput()
		last := out[bytes.LastIndexByte(bytes.TrimSpace(out), '\n')+1:]
		t.Logf("systemd-analyze security %s: %s", unit, bytes.TrimSpace(last))
		if err != nil {
			t.Errorf("systemd-analyze security %s: %v (exposure above 2.0?)\n%s", unit, err, out)
		}
	}
}

// TestStageUnit: the stage template keeps newsdesk.service's sandbox,
// key for key, and runs the stage its instance names with that stage's
// config.
func TestStageUnit(t *testing.T) {
	for _, key := range []string{"DynamicUser", "User", "StateDirectory", "StateDirectoryMode", "UMask", "NoNewPrivileges",
		"CapabilityBoundingSet", "AmbientCapabilities", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
		"PrivateUsers", "ProtectHostname", "ProtectClock", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
		"ProtectControlGroups", "ProtectProc", "ProcSubset", "RestrictAddressFamilies", "RestrictNamespaces", "RestrictRealtime",
		"RestrictSUIDSGID", "LockPersonality", "MemoryDenyWriteExecute", "RemoveIPC", "DevicePolicy", "SystemCallArchitectures",
		"SystemCallFilter", "SystemCallErrorNumber", "EnvironmentFile", "Restart", "TimeoutStopSec"} {
		if got, want := unitFileValues(t, "newsdesk@.service", key), unitValues(t, key); !slices.Equal(got, want) {
			t.Errorf("newsdesk@.service %s=%q, newsdesk.service has %q", key, got, want)
		}
	}
	want := map[string]string{
		"ExecStart":    "/usr/local/bin/newsdesk %i --config /etc/newsdesk/%i.yaml",
		"ExecStartPre": "/usr/local/bin/newsdesk check --env --config /etc/newsdesk/%i.yaml",
	}
	for k, v := range want {
		if got := unitFileValues(t, "newsdesk@.service", k); !slices.Equal(got, []string{v}) {
			t.Errorf("newsdesk@.service %s=%q, want %q", k, got, v)
		}
	}
}

// TestUnitSandbox pins the sandbox the deployment guide describes, so
// an edit that loosens it is seen.
func TestUnitSandbox(t *testing.T) {
	want := map[string]string{
		"DynamicUser": "yes", "StateDirectory": "newsdesk", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
		"ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute": "yes",
		"SystemCallArchitectures": "native", "ExecStart": "/usr/local/bin/newsdesk run --config /etc/newsdesk/newsdesk.yaml",
		"ExecStartPre": "/usr/local/bin/newsdesk check --env --config /etc/newsdesk/newsdesk.yaml",
	}
	for k, v := range want {
		if got := unitValues(t, k); !slices.Contains(got, v) {
			t.Errorf("%s=%q, want %q", k, got, v)
		}
	}
}

// TestProductionConfig lays out /etc/newsdesk as the guide says (the
// config and configs/topics beside it) and loads it: it passes
// newsdesk check, keeps all state inside the unit's StateDirectory (the
// only place ProtectSystem=strict lets it write), listens on loopback
// only, and follows the same feeds as configs/default.yaml.
func TestProductionConfig(t *testing.T) {
	etc := t.TempDir()
	raw, err := os.ReadFile("newsdesk.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(etc, "newsdesk.yaml"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("cp", "-r", "../configs/topics", etc).Run(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NEWSDESK_SMTP_PASSWORD", "from /etc/newsdesk/env")
	cfg, err := config.Load(filepath.Join(etc, "newsdesk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	state := "/var/lib/" + unitValues(t, "StateDirectory")[0] + "/"
	for key, p := range cfg.Paths() {
		if *p == "" || strings.HasPrefix(*p, etc) {
			continue // read-only files next to the config
		}
		if !strings.HasPrefix(*p, state) {
			t.Errorf("%s = %s: outside %s, where the sandbox cannot write", key, *p, state)
		}
	}
	for key, addr := range map[string]string{"publish.listen": cfg.Publish.Listen, "metrics.listen": cfg.Metrics.Listen} {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			t.Errorf("%s = %q: want loopback, behind the reverse proxy", key, addr)
		}
	}
	if !strings.HasPrefix(cfg.Publish.BaseURL, "https://") || cfg.Publish.HTTP.ClientIPHeader == "" {
		t.Errorf("base_url %q, client_ip_header %q: want https and the proxy's header", cfg.Publish.BaseURL, cfg.Publish.HTTP.ClientIPHeader)
	}
	var def struct {
		Ingest struct {
			Feeds []map[string]string `yaml:"feeds"`
		} `yaml:"ingest"`
	}
	defRaw, err := os.ReadFile("../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(defRaw, &def); err != nil {
		t.Fatal(err)
	}
	if len(def.Ingest.Feeds) != len(cfg.Ingest.Feeds) {
		t.Fatalf("%d feeds, configs/default.yaml has %d", len(cfg.Ingest.Feeds), len(def.Ingest.Feeds))
	}
	for i, f := range def.Ingest.Feeds {
		if g := cfg.Ingest.Feeds[i]; g.ID != f["id"] || g.URL != f["url"] {
			t.Errorf("feeds[%d] = %s %s, configs/default.yaml has %s %s", i, g.ID, g.URL, f["id"], f["url"])
		}
	}
}

// TestScriptsParse: the backup and restore scripts are POSIX sh; their
// behaviour is tested end to end in cmd/newsdesk (TestBackupRestore).
func TestScriptsParse(t *testing.T) {
	for _, s := range []string{"newsdesk-backup", "newsdesk-restore"} {
		if out, err := exec.Command("sh", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("%s: %v\n%s", s, err, out)
		}
		if fi, err := os.Stat(s); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable", s)
		}
	}
}
