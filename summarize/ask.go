package summarize

import (
	"context"
	"log/slog"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// judgement is what the checks say of one decoded LLM answer.
type judgement struct {
	ok       bool
	removed  int      // sentences the checks took out of an accepted answer
	problems []string // why the answer was rejected (sent back on the retry)
	reason   string   // the kind of problem that sank it, as the report counts it
}

// askResult is the outcome of ask.
type askResult struct {
	usage    news.Usage // what every attempt cost
	ok       bool       // an answer passed the checks
	problems []string   // the last attempt's problems when none passed
}

// ask is the ask-check-retry loop of the brief, story and overview calls:
// it sends req, decodes the JSON answer into *ans and has check judge it.
// An answer that comes back cut off, empty or garbled, is not the JSON
// asked for, or fails the checks is asked for once more with what was
// wrong (withRetry); then the caller falls back. Every attempt is counted
// in run and the stage's metrics; rejections are logged on log, which
// names the item. err is a failed call that a second try does not fix
// (the LLM is down, slow or refuses; the prompt is too long): the caller
// decides what it means.
func ask[A any](ctx context.Context, s *Stage, run *llmRun, log *slog.Logger, req llm.Request, ans *A, check func() judgement) (askResult, error) {
	var res askResult
	msgs := req.Messages
	for attempt := range 2 {
		if attempt > 0 {
			req.Messages = withRetry(msgs, res.problems)
		}
		resp, err := s.complete(ctx, req)
		res.usage = res.usage.Add(resp.Usage)
		if err != nil {
			run.callFailed(err)
			if !retryableAnswer(err) {
				return res, err
			}
			res.problems = []string{err.Error()}
			continue
		}
		var zero A
		*ans = zero
		v := judgement{reason: reasonJSON}
		if err := decodeJSON(resp.Content, ans); err != nil {
			v.problems = []string{"the answer was not the JSON object asked for (" + err.Error() + ")"}
		} else if v = check(); v.ok {
			run.answered(true, "", v.removed)
			res.ok, res.problems = true, nil
			return res, nil
		}
		res.problems = v.problems
		run.answered(false, v.reason, 0)
		s.m.calls.WithLabelValues(req.Purpose, "rejected").Inc()
		log.Info(req.Purpose+" answer rejected", "attempt", attempt+1, "problems", res.problems)
	}
	return res, nil
}
