package summarize

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// The stage's LLM tests talk to llmtest, a TEST DOUBLE of an
// OpenAI-compatible server over real HTTP (no model weights can be
// downloaded where tests run), answered by summarizetest's editor. That is
// enough to exercise every check and fallback; faults are injected per call.

// translations are the double's whole bilingual competence for the
// fixtures: the two stories covered in one language only.
var translations = map[string]string{
	"Alibaba's new Qwen coding agent takes aim at Claude Code":  "Alibabas neuer Qwen-Agent zum Programmieren zielt auf Claude Code",
	"KI-Verordnung: Bundesnetzagentur soll Aufsicht übernehmen": "AI regulation: Bundesnetzagentur to take over supervision",
}

type fault = summarizetest.Fault

// editor is the double's handler for the fixtures: good answers, with f
// applied (nil: always good).
func editor(f fault) llmtest.Handler {
	return summarizetest.Editor(summarizetest.WithTranslations(translations), summarizetest.WithFault(f))
}

// llmSetup is a stage with a real bus and a real llm client talking to the
// test double.
type llmSetup struct {
	stage *Stage
	srv   *llmtest.Server
}

func newLLMSetup(t *testing.T, h llmtest.Handler, mutate func(*Config, *llm.Config)) llmSetup {
	t.Helper()
	srv := llmtest.New(t, h)
	no := false
	lc := llm.Config{
		BaseURL: srv.URL, Model: llmtest.DefaultModel, MaxRetries: 1,
		RetryBaseDelay: 5 * time.Millisecond, MaxRetryDelay: 20 * time.Millisecond,
		// Generous: under -race on a loaded 2-core machine a call to the
		// double can take seconds, and a timed-out brief waits for backoff.
		Timeout: 10 * time.Second, CheckModel: &no, MaxConcurrency: 2,
	}
	cfg := Config{LLMDeadline: 30 * time.Second, Backoff: []time.Duration{50 * time.Millisecond}}
	if mutate != nil {
		mutate(&cfg, &lc)
	}
	client, err := llm.New(lc, testLogger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	b := natstest.Start(t)
	return llmSetup{stage: newTestStage(t, cfg, Deps{Bus: b, LLM: client, Clock: clockwork.NewRealClock()}), srv: srv}
}
