package summarize

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/extractive"
)

// Compose builds one edition's digests, one per configured language, from
// articles, without NATS and without story memory (tests, the CLI). date is
// the edition date ("2026-11-29"). Briefs still come from the cache when the
// stage has a bus.
func (s *Stage) Compose(ctx context.Context, name, date string, articles []news.Article) ([]news.Digest, error) {
	ed, ok := s.editions[name]
	if !ok {
		return nil, fmt.Errorf("summarize: no edition %q", name)
	}
	res, err := s.compose(ctx, ed, date, "", time.Time{}, articles, nil)
	return res.digests, err
}

// composed is an edition's result and what memory needs of it.
type composed struct {
	digests   []news.Digest
	told      []*story
	headlines map[string]map[string]string // story id → lang → headline
	usage     news.Usage
}

// compose is Compose with the slot label (EditionConfig.slotLabel: "18:30"
// for an edition with several slots a day, else ""), an edition time (for
// recency; zero: the newest article) and the edition's memory (nil: none).
func (s *Stage) compose(ctx context.Context, ed *EditionConfig, date, slot string, at time.Time, articles []news.Article, mem *memory) (composed, error) {
	ids := digestIDs{ed: ed, date: date, slot: slot, pv: s.cfg.PromptVersion}
	items := s.prepare(ed, articles)
	ref := at
	if ref.IsZero() {
		for _, it := range items {
			if it.when.After(ref) {
				ref = it.when
			}
		}
	}
	all := s.stories(items, s.cluster(ctx, items), ref)
	all = mem.recall(all)
	s.log.Info("stories", "edition", ed.Name, "date", date, "slot", slot, "articles", len(items), "stories", len(all))
	if s.llm != nil {
		res, ok := s.composeLLM(ctx, ed, ids, all)
		if ok {
			return res, nil
		}
		// Nothing came from the LLM: the edition goes out extractively,
		// with the reason in each language's notes.
		ex := s.composeExtractive(ed, ids, all)
		ex.usage = res.usage
		for i := range ex.digests {
			ex.digests[i].Notes = append(ex.digests[i].Notes, res.digests[i].Notes...)
			ex.digests[i].Usage = res.usage
		}
		return ex, nil
	}
	return s.composeExtractive(ed, ids, all), nil
}

// prepare drops unusable, duplicate, off-topic and other-language articles
// and extracts features.
func (s *Stage) prepare(ed *EditionConfig, articles []news.Article) []*item {
	seen := map[string]bool{}
	var items []*item
	ex := s.clusterer.Extractor()
	for _, a := range articles {
		if err := a.Validate(); err != nil {
			s.log.Warn("article skipped", "err", err)
			continue
		}
		if seen[a.ID] || !slices.Contains(ed.Languages, a.Language) || a.Relevance < ed.MinRelevance {
			continue
		}
		if strings.TrimSpace(a.Text) == "" && strings.TrimSpace(a.Description) == "" {
			continue
		}
		seen[a.ID] = true
		items = append(items, s.newItem(ex, a))
	}
	slices.SortStableFunc(items, func(a, b *item) int { return strings.Compare(a.a.ID, b.a.ID) })
	return items
}

// digestIDs names an edition's digests: date, and the slot ("18:30") of
// an edition scheduled more than once a day ("" otherwise).
type digestIDs struct {
	ed         *EditionConfig
	date, slot string
	pv         string
}

func (d digestIDs) id(lang string) string {
	return news.DigestSlotID(d.ed.Name, d.date, d.slot, lang, d.pv)
}

// newDigest fills the fields every digest has.
func (s *Stage) newDigest(ids digestIDs, lang string) news.Digest {
	ed := ids.ed
	return news.Digest{
		Schema: news.DigestSchema, ID: ids.id(lang),
		Edition: ed.Name, Date: ids.date, Slot: ids.slot, Language: lang, Title: ed.Title[lang],
		CreatedAt: s.now().UTC(), Generator: generatorExtractive, Stories: []news.Story{},
	}
}

// composeExtractive is the no-LLM edition: each language's digest from
// sources in that language only, story text by the extractive summarizer,
// headline from the lead article, overview from the top headlines.
func (s *Stage) composeExtractive(ed *EditionConfig, ids digestIDs, all []*story) composed {
	res := composed{headlines: map[string]map[string]string{}}
	told := map[string]*story{}
	for _, lang := range ed.Languages {
		d := s.newDigest(ids, lang)
		chosen := s.pick(all, ed.MaxStories, func(st *story) bool { return len(st.inLang(lang)) > 0 })
		for _, st := range chosen {
			d.Stories = append(d.Stories, s.extractiveStory(st, lang))
			told[st.id] = st
			if res.headlines[st.id] == nil {
				res.headlines[st.id] = map[string]string{}
			}
			res.headlines[st.id][lang] = d.Stories[len(d.Stories)-1].Headline
		}
		d.Overview = s.extractiveOverview(d.Stories, lang)
		res.digests = append(res.digests, d)
		s.m.editions.WithLabelValues(ed.Name, d.Generator).Inc()
	}
	for _, st := range all {
		if told[st.id] != nil {
			res.told = append(res.told, st)
		}
	}
	return res
}

// extractiveStory tells st in lang from its fresh articles in lang. Each
// sentence is cited with the article it came from.
func (s *Stage) extractiveStory(st *story, lang string) news.Story {
	its := st.inLang(lang)
	if len(its) > s.cfg.Digest.MaxSourcesPerStory {
		its = its[:s.cfg.Digest.MaxSourcesPerStory]
	}
	docs := make([]string, len(its))
	for i, it := range its {
		docs[i] = s.briefInput(it.a)
	}
	sents := extractive.SummarizeMulti(docs, s.langs.Get(lang), s.cfg.Digest.StorySentences)
	used := map[int]int{} // index in its → citation number
	var srcItems []*item
	var b strings.Builder
	for _, sent := range sents {
		sent = normalizeSpace(sent)
		if sent == "" {
			continue
		}
		from := 0
		for i, d := range docs {
			if strings.Contains(normalizeSpace(d), sent) {
				from = i
				break
			}
		}
		n, ok := used[from]
		if !ok {
			srcItems = append(srcItems, its[from])
			n = len(srcItems)
			used[from] = n
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s [%d]", sent, n)
	}
	// Sources: the cited articles first, in citation order, then the rest.
	for i, it := range its {
		if _, ok := used[i]; !ok {
			srcItems = append(srcItems, it)
		}
	}
	return news.Story{
		ID: st.id, Headline: normalizeSpace(its[0].a.Title), Summary: b.String(),
		Sources: sources(srcItems), Update: st.update,
	}
}

// extractiveOverview names the top stories.
func (s *Stage) extractiveOverview(stories []news.Story, lang string) string {
	l := s.langs.Get(lang)
	if len(stories) == 0 {
		return l.T("overview.empty")
	}
	var hs []string
	for i, st := range stories {
		if i == 3 {
			break
		}
		hs = append(hs, strings.TrimRight(st.Headline, ".!?:; "))
	}
	return l.T("overview.top", "headlines", strings.Join(hs, "; "))
}
