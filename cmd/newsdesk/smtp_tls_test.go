package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/smtptest"
)

// withTLS rewrites a cron setup's config to say tls: mode on port (0: the
// relay's own port).
func withTLS(t *testing.T, c *cronSetup, mode string, port string) {
	t.Helper()
	raw, err := os.ReadFile(c.config)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(raw), "tls: none", "tls: "+mode, 1)
	if port != "" {
		s = regexp.MustCompile(`smtp_port: \d+`).ReplaceAllString(s, "smtp_port: "+port)
	}
	if err := os.WriteFile(c.config, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestCheckWarnsImplicitTLSOnPlainPorts: `newsdesk check` accepts a config
// with tls: implicit on a port that speaks plain text first, and warns.
func TestCheckWarnsImplicitTLSOnPlainPorts(t *testing.T) {
	for _, port := range []string{"25", "587", "1025"} {
		c := newCronSetup(t, "127.0.0.1:2525")
		withTLS(t, c, "implicit", port)
		code, out, errOut := runCmd(t.Context(), "check", "--config", c.config)
		if code != 0 || !strings.Contains(out, ": ok") {
			t.Fatalf("port %s: exit %d\n%s%s", port, code, out, errOut)
		}
		if !strings.Contains(errOut, "warning: publish.email.tls is implicit (TLS from the first byte), but smtp_port "+port+" speaks plain text first") {
			t.Errorf("port %s: no warning on stderr: %q", port, errOut)
		}
	}
	c := newCronSetup(t, "127.0.0.1:465")
	withTLS(t, c, "implicit", "")
	if _, _, errOut := runCmd(t.Context(), "check", "--config", c.config); strings.Contains(errOut, "warning") {
		t.Errorf("implicit TLS on 465 warned: %q", errOut)
	}
}

// TestOnceAgainstPlainTextRelayWithTLS: the relay speaks plain text while
// the config says tls: implicit. run --once fails the delivery, and what
// it prints says which setting to change.
func TestOnceAgainstPlainTextRelayWithTLS(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	relay := smtptest.Start(t)
	c := newCronSetup(t, relay.Addr)
	withTLS(t, c, "implicit", "")
	code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "answered in plain text, not TLS") || !strings.Contains(errOut, "set publish.email.tls to starttls (ports 587, 25) or none") {
		t.Errorf("stderr does not say what to set:\n%s", errOut)
	}
	if n := len(relay.Messages()); n != 0 {
		t.Errorf("%d mails reached the relay", n)
	}
}
