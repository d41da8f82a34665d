package summarize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

const (
	generatorExtractive = "extractive"
	purposeBrief        = "brief"
)

// Brief returns a short summary of a in lang. With an LLM each article is
// briefed at most once per language: the result is cached in the briefs
// bucket under hash(normalized input) + model + prompt version + lang, so
// re-polls, restarts, redeliveries and syndicated copies with the same text
// cost no tokens. A brief whose text fails the checks twice is replaced by
// the extractive brief (when lang is the article's language) and that
// decision is cached too. LLM errors (*llm.APIError, context errors) are
// returned as they are so the caller can decide to retry.
//
// Without an LLM the brief is extractive and stays in the article's own
// language whatever lang asks for: Brief.Language says which it is.
func (s *Stage) Brief(ctx context.Context, a news.Article, lang string) (news.Brief, error) {
	b, _, err := s.brief(ctx, nil, a, lang)
	return b, err
}

// briefInput is what the model reads of an article: title plus lead.
func (s *Stage) briefInput(a news.Article) string {
	body := lead(a.Text, s.cfg.Brief.MaxInputChars)
	if body == "" {
		body = cutWords(normalizeSpace(a.Description), s.cfg.Brief.MaxInputChars)
	}
	return body
}

// briefKey is the cache key: the normalized text the model reads, the
// model, the prompt version and the language. The headline is left out on
// purpose: syndicated copies run the same wire text under their own
// headlines, and one brief serves them all.
func (s *Stage) briefKey(a news.Article, lang string) string {
	return "b." + bus.Token(lang) + "." + hashKey(s.briefInput(a), s.model(), s.cfg.PromptVersion, lang)
}

// brief reports whether the result came from the cache (or from another
// caller's call, which paid for it).
//
// The cache is read twice: once before joining the flight (the cheap common
// case) and again inside it. Without the second read a caller that missed
// the cache while another caller's flight was running, and joined the
// flights only after that flight had written the cache and ended, would
// start a second LLM call for the same text.
//
// run, when not nil, is the edition the brief is made for: what became of
// the LLM's answer counts in its report.
func (s *Stage) brief(ctx context.Context, run *llmRun, a news.Article, lang string) (news.Brief, bool, error) {
	if s.llm == nil {
		return s.extractiveBrief(a), false, nil
	}
	key := s.briefKey(a, lang)
	if b, ok := s.cachedBrief(ctx, key, a); ok {
		s.m.briefCache.WithLabelValues("hit").Inc()
		return b, true, nil
	}
	b, paid, err := s.briefMiss(ctx, run, key, a, lang)
	if err != nil {
		return news.Brief{}, false, err
	}
	if paid {
		s.m.briefCache.WithLabelValues("miss").Inc()
	} else {
		s.m.briefCache.WithLabelValues("hit").Inc()
	}
	b.ArticleID = a.ID
	return b, !paid, nil
}

// briefMiss is brief after a cache miss: it joins or starts the flight for
// key and reports whether this caller paid for an LLM call.
func (s *Stage) briefMiss(ctx context.Context, run *llmRun, key string, a news.Article, lang string) (b news.Brief, paid bool, err error) {
	b, shared, err := s.flights.do(key, func() (news.Brief, error) {
		if b, ok := s.cachedBrief(ctx, key, a); ok {
			return b, nil
		}
		paid = true
		b, err := s.llmBrief(ctx, run, a, lang)
		if err == nil && s.bus != nil {
			if err := bus.PutJSON(ctx, s.bus.Briefs(), key, b); err != nil {
				// The brief is good; a later call pays again. Not worth failing.
				s.log.Warn("brief cache write failed", "article_id", a.ID, "err", err)
			}
		}
		return b, err
	})
	return b, paid && !shared, err
}

// cachedBrief reads key from the briefs bucket.
func (s *Stage) cachedBrief(ctx context.Context, key string, a news.Article) (news.Brief, bool) {
	if s.bus == nil {
		return news.Brief{}, false
	}
	var cached news.Brief
	ok, err := bus.GetJSON(ctx, s.bus.Briefs(), key, &cached)
	if err != nil {
		s.log.Warn("brief cache read failed; briefing anew", "article_id", a.ID, "err", err)
	}
	if !ok || cached.Schema != news.BriefSchema {
		return news.Brief{}, false
	}
	cached.ArticleID = a.ID
	return cached, true
}

// flights lets concurrent briefs of the same text (two syndicated copies
// handled by two workers at once) share one LLM call.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	b    news.Brief
	err  error
}

