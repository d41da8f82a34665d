package summarize

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// llmRun is the shared state of one edition's LLM work: tokens spent,
// whether the LLM has failed (after which nothing more is asked of it, so
// the edition is not late twice), and what became of every answer, for
// the report at the end of the edition.
type llmRun struct {
	mu      sync.Mutex
	usage   news.Usage
	down    noteKind
	err     error
	answers int            // calls made, answered or not
	used    int            // answers used (perhaps with sentences removed)
	removed int            // sentences removed from used answers
	reasons map[string]int // why the others were not used
}

func newLLMRun() *llmRun { return &llmRun{reasons: map[string]int{}} }

func (r *llmRun) add(u news.Usage) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.usage = r.usage.Add(u)
	r.mu.Unlock()
}

// answered counts one answer: used (with removed sentences taken out), or
// not, for reason.
func (r *llmRun) answered(used bool, reason string, removed int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answers++
	if used {
		r.used++
		r.removed += removed
		return
	}
	r.reasons[reason]++
}

// callFailed counts a call that brought no answer.
func (r *llmRun) callFailed(err error) { r.answered(false, failureReason(err), 0) }

// fail marks the LLM as failed for the rest of the edition; the readers'
// note says how: busy (429), slow, or unavailable.
func (r *llmRun) fail(ctx context.Context, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	r.err = err
	var ae *llm.APIError
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, llm.ErrTimeout):
		r.down = noteLLMSlow
	case errors.As(err, &ae) && ae.Status == 429:
		r.down = noteLLMBusy
	default:
		r.down = noteLLMDown
	}
}

func (r *llmRun) failed() (bool, noteKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err != nil, r.down
}

// failureReason names why a call brought no answer, as the report counts
// it.
func failureReason(err error) string {
	var ae *llm.APIError
	switch {
	case errors.As(err, &ae) && ae.Status == 429:
		return "rate-limited (HTTP 429)"
	case errors.As(err, &ae):
		return fmt.Sprintf("HTTP %d", ae.Status)
	case errors.Is(err, llm.ErrUnavailable):
		return "server unreachable"
	case errors.Is(err, llm.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, llm.ErrTruncated):
		return "cut off at max_tokens"
	case errors.Is(err, llm.ErrEmpty):
		return "empty answer"
	case errors.Is(err, llm.ErrBadResponse):
		return "malformed response"
	case errors.Is(err, llm.ErrPromptTooLong):
		return "prompt too long for the context window"
	case errors.Is(err, llm.ErrPromptTruncated):
		return "prompt truncated by the server"
	}
	return "failed"
}

// hints say what an operator can do about the most common reason.
var hints = map[string]string{
	"rate-limited (HTTP 429)":        "the server limits requests: lower summarize.llm.max_concurrency or requests_per_second, or raise the server's limit",
	"HTTP 404":                       "check summarize.llm.base_url: it usually ends in /v1 (Ollama: http://HOST:11434/v1) — and summarize.llm.model",
	"HTTP 401":                       "the server refuses the API key: check the variable named by summarize.llm.api_key_env",
	"HTTP 403":                       "the server refuses the API key: check the variable named by summarize.llm.api_key_env",
	"server unreachable":             "is the server running, and is summarize.llm.base_url right?",
	"timed out":                      "the server is slower than summarize.llm.timeout or summarize.llm_deadline allow",
	"cut off at max_tokens":          "raise summarize.digest.max_tokens and summarize.brief.max_tokens, or switch the model's thinking off (summarize.llm.thinking)",
	reasonJSON:                       "the model does not answer with the JSON asked for; use a server or model with JSON mode",
	verify.ProblemUnsupported:        "the model states facts its sources do not hold; `newsdesk verify` shows which",
	verify.ProblemLanguage:           "the model does not write in the edition's language; a larger multilingual model helps",
	verify.ProblemUncited:            "the model does not cite its sources with [n]",
	reasonMissing:                    "the model leaves out a language version of the story",
	problemInconsistent:              "the model's language versions state different facts",
	"prompt truncated by the server": "the server cut the prompt: raise its context length (OLLAMA_CONTEXT_LENGTH)",
}

// reportLLM tells the operator, once at the end of an edition, what
// became of the LLM's answers: "LLM: 0 of 28 answers used: 14 malformed
// JSON, 14 unsupported fact". It warns when the LLM failed or fewer than
// half of its answers could be used, and names what to do about the most
// common reason.
func (s *Stage) reportLLM(ed *EditionConfig, ids digestIDs, r *llmRun) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.answers == 0 && r.err == nil {
		return
	}
	type count struct {
		reason string
		n      int
	}
	var counts []count
	for reason, n := range r.reasons {
		counts = append(counts, count{reason, n})
	}
	slices.SortFunc(counts, func(a, b count) int {
		return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.reason, b.reason))
	})
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = fmt.Sprintf("%d %s", c.n, c.reason)
	}
	msg := fmt.Sprintf("LLM: %d of %d answers used", r.used, r.answers)
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, ", ")
	}
	if r.removed > 0 {
		msg += fmt.Sprintf("; %d sentences removed from the answers used", r.removed)
	}
	warn := r.err != nil || 2*r.used < r.answers
	if warn && len(counts) > 0 {
		if h := hints[counts[0].reason]; h != "" {
			msg += " — " + h
		}
	}
	level := slog.LevelInfo
	if warn {
		level = slog.LevelWarn
		if r.err != nil {
			msg += "; the edition went out with extractive text where the LLM failed"
		}
	}
	s.log.Log(context.Background(), level, msg, "edition", ed.Name, "date", ids.date, "slot", ids.slot,
		"base_url", s.cfg.LLM.BaseURL, "model", s.model())
}
