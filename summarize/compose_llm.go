package summarize

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

const (
	purposeStory    = "story"
	purposeOverview = "overview"
)

// llmRun is the shared state of one edition's LLM work: tokens spent, and
// whether the LLM has failed (after which nothing more is asked of it, so
// the edition is not late twice).
type llmRun struct {
	mu    sync.Mutex
	usage news.Usage
	down  noteKind
	err   error
}

func (r *llmRun) add(u news.Usage) {
	r.mu.Lock()
	r.usage = r.usage.Add(u)
	r.mu.Unlock()
}

func (r *llmRun) fail(ctx context.Context, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return
	}
	r.err = err
	r.down = noteLLMDown
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, llm.ErrTimeout) {
		r.down = noteLLMSlow
	}
}

func (r *llmRun) failed() (bool, noteKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err != nil, r.down
}

// storyResult is one story's text per language.
type storyResult struct {
	texts    map[string]news.Story // nil: the story is left out
	llm      bool                  // the text came from the LLM
	rejected bool                  // LLM text failed the checks; extractive text instead
}

// composeLLM composes the edition with the LLM within llm_deadline. It
// reports false when no story text came from the LLM; the digests it
// returns then hold only the notes saying why.
func (s *Stage) composeLLM(ctx context.Context, ed *EditionConfig, ids digestIDs, all []*story) (composed, bool) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.LLMDeadline)
	defer cancel()
	run := &llmRun{}
	chosen := s.pick(all, ed.MaxStories, nil)
	results := make([]storyResult, len(chosen))
	sem := make(chan struct{}, max(1, s.cfg.LLM.MaxConcurrency))
	var wg sync.WaitGroup
	for i, st := range chosen {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = s.llmStory(dctx, run, ed, st)
		})
	}
	wg.Wait()

	llmStories := 0
	for _, r := range results {
		if r.llm {
			llmStories++
		}
	}
	failed, why := run.failed()
	res := composed{headlines: map[string]map[string]string{}, usage: run.usage}
	if llmStories == 0 {
		if !failed {
			why = noteAllRejected
		}
		if len(chosen) > 0 {
			s.m.fallbacks.WithLabelValues("edition").Inc()
		}
		s.log.Log(ctx, levelIf(len(chosen) > 0), "no story text from the LLM; edition goes out extractively", "edition", ed.Name, "date", ids.date, "err", run.err)
		for _, lang := range ed.Languages {
			d := s.newDigest(ids, lang)
			if len(chosen) > 0 {
				d.Notes = []string{s.note(why, lang, 0)}
			}
			res.digests = append(res.digests, d)
		}
		return res, false
	}
	for _, lang := range ed.Languages {
		d := s.newDigest(ids, lang)
		d.Generator = "llm:" + s.llm.Model()
		extractiveN, rejectedN := 0, 0
		for i, r := range results {
			st, ok := r.texts[lang]
			if !ok {
				continue
			}
			d.Stories = append(d.Stories, st)
			if !r.llm {
				extractiveN++
			}
			if r.rejected {
				rejectedN++
			}
			if res.headlines[st.ID] == nil {
				res.headlines[st.ID] = map[string]string{}
				res.told = append(res.told, chosen[i])
			}
			res.headlines[st.ID][lang] = st.Headline
		}
		d.Overview = s.llmOverview(dctx, run, d.Stories, lang)
		if failed && extractiveN > rejectedN {
			d.Notes = append(d.Notes, s.note(noteLLMPartial, lang, extractiveN-rejectedN))
		}
		if rejectedN > 0 {
			d.Notes = append(d.Notes, s.note(noteRejected, lang, rejectedN))
		}
		res.digests = append(res.digests, d)
		s.m.editions.WithLabelValues(ed.Name, d.Generator).Inc()
	}
	res.usage = run.usage
	for i := range res.digests {
		res.digests[i].Usage = run.usage
	}
	return res, true
}

