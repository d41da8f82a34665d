package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// llmYAML is the summarize.llm section for a run against the llmtest
// TEST DOUBLE at url: no model check, quick retries, so a failing server
// fails fast.
func llmYAML(url string) string {
	return fmt.Sprintf(`  llm:
    base_url: %q
    model: %s
    check_model: false
    max_retries: 1
    retry_base_delay: 10ms
    max_retry_delay: 50ms
    timeout: 5s
  llm_deadline: 1m
`, url, llmtest.DefaultModel)
}

// invented answers every call of the stage with JSON in the shape asked
// for but with facts no source holds, as a careless model does.
func invented(req llmtest.ChatRequest) llmtest.Reply {
	switch summarizetest.Purpose(req) {
	case summarizetest.PurposeStory:
		return llmtest.JSONReply(`{"de": {"headline": "Nvidia verkauft 97 Millionen Chips", "summary": "Nvidia verkaufte 97 Millionen Chips [1]. Der Umsatz stieg um 45 Prozent [1]."},` +
			` "en": {"headline": "Nvidia sells 97 million chips", "summary": "Nvidia sold 97 million chips [1]. Revenue rose 45 percent [1]."}}`)
	case summarizetest.PurposeBrief:
		return llmtest.OK("Here is the brief you asked for.")
	}
	return llmtest.JSONReply(`{"overview": "Nvidia sold 97 million chips."}`)
}

// TestLLMTrouble runs `run --once` against an LLM that is down,
// rate-limited, or whose every answer the checks reject, and against a
// base URL without /v1: each edition goes out on time, extractively, with
// a note for readers that says what happened, and stderr carries one
// warning at the end of the edition that counts what became of the LLM's
// answers and says what to do.
func TestLLMTrouble(t *testing.T) {
	tests := []struct {
		name    string
		handler llmtest.Handler
		down    bool
		stderr  []string // in the warning
		noteDE  string
		noteEN  string
	}{
		{name: "down", down: true, stderr: []string{"answers used", "server unreachable", "is the server running"},
			noteDE: "nicht erreichbar", noteEN: "could not be reached"},
		{name: "rate-limited", handler: llmtest.Always(llmtest.RateLimited("120")),
			stderr: []string{"answers used", "rate-limited (HTTP 429)", "max_concurrency"}, noteDE: "überlastet", noteEN: "overloaded"},
		{name: "every answer rejected", handler: invented,
			stderr: []string{"0 of ", "answers used", "malformed JSON", "unsupported fact", "JSON mode"}, noteDE: "Prüfung gegen die Quellen nicht", noteEN: "did not pass our checks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			smtpSrv := smtptest.Start(t)
			c := newCronSetup(t, smtpSrv.Addr)
			h := tt.handler
			if h == nil {
				h = llmtest.Always(llmtest.OK("{}"))
			}
			fake := llmtest.New(t, h)
			if tt.down {
				fake.Close()
			}
			c.writeConfig(t, map[string]string{"summarize": llmYAML(fake.URL)})
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
			defer cancel()
			code, out, errOut := runCmd(ctx, "run", "--once", "--config", c.config)
			if code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			var warning string
			for _, line := range strings.Split(errOut, "\n") {
				if strings.Contains(line, "answers used") {
					if warning != "" {
						t.Errorf("more than one report line:\n%s\n%s", warning, line)
					}
					warning = line
				}
			}
			t.Logf("warning: %s", warning)
			if !strings.Contains(warning, "level=WARN") {
				t.Errorf("the report is not a warning: %q\nstderr:\n%s", warning, errOut)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(warning, want) {
					t.Errorf("warning %q lacks %q", warning, want)
				}
			}
			for lang, want := range map[string]string{"de": tt.noteDE, "en": tt.noteEN} {
				d := latestDigest(t, c.out, lang)
				if d.Generator != "extractive" || len(d.Stories) == 0 {
					t.Errorf("%s: generator %q, %d stories; want an extractive edition with stories", lang, d.Generator, len(d.Stories))
				}
				notes := strings.Join(d.Notes, " ")
				if !strings.Contains(notes, want) {
					t.Errorf("%s notes %q lack %q", lang, notes, want)
				}
				for _, jargon := range []string{"LLM", "extractive", "extraktiv", "HTTP", "429", "base_url"} {
					if strings.Contains(notes, jargon) {
						t.Errorf("%s note for readers says %q: %q", lang, jargon, notes)
					}
				}
			}
			if n := len(smtpSrv.WaitFor(4, 5*time.Second)); n != 4 {
				t.Errorf("%d mails, want 4", n)
			}
		})
	}
}

// TestLLMBaseURLWithoutV1: a base URL without /v1 (the most common
// mistake with Ollama) stops the process at startup with an error that
// says so, before any work.
func TestLLMBaseURLWithoutV1(t *testing.T) {
	smtpSrv := smtptest.Start(t)
	c := newCronSetup(t, smtpSrv.Addr)
	fake := llmtest.New(t, llmtest.Always(llmtest.OK("{}")))
	yaml := strings.Replace(llmYAML(strings.TrimSuffix(fake.URL, "/v1")), "    check_model: false\n", "", 1)
	c.writeConfig(t, map[string]string{"summarize": yaml})
	code, _, errOut := runCmd(t.Context(), "run", "--once", "--config", c.config)
	if code == 0 || !strings.Contains(errOut, "HTTP 404") || !strings.Contains(errOut, "/v1") {
		t.Errorf("exit %d, stderr %q; want a failure naming HTTP 404 and /v1", code, errOut)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d chat requests to a misconfigured server", n)
	}
}