// do runs fn once per key at a time; callers arriving while it runs wait
// for its result and report shared.
func (f *flights) do(key string, fn func() (news.Brief, error)) (b news.Brief, shared bool, err error) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	if c, ok := f.m[key]; ok {
		f.mu.Unlock()
		<-c.done
		return c.b, true, c.err
	}
	c := &flight{done: make(chan struct{})}
	f.m[key] = c
	f.mu.Unlock()
	c.b, c.err = fn()
	close(c.done)
	f.mu.Lock()
	delete(f.m, key)
	f.mu.Unlock()
	return c.b, false, c.err
}

func (s *Stage) extractiveBrief(a news.Article) news.Brief {
	text := strings.Join(s.summarizer(a.Language).Summarize(s.briefInput(a), s.cfg.Brief.Sentences), " ")
	return news.Brief{
		Schema: news.BriefSchema, ArticleID: a.ID, Language: a.Language,
		Headline: normalizeSpace(a.Title), Text: normalizeSpace(text),
		Generator: generatorExtractive, CreatedAt: s.clock.Now().UTC(),
	}
}

type briefAnswer struct {
	Headline string `json:"headline"`
	Summary  string `json:"summary"`
}

// llmBrief asks the model, checks the answer sentence by sentence (a
// sentence with a fact the article does not hold, or in the wrong
// language, is removed: a brief is only the story call's input, so one
// good sentence is enough), retries once when nothing is left or the
// headline fails, then falls back to extractive text.
func (s *Stage) llmBrief(ctx context.Context, run *llmRun, a news.Article, lang string) (news.Brief, error) {
	input := s.briefInput(a)
	source := normalizeSpace(a.Title) + "\n" + input
	log := s.log.With("article_id", a.ID, "lang", lang)
	req := llm.Request{Messages: s.briefPrompt(a, input, lang, a.Language != lang, &s.cfg.Glossary),
		MaxTokens: s.cfg.Brief.MaxTokens, JSON: true, Purpose: purposeBrief}
	var ans briefAnswer
	var text string
	res, err := ask(ctx, s, run, log, req, &ans, func() judgement {
		ans.Headline, ans.Summary = normalizeSpace(ans.Headline), normalizeSpace(ans.Summary)
		headline := s.checkHeadline(ans.Headline, ans.Summary, []string{source}, lang)
		var issues []verify.Issue
		var total, kept int
		text, issues, total, kept = s.gateText(ans.Summary, []string{source}, lang)
		if ans.Headline != "" && len(headline) == 0 && kept > 0 {
			if len(issues) > 0 {
				log.Info("sentences removed from a brief", "problems", issueList(issues))
			}
			return judgement{ok: true, removed: total - kept}
		}
		v := judgement{problems: issueList(issues), reason: mainProblem(issues)}
		for _, p := range headline {
			v.problems = append(v.problems, "headline: "+p)
		}
		if ans.Summary == "" || ans.Headline == "" {
			v.problems = append(v.problems, "the headline or the summary is empty")
		}
		if v.reason == reasonEmpty && len(headline) > 0 {
			v.reason = headlineReason(headline)
		}
		return v
	})
	if err != nil {
		return news.Brief{}, fmt.Errorf("brief %s: %w", a.ID, err)
	}
	if res.ok {
		return news.Brief{
			Schema: news.BriefSchema, ArticleID: a.ID, Language: lang,
			Headline: ans.Headline, Text: text,
			Generator: "llm:" + s.llm.Model(), Usage: res.usage, CreatedAt: s.clock.Now().UTC(),
		}, nil
	}
	if lang != a.Language {
		return news.Brief{}, fmt.Errorf("brief %s in %s: no acceptable answer after retry: %s", a.ID, lang, strings.Join(res.problems, "; "))
	}
	s.m.fallbacks.WithLabelValues("brief_rejected").Inc()
	log.Warn("brief falls back to extractive text", "problems", res.problems)
	b := s.extractiveBrief(a)
	b.Usage = res.usage
	return b, nil
}

// retryableAnswer reports an LLM failure that a second identical request
// may fix: a cut-off, empty or garbled answer. API errors and timeouts are not
// retried here; they go back to the caller (JetStream redelivery, or the
// edition's fallback).
func retryableAnswer(err error) bool {
	return errors.Is(err, llm.ErrTruncated) || errors.Is(err, llm.ErrEmpty) || errors.Is(err, llm.ErrBadResponse)
}

// complete calls the LLM and records metrics.
func (s *Stage) complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	resp, err := s.llm.Complete(ctx, req)
	s.m.addUsage(req.Purpose, resp.Usage)
	if err != nil {
		s.m.calls.WithLabelValues(req.Purpose, "error").Inc()
		return resp, err
	}
	s.m.calls.WithLabelValues(req.Purpose, "ok").Inc()
	return resp, nil
}