// storyInputs picks a story's sources for the prompt: independent reports
// before copies of them (a wire text carried by five outlets is read once),
// at least one per edition language when there is one, at most
// max_sources_per_story.
func (s *Stage) storyInputs(ed *EditionConfig, st *story) []*item {
	limit := s.cfg.Digest.MaxSourcesPerStory
	var reps []*item
	for _, it := range st.fresh {
		dup := false
		for _, r := range reps {
			if cluster.Copies(it.doc, r.doc) {
				dup = true
				break
			}
		}
		if !dup {
			reps = append(reps, it)
		}
	}
	var out []*item
	has := map[string]bool{}
	for _, lang := range ed.Languages {
		for _, it := range reps {
			if it.lang() == lang {
				out = append(out, it)
				has[it.a.ID] = true
				break
			}
		}
	}
	for _, it := range reps {
		if len(out) >= limit {
			break
		}
		if !has[it.a.ID] {
			out = append(out, it)
			has[it.a.ID] = true
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// llmStory tells one story in every edition language with one LLM call
// over its sources' briefs, checks the answer, retries once, and falls back
// per language to extractive text.
func (s *Stage) llmStory(ctx context.Context, run *llmRun, ed *EditionConfig, st *story) storyResult {
	if down, _ := run.failed(); down {
		return s.fallbackStory(ed, st, false)
	}
	its := s.storyInputs(ed, st)
	var docs []storyDoc
	var srcText []string
	var srcItems []*item
	for _, it := range its {
		b, cached, err := s.brief(ctx, it.a, it.lang())
		if !cached {
			run.add(b.Usage)
		}
		if err != nil {
			if isLLMFailure(err) {
				run.fail(ctx, err)
				return s.fallbackStory(ed, st, false)
			}
			s.log.Warn("source left out of story", "story", st.id, "article", it.a.ID, "err", err)
			continue
		}
		docs = append(docs, storyDoc{outlet: outletName(it.a), title: normalizeSpace(it.a.Title), lang: it.lang(), published: it.when, text: b.Text})
		srcText = append(srcText, normalizeSpace(it.a.Title)+"\n"+b.Headline+"\n"+b.Text+"\n"+s.briefInput(it.a))
		srcItems = append(srcItems, it)
	}
	if len(docs) == 0 {
		return s.fallbackStory(ed, st, false)
	}
	previous := ""
	if st.update {
		previous = st.previous["en"]
		if previous == "" {
			for _, h := range st.previous {
				previous = h
				break
			}
		}
	}
	msgs := s.storyPrompt(docs, ed.Languages, previous, &s.cfg.Glossary)
	var problems []string
	var texts map[string]briefAnswer
	for attempt := 0; attempt < 2; attempt++ {
		req := llm.Request{Messages: msgs, MaxTokens: s.cfg.Digest.MaxTokens, JSON: true, Purpose: purposeStory}
		if attempt > 0 {
			req.Messages = withRetry(msgs, problems)
		}
		resp, err := s.complete(ctx, req)
		run.add(resp.Usage)
		if err != nil {
			if retryableAnswer(err) {
				problems = []string{err.Error()}
				continue
			}
			if !isLLMFailure(err) {
				// e.g. ErrPromptTooLong: this story's problem, not the LLM's.
				s.log.Warn("story call failed; using extractive text", "story", st.id, "err", err)
				return s.fallbackStory(ed, st, true)
			}
			run.fail(ctx, err)
			return s.fallbackStory(ed, st, false)
		}
		texts = nil
		if err := decodeJSON(resp.Content, &texts); err != nil {
			problems = []string{"the answer was not the JSON object asked for (" + err.Error() + ")"}
			s.m.calls.WithLabelValues(purposeStory, "rejected").Inc()
			s.log.Info("story answer rejected", "story", st.id, "attempt", attempt+1, "problems", problems)
			continue
		}
		perLang := s.checkStory(ed, texts, srcText)
		problems = problems[:0]
		for _, lang := range ed.Languages {
			for _, p := range perLang[lang] {
				problems = append(problems, s.langName(lang)+" version: "+p)
			}
		}
		if len(problems) == 0 {
			out := storyResult{texts: map[string]news.Story{}, llm: true}
			for _, lang := range ed.Languages {
				t := texts[lang]
				out.texts[lang] = news.Story{ID: st.id, Headline: normalizeSpace(t.Headline),
					Summary: normalizeCitations(normalizeSpace(t.Summary)), Sources: sources(srcItems), Update: st.update}
			}
			return out
		}
		s.m.calls.WithLabelValues(purposeStory, "rejected").Inc()
		s.log.Info("story answer rejected", "story", st.id, "attempt", attempt+1, "problems", problems)
	}
	s.m.fallbacks.WithLabelValues("story_rejected").Inc()
	s.log.Warn("story text from the LLM failed the checks twice; using extractive text", "story", st.id, "problems", problems)
	return s.fallbackStory(ed, st, true)
}

// checkStory checks every language version; consistency problems between
// versions count against all of them.
func (s *Stage) checkStory(ed *EditionConfig, texts map[string]briefAnswer, srcText []string) map[string][]string {
	out := map[string][]string{}
	english := ""
	if t, ok := texts["en"]; ok {
		english = t.Summary
	}
	for _, lang := range ed.Languages {
		t, ok := texts[lang]
		if !ok || strings.TrimSpace(t.Summary) == "" || strings.TrimSpace(t.Headline) == "" {
			out[lang] = append(out[lang], fmt.Sprintf("missing %q headline or summary", lang))
			continue
		}
		out[lang] = append(out[lang], s.checkCited(t.Summary, srcText, lang)...)
		if ok, detail := checkHeadline(t.Headline, lang); !ok {
			out[lang] = append(out[lang], detail)
		}
		// The headline's facts need the sources too, and both parts the language.
		out[lang] = append(out[lang], s.checkText(t.Headline+". "+stripCitations(t.Summary), srcText, lang)...)
		out[lang] = append(out[lang], s.cfg.Glossary.check(t.Summary, lang, english)...)
	}
	first := ed.Languages[0]
	for _, lang := range ed.Languages[1:] {
		a, b := texts[first], texts[lang]
		if a.Summary == "" || b.Summary == "" {
			continue
		}
		if ps := s.checkConsistent(a.Headline+". "+a.Summary, first, b.Headline+". "+b.Summary, lang); len(ps) > 0 {
			out[first] = append(out[first], ps...)
			out[lang] = append(out[lang], ps...)
		}
	}
	return out
}

// checkHeadline rejects headlines that are not one short line of text.
func checkHeadline(h, lang string) (bool, string) {
	h = strings.TrimSpace(h)
	switch {
	case len([]rune(h)) > 160:
		return false, "the headline is longer than 160 characters"
	case strings.ContainsAny(h, "<>\n"):
		return false, "the headline contains markup or line breaks"
	case len(citations(h)) > 0:
		return false, "the headline carries citations"
	}
	return true, ""
}

// fallbackStory tells st extractively in every language, or leaves it out
// of all of them when one language has no source to draw on, so the
// language editions keep the same stories.
func (s *Stage) fallbackStory(ed *EditionConfig, st *story, rejected bool) storyResult {
	for _, lang := range ed.Languages {
		if len(st.inLang(lang)) == 0 {
			s.log.Info("story left out: no LLM text and no source in one language", "story", st.id, "lang", lang)
			return storyResult{}
		}
	}
	out := storyResult{texts: map[string]news.Story{}, rejected: rejected}
	for _, lang := range ed.Languages {
		out.texts[lang] = s.extractiveStory(st, lang)
	}
	return out
}

// llmOverview writes a digest's overview from its stories; the extractive
// overview stands in when the LLM is down or its answer fails twice.
func (s *Stage) llmOverview(ctx context.Context, run *llmRun, stories []news.Story, lang string) string {
	fallback := s.extractiveOverview(stories, lang)
	if down, _ := run.failed(); down || len(stories) == 0 {
		return fallback
	}
	var src []string
	for _, st := range stories {
		src = append(src, st.Headline+"\n"+stripCitations(st.Summary))
	}
	msgs := s.overviewPrompt(stories, lang)
	var problems []string
	for attempt := 0; attempt < 2; attempt++ {
		req := llm.Request{Messages: msgs, MaxTokens: s.cfg.Digest.OverviewMaxTokens, JSON: true, Purpose: purposeOverview}
		if attempt > 0 {
			req.Messages = withRetry(msgs, problems)
		}
		resp, err := s.complete(ctx, req)
		run.add(resp.Usage)
		if err != nil {
			if retryableAnswer(err) {
				problems = []string{err.Error()}
				continue
			}
			run.fail(ctx, err)
			return fallback
		}
		var ans struct {
			Overview string `json:"overview"`
		}
		if err := decodeJSON(resp.Content, &ans); err != nil {
			problems = []string{"the answer was not the JSON object asked for (" + err.Error() + ")"}
			continue
		}
		ov := normalizeSpace(ans.Overview)
		problems = s.checkText(ov, src, lang)
		if ov == "" {
			problems = append(problems, "the overview is empty")
		}
		if len(citations(ov)) > 0 {
			problems = append(problems, "the overview must not carry citations")
		}
		if len(problems) == 0 {
			return ov
		}
		s.m.calls.WithLabelValues(purposeOverview, "rejected").Inc()
		s.log.Info("overview rejected", "lang", lang, "attempt", attempt+1, "problems", problems)
	}
	s.m.fallbacks.WithLabelValues("overview_rejected").Inc()
	return fallback
}

// isLLMFailure reports an error of the LLM service itself (unreachable,
// overloaded, too slow, refusing), as opposed to a bad answer.
func isLLMFailure(err error) bool {
	var ae *llm.APIError
	return errors.As(err, &ae) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, llm.ErrTimeout) || errors.Is(err, llm.ErrUnavailable) || errors.Is(err, llm.ErrPromptTruncated)
}

// normalizeCitations writes every citation group as [1][2], the form
// publish renders.
func normalizeCitations(text string) string {
	return citeRe.ReplaceAllStringFunc(text, func(m string) string {
		var b strings.Builder
		for _, n := range citations(m) {
			b.WriteString("[" + strconv.Itoa(n) + "]")
		}
		return b.String()
	})
}

// levelIf is Warn when a degraded result is worth a warning, else Debug.
func levelIf(warn bool) slog.Level {
	if warn {
		return slog.LevelWarn
	}
	return slog.LevelDebug
}
