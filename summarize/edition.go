package summarize

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Edition composes edition name for the time at and publishes each
// language's digest to bus.DigestSubject(name, lang) with message id
// news.DigestID(name, date, lang, prompt_version). Its articles are those
// ingested since the edition's previous run (at most lookback before at),
// read from the ARTICLES stream. It updates the edition's story memory.
// It returns the digests it published: none for a language whose digest id
// an earlier run already published. Edition does not take the edition
// lock; the scheduler does.
func (s *Stage) Edition(ctx context.Context, name string, at time.Time) ([]news.Digest, error) {
	if s.bus == nil {
		return nil, fmt.Errorf("summarize: edition %s needs a bus", name)
	}
	ed, ok := s.editions[name]
	if !ok {
		return nil, fmt.Errorf("summarize: no edition %q", name)
	}
	date := at.In(ed.location()).Format(time.DateOnly)
	mem, err := s.loadMemory(ctx, name, at)
	if err != nil {
		return nil, fmt.Errorf("summarize: edition %s %s: %w", name, date, err)
	}
	since := at.Add(-ed.Lookback)
	if mem.LastRun.After(since) && mem.LastRun.Before(at) {
		since = mem.LastRun
	}
	articles, err := s.readArticles(ctx, since, at)
	if err != nil {
		return nil, fmt.Errorf("summarize: edition %s %s: %w", name, date, err)
	}
	res, err := s.compose(ctx, ed, date, at.In(ed.location()).Format("15:04"), at, articles, mem)
	if err != nil {
		return nil, fmt.Errorf("summarize: edition %s %s: %w", name, date, err)
	}
	if mem.Published == nil {
		mem.Published = map[string]string{}
	}
	var published []news.Digest
	for _, d := range res.digests {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("summarize: edition %s: %w", name, err)
		}
		if run, ok := mem.Published[d.ID]; ok && run != mem.run {
			// Another run already published this id (a manual re-run the
			// same day): a second, different digest under it would confuse
			// every reader that dedupes on it.
			s.log.Warn("digest already published by an earlier run; not publishing again", "id", d.ID, "run", run)
			continue
		}
		mem.Published[d.ID] = mem.run
		dup, err := s.bus.Publish(ctx, bus.DigestSubject(name, d.Language), d.ID, d, map[string]string{
			bus.HeaderSchema: news.DigestSchema, bus.HeaderLang: d.Language,
		})
		if err != nil {
			return nil, fmt.Errorf("summarize: edition %s: %w", name, err)
		}
		s.log.Info("digest published", "id", d.ID, "stories", len(d.Stories), "generator", d.Generator,
			"tokens", d.Usage.Total(), "notes", len(d.Notes), "duplicate", dup)
		published = append(published, d)
	}
	if err := s.saveMemory(ctx, name, at, mem, res.told, res.headlines); err != nil {
		// The digests are out; a lost memory only means a story may be
		// told again rather than as an update.
		s.log.Error("saving story memory failed", "edition", name, "err", err)
	}
	s.m.editionTokens.WithLabelValues(name).Set(float64(res.usage.Total()))
	s.m.stories.WithLabelValues(name).Set(float64(len(res.told)))
	return published, nil
}

// readArticles reads the articles stored on ARTICLES in [since, until].
// Undecodable messages are skipped: the consumer dead-letters them.
func (s *Stage) readArticles(ctx context.Context, since, until time.Time) ([]news.Article, error) {
	var out []news.Article
	err := s.bus.ReadSince(ctx, bus.StreamArticles, bus.SubjectArticles, since, func(m jetstream.Msg) error {
		if md, err := m.Metadata(); err == nil && md.Timestamp.After(until) {
			return nil
		}
		var a news.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil {
			s.log.Warn("undecodable article skipped", "subject", m.Subject(), "err", err)
			return nil
		}
		out = append(out, a)
		return nil
	})
	return out, err
}
