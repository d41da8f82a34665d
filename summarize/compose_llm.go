package summarize

import (
	"context"
	"errors"
	"sync"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

const (
	purposeStory    = "story"
	purposeOverview = "overview"
)

// storyResult is one story's text per language.
type storyResult struct {
	texts    map[string]news.Story
	llm      bool // the text came from the LLM
	rejected bool // LLM text failed the checks; extractive text instead
}

// composeLLM composes the edition with the LLM within llm_deadline. It
// reports false when no story text came from the LLM; the digests it
// returns then hold only the notes saying why. It ends by reporting what
// became of the LLM's answers (llmRun.report).
func (s *Stage) composeLLM(ctx context.Context, ed *EditionConfig, ids digestIDs, all []*story) (composed, bool) {
	dctx, cancel := context.WithTimeout(ctx, s.cfg.LLMDeadline)
	defer cancel()
	run := newLLMRun()
	defer s.reportLLM(ed, ids, run)
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
		for _, r := range results {
			st := r.texts[lang]
			d.Stories = append(d.Stories, st)
			if !r.llm {
				extractiveN++
			}
			if r.rejected {
				rejectedN++
			}
			res.remember(st.ID, lang, st.Headline)
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
	res.told = chosen
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
// over its sources' briefs, checks the answer sentence by sentence, retries
// once when too little of it passes, and falls back to extractive text.
func (s *Stage) llmStory(ctx context.Context, run *llmRun, ed *EditionConfig, st *story) storyResult {
	if down, _ := run.failed(); down {
		return s.fallbackStory(ed, st, false)
	}
	its := s.storyInputs(ed, st)
	var docs []storyDoc
	var srcText []string
	var srcItems []*item
	for _, it := range its {
		b, cached, err := s.brief(ctx, run, it.a, it.lang())
		if !cached {
			run.add(b.Usage)
		}
		if err != nil {
			if isLLMFailure(err) {
				run.fail(ctx, err)
				return s.fallbackStory(ed, st, false)
			}
			s.log.Warn("source left out of story", "story_id", st.id, "article_id", it.a.ID, "err", err)
			continue
		}
		docs = append(docs, storyDoc{outlet: outletName(it.a), title: normalizeSpace(it.a.Title), lang: it.lang(), published: it.when, text: b.Text})
		// The outlet is part of what a document states: "according to
		// Reuters [1]" is supported by document 1 from Reuters.
		srcText = append(srcText, outletName(it.a)+"\n"+normalizeSpace(it.a.Title)+"\n"+b.Headline+"\n"+b.Text+"\n"+s.briefInput(it.a))
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
	log := s.log.With("story_id", st.id)
	req := llm.Request{Messages: s.storyPrompt(docs, ed.Languages, previous, &s.cfg.Glossary),
		MaxTokens: s.cfg.Digest.MaxTokens, JSON: true, Purpose: purposeStory}
	var texts map[string]briefAnswer
	var v verdict
	res, err := ask(ctx, s, run, log, req, &texts, func() judgement {
		v = s.gateStory(ed.Languages, texts, srcText)
		if !v.ok {
			return judgement{problems: v.problems, reason: v.reason}
		}
		removed := 0
		for _, lang := range ed.Languages {
			removed += v.versions[lang].removed()
		}
		if removed > 0 {
			log.Info("sentences removed from a story answer", "removed", removed, "problems", v.problems)
		}
		return judgement{ok: true, removed: removed}
	})
	run.add(res.usage)
	switch {
	case err != nil && !isLLMFailure(err):
		// e.g. ErrPromptTooLong: this story's problem, not the LLM's.
		log.Warn("story call failed; using extractive text", "err", err)
		return s.fallbackStory(ed, st, true)
	case err != nil:
		run.fail(ctx, err)
		return s.fallbackStory(ed, st, false)
	case !res.ok:
		s.m.fallbacks.WithLabelValues("story_rejected").Inc()
		log.Warn("story text from the LLM failed the checks twice; using extractive text", "problems", res.problems)
		return s.fallbackStory(ed, st, true)
	}
	out := storyResult{texts: map[string]news.Story{}, llm: true}
	for _, lang := range ed.Languages {
		ver := v.versions[lang]
		out.texts[lang] = news.Story{ID: st.id, Headline: ver.headline, Summary: ver.text(), Language: lang,
			Sources: sources(srcItems), Update: st.update}
	}
	return out
}

// fallbackStory tells st extractively in every language (a language with
// no source gets the story in its source's language, see
// extractiveStory), so the language editions keep the same stories.
func (s *Stage) fallbackStory(ed *EditionConfig, st *story, rejected bool) storyResult {
	out := storyResult{texts: map[string]news.Story{}, rejected: rejected}
	for _, lang := range ed.Languages {
		out.texts[lang] = s.extractiveStory(st, lang)
	}
	return out
}

// llmOverview writes a digest's overview from its stories, checked
// sentence by sentence; the extractive overview stands in when the LLM is
// down or nothing of its answer passes twice.
func (s *Stage) llmOverview(ctx context.Context, run *llmRun, stories []news.Story, lang string) string {
	fallback := s.extractiveOverview(stories, lang)
	if down, _ := run.failed(); down || len(stories) == 0 {
		return fallback
	}
	var src []string
	for _, st := range stories {
		src = append(src, st.Headline+"\n"+stripCitations(st.Summary))
	}
	log := s.log.With("lang", lang)
	req := llm.Request{Messages: s.overviewPrompt(stories, lang),
		MaxTokens: s.cfg.Digest.OverviewMaxTokens, JSON: true, Purpose: purposeOverview}
	var ans struct {
		Overview string `json:"overview"`
	}
	var ov string
	res, err := ask(ctx, s, run, log, req, &ans, func() judgement {
		var issues []verify.Issue
		var total, kept int
		ov, issues, total, kept = s.gateText(normalizeSpace(ans.Overview), src, lang)
		if ov != "" {
			if len(issues) > 0 {
				log.Info("sentences removed from an overview", "problems", issueList(issues))
			}
			return judgement{ok: true, removed: total - kept}
		}
		j := judgement{problems: issueList(issues), reason: mainProblem(issues)}
		if len(j.problems) == 0 {
			j.problems = []string{"the overview is empty"}
		}
		return j
	})
	run.add(res.usage)
	switch {
	case err != nil:
		run.fail(ctx, err)
		return fallback
	case !res.ok:
		s.m.fallbacks.WithLabelValues("overview_rejected").Inc()
		return fallback
	}
	return ov
}

// isLLMFailure reports an error of the LLM service itself (unreachable,
// overloaded, too slow, refusing), as opposed to a bad answer.
func isLLMFailure(err error) bool {
	var ae *llm.APIError
	return errors.As(err, &ae) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, llm.ErrTimeout) || errors.Is(err, llm.ErrUnavailable) || errors.Is(err, llm.ErrPromptTruncated)
}
