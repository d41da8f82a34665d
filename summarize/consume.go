package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// ConsumerConfig is the durable consumer the stage's replicas share on
// ARTICLES, as `newsdesk setup` declares it and Run binds to it.
func ConsumerConfig(cfg Config) bus.ConsumerConfig {
	return bus.ConsumerConfig{
		Stream: bus.StreamArticles, Durable: Durable, Stage: "summarize",
		Workers: cfg.Workers, MaxAckPending: cfg.MaxAckPending,
		AckWait: cfg.AckWait, MaxDeliver: cfg.MaxDeliver, Backoff: cfg.Backoff,
		PauseInitial: cfg.Pause.Initial, PauseMax: cfg.Pause.Max,
	}
}

// consume runs the durable consumer that briefs articles ahead of the
// editions. Without an LLM it still runs (and acks), so that anything
// waiting for the summarize consumer to go idle sees it catch up.
func (s *Stage) consume(ctx context.Context) error {
	return s.bus.Consume(ctx, ConsumerConfig(s.cfg), s.handle)
}

// handle briefs one article message. Its verdict maps LLM failures onto
// JetStream: an LLM that is unavailable (429, 5xx, no answer in time)
// pauses briefing without spending the article's deliveries, a request the
// server refuses (400) is dead-lettered, an answer that is no use is
// retried with the consumer's backoff.
func (s *Stage) handle(ctx context.Context, m jetstream.Msg) error {
	var a news.Article
	if err := json.Unmarshal(m.Data(), &a); err != nil {
		return bus.Permanent(fmt.Errorf("decoding article on %s: %w", m.Subject(), err))
	}
	if err := a.Validate(); err != nil {
		return bus.Permanent(err)
	}
	// An article older than every edition's lookback will never be read by
	// one (a new consumer starts at the stream's beginning, up to 7 days
	// back): briefing it would only spend tokens.
	if md, err := m.Metadata(); err == nil && s.clock.Now().Sub(md.Timestamp) > s.maxLookback() {
		return nil
	}
	_, err := s.HandleArticle(ctx, a)
	if err == nil {
		return nil
	}
	if down, after := llmUnavailable(err); down {
		return bus.Pause(err, after)
	}
	if retry, after := llm.Retryable(err); retry {
		if after <= 0 {
			after = s.cfg.Backoff[0]
		}
		return bus.Retry(err, after)
	}
	if isLLMFailure(err) && ctx.Err() == nil {
		return bus.Permanent(err)
	}
	return err
}

// llmUnavailable reports an error that says the LLM server is down or
// overloaded rather than that this article is a problem, and the wait the
// server asked for.
func llmUnavailable(err error) (bool, time.Duration) {
	var ae *llm.APIError
	switch {
	case errors.As(err, &ae):
		return ae.Temporary(), ae.RetryAfter
	case errors.Is(err, llm.ErrTimeout), errors.Is(err, llm.ErrUnavailable):
		return true, 0
	}
	return false, 0
}

// HandleArticle makes the briefs an article needs ahead of its editions
// and reports how many cost LLM calls (0 when all came from the cache).
// Without an LLM there is nothing to prepare.
func (s *Stage) HandleArticle(ctx context.Context, a news.Article) (made int, err error) {
	if s.llm == nil || !s.wanted(a) {
		return 0, nil
	}
	_, cached, err := s.brief(ctx, nil, a, a.Language)
	if err != nil {
		return 0, err
	}
	if cached {
		return 0, nil
	}
	return 1, nil
}

// wanted reports whether any edition will read a: its language is one of
// the edition's and it is relevant enough.
func (s *Stage) wanted(a news.Article) bool {
	for i := range s.cfg.Editions {
		ed := &s.cfg.Editions[i]
		if slices.Contains(ed.Languages, a.Language) && a.Relevance >= ed.MinRelevance {
			return true
		}
	}
	return false
}

// maxLookback is the longest window any edition reads.
func (s *Stage) maxLookback() time.Duration {
	var d time.Duration
	for i := range s.cfg.Editions {
		d = max(d, s.cfg.Editions[i].Lookback)
	}
	return d
}
