package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/internal/testnet"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// connectLLM is a summarize.llm section for check --connect tests: the
// model is checked against the server's list, and retries are short.
func connectLLM(url, model string) string {
	return fmt.Sprintf("  llm:\n    base_url: %q\n    model: %s\n    max_retries: 1\n    retry_base_delay: 10ms\n    max_retry_delay: 50ms\n    timeout: 5s\n", url, model)
}

// TestCheckConnect: check --connect reaches the LLM server (the LLM test
// double, which speaks the real API) and the SMTP relay (in-process
// go-smtp) as run would, says what answered, sends no mail, and fails
// with the reason when either is misconfigured.
func TestCheckConnect(t *testing.T) {
	fake := llmtest.New(t, llmtest.Always(llmtest.OK("{}")))
	tests := []struct {
		name     string
		llm      string // summarize section; "" none
		tls      string // "" keeps tls: none
		relay    bool   // false: the relay's address is closed
		wantCode int
		want     []string
	}{
		{"both answer", connectLLM(fake.URL, llmtest.DefaultModel), "", true, 0,
			[]string{"llm: " + fake.URL + " answers and serves " + llmtest.DefaultModel, "(tls none) accepted the session; no mail sent"}},
		{"no llm", "", "", true, 0, []string{"llm: none configured (extractive summaries)"}},
		{"model not served", connectLLM(fake.URL, "qwen3:8b"), "", true, 1,
			[]string{"llm: FAILED:", `model "qwen3:8b" not served (server lists: ` + llmtest.DefaultModel}},
		{"llm down", connectLLM("http://"+testnet.FreeAddr(t)+"/v1", "qwen3:8b"), "", true, 1, []string{"llm: FAILED:"}},
		{"implicit TLS against a plain-text relay", "", "implicit", true, 1,
			[]string{"smtp: 127.0.0.1:", "(tls implicit) FAILED:", "answered in plain text, not TLS"}},
		{"relay down", "", "", false, 1, []string{"(tls none) FAILED:"}},
		// The sample feeds are served on 127.0.0.1.
		{"feeds on a private address", "", "", true, 1, []string{"feeds ", ": 127.0.0.1 is loopback", "unless ingest.allow_private_networks: true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			relay := smtptest.Start(t)
			addr := relay.Addr
			if !tt.relay {
				addr = testnet.FreeAddr(t)
			}
			c := newCronSetup(t, addr)
			c.writeConfig(t, map[string]string{"summarize": tt.llm})
			if tt.tls != "" {
				withTLS(t, c, tt.tls, "")
			}
			if strings.HasPrefix(tt.name, "feeds") {
				raw, err := os.ReadFile(c.config)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(c.config, []byte(strings.Replace(string(raw), "allow_private_networks: true", "allow_private_networks: false", 1)), 0o600); err != nil {
					t.Fatal(err)
				}
			} else {
				tt.want = append(tt.want, "feeds: the hosts of all")
			}
			code, out, errOut := runCmd(t.Context(), "check", "--connect", "--config", c.config)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if n := len(relay.Messages()); n != 0 {
				t.Errorf("check --connect sent %d mails", n)
			}
		})
	}
}
