package summarize

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/extractive"
	"github.com/newsdesk/newsdesk/summarize/verify"
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
		CreatedAt: s.clock.Now().UTC(), Generator: generatorExtractive, Stories: []news.Story{},
	}
}

// summarizer returns the extractive summarizer of lang.
func (s *Stage) summarizer(code string) *extractive.Summarizer {
	if x, ok := s.summarizers[code]; ok {
		return x
	}
	return extractive.New(s.langs.Get(code))
}

// composeExtractive is the no-LLM edition: every language carries the
// same stories, each told by the extractive summarizer from its sources in
// that language, or, with none, in its source's language (see
// extractiveStory); the overview opens with the top story's first
// sentence.
func (s *Stage) composeExtractive(ed *EditionConfig, ids digestIDs, all []*story) composed {
	res := composed{headlines: map[string]map[string]string{}}
	chosen := s.pick(all, ed.MaxStories, nil)
	for _, lang := range ed.Languages {
		d := s.newDigest(ids, lang)
		for _, st := range chosen {
			told := s.extractiveStory(st, lang)
			d.Stories = append(d.Stories, told)
			res.remember(st.id, lang, told.Headline)
		}
		var opened int
		d.Overview, opened = s.openingOverview(d.Stories, lang)
		if opened >= 0 {
			d.Stories[opened].Summary = s.withoutLede(d.Stories[opened], lang)
		}
		res.digests = append(res.digests, d)
		s.m.editions.WithLabelValues(ed.Name, d.Generator).Inc()
	}
	if len(ed.Languages) > 0 {
		res.told = chosen
	}
	return res
}

// remember records the headline a story was told under in lang.
func (c *composed) remember(id, lang, headline string) {
	if c.headlines[id] == nil {
		c.headlines[id] = map[string]string{}
	}
	c.headlines[id][lang] = headline
}

// extractiveStory tells st in lang from its fresh articles in lang. A
// story without one is told in the language of its most relevant article:
// with that article's sentences when summarize.digest.other_language_text
// allows, else by its headline and link alone.
func (s *Stage) extractiveStory(st *story, lang string) news.Story {
	its := st.inLang(lang)
	if len(its) > 0 {
		return s.toldFrom(st, its, lang)
	}
	src := st.fresh[0].lang()
	told := s.toldFrom(st, st.inLang(src), src)
	if !s.cfg.Digest.OtherLanguageText {
		// The headline and link of the source the text in src opens with,
		// as the edition in src tells it.
		told.Summary, told.Sources = "", told.Sources[:1]
	}
	return told
}

// toldFrom summarizes its (articles of st in lang) extractively. Sentences
// of one article come together and cite it once; the headline is the
// title of the article the summary opens with.
func (s *Stage) toldFrom(st *story, its []*item, lang string) news.Story {
	if len(its) > s.cfg.Digest.MaxSourcesPerStory {
		its = its[:s.cfg.Digest.MaxSourcesPerStory]
	}
	docs := make([]string, len(its))
	for i, it := range its {
		docs[i] = s.briefInput(it.a)
	}
	num := map[int]int{} // index in its → citation number
	var cited []*item
	var sents []verify.Sentence
	for _, p := range s.summarizer(lang).Choose(docs, s.cfg.Digest.StorySentences) {
		text := normalizeSpace(p.Text)
		if text == "" {
			continue
		}
		n, ok := num[p.Doc]
		if !ok {
			cited = append(cited, its[p.Doc])
			n = len(cited)
			num[p.Doc] = n
		}
		sents = append(sents, verify.Sentence{Text: text, Cites: []int{n}})
	}
	// Sources: the cited articles in citation order, then the rest.
	srcItems := slices.Clone(cited)
	for i, it := range its {
		if _, ok := num[i]; !ok {
			srcItems = append(srcItems, it)
		}
	}
	return news.Story{
		ID: st.id, Headline: normalizeSpace(srcItems[0].a.Title), Summary: normalizeCitations(verify.JoinCited(sents)),
		Language: lang, Sources: sources(srcItems), Update: st.update,
	}
}

// extractiveOverview is an edition's opening without an LLM: the first
// sentence of the top story told in the digest's language, then the next
// stories by their headlines, and how many stories come from sources in
// another language.
func (s *Stage) extractiveOverview(stories []news.Story, lang string) string {
	ov, _ := s.openingOverview(stories, lang)
	return ov
}

// withoutLede is st's summary without its first sentence, which the
// overview opens with, and without the sentences right after it that lean
// on it ("The company …"), when something that stands alone is left; else
// the summary as it is. A story then neither repeats the overview nor
// opens with a sentence whose antecedent the reader met elsewhere.
func (s *Stage) withoutLede(st news.Story, lang string) string {
	sents := verify.SplitCited(s.langs, st.Summary, lang)
	i := 1
	for i < len(sents) && s.langs.Get(lang).NeedsContext(sents[i].Text) {
		i++
	}
	if i >= len(sents) {
		return st.Summary
	}
	return normalizeCitations(verify.JoinCited(sents[i:]))
}

// openingOverview is extractiveOverview and the index of the story whose
// first sentence opens it (-1: none).
func (s *Stage) openingOverview(stories []news.Story, lang string) (string, int) {
	l := s.langs.Get(lang)
	if len(stories) == 0 {
		return l.T("overview.empty"), -1
	}
	opener := -1
	var parts, topics []string
	opened := false
	lower := lowerWords(stories)
	other := map[string]int{}
	var otherCodes []string
	for i, st := range stories {
		if code := st.TextLanguage(lang); code != lang {
			if other[code] == 0 {
				otherCodes = append(otherCodes, code)
			}
			other[code]++
			continue
		}
		if !opened {
			if ss := verify.SplitCited(s.langs, st.Summary, lang); len(ss) > 0 {
				parts = append(parts, ss[0].Text)
				opened = true
				opener = i
				continue
			}
		}
		if len(topics) < 3 {
			topics = append(topics, shortHeadline(st.Headline, l, lower))
		}
	}
	if len(topics) > 0 {
		key := "overview.more"
		if !opened {
			key = "overview.top"
		}
		parts = append(parts, l.T(key, "topics", listOf(topics, l.T("list.and"))))
	}
	native := func(code string) string {
		if ol := s.langs.Get(code); ol != nil {
			return ol.Native
		}
		return code
	}
	if len(parts) == 0 && len(otherCodes) > 0 {
		// No story has a source in the reader's language: say that every
		// story comes from elsewhere, not that some more do.
		total := 0
		var names []string
		for _, code := range otherCodes {
			total += other[code]
			names = append(names, native(code))
		}
		code := otherCodes[0]
		if len(otherCodes) > 1 {
			code = ""
		}
		return upperFirst(l.Catalog().TFor("overview.all_other_language", code, "n", total, "count", l.Catalog().Count(total), "language", strings.Join(names, ", "))), opener
	}
	for _, code := range otherCodes {
		parts = append(parts, upperFirst(l.Catalog().TFor("overview.other_language", code, "n", other[code], "count", l.Catalog().Count(other[code]), "language", native(code))))
	}
	return strings.Join(parts, " "), opener
}

// shortHeadline is a headline as an item of the overview's list: the
// longer part around a colon ("DeepSeek legt nach: Neues Modell aus China
// setzt US-Konzerne unter Druck" gives "Neues Modell …"), its main clause,
// without end punctuation, colons or semicolons, and its first word in
// lower case when it is a function word or a word the edition's text
// writes in lower case (lower) and not an acronym: mid-sentence, German
// "Chinesische KI in deutschen Firmen" is "chinesische KI …" while
// "Alibaba", "KI", the noun "Modell" and the noun "Aus" of "Aus für
// Nvidias H20" (lang.HeadlineNoun) keep their capitals.
func shortHeadline(h string, l *lang.Language, lower map[string]bool) string {
	h = strings.TrimRight(normalizeSpace(h), ".!?:;, ")
	// "Kicker: the rest": the longer part says more.
	if i := strings.LastIndex(h, ": "); i >= 0 && len(strings.Fields(h[i+2:])) >= len(strings.Fields(h[:i])) {
		h = h[i+2:]
	} else if i >= 0 {
		h = h[:i]
	}
	// "Alibaba releases Qwen4, taking aim at …": the main clause, so the
	// list's commas stay the list's.
	if i := strings.Index(h, ", "); i >= 0 && len(strings.Fields(h[:i])) >= 4 {
		h = h[:i]
	}
	h = strings.NewReplacer(": ", ", ", "; ", ", ", ":", "", ";", ",").Replace(h)
	if f := strings.Fields(h); len(f) > 1 {
		if low := strings.ToLower(f[0]); low != f[0] && (l.IsStopword(f[0]) || lower[low] && !acronym(f[0])) && !l.HeadlineNoun(f[0], f[1]) {
			h = low + h[len(f[0]):]
		}
	}
	return h
}

// lowerWords is the set of words the stories' summaries write in lower
// case: the evidence that a headline's capitalised first word is capital
// only because it opens the headline.
func lowerWords(stories []news.Story) map[string]bool {
	out := map[string]bool{}
	for _, st := range stories {
		for _, w := range strings.Fields(st.Summary) {
			w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
			if r, _ := utf8.DecodeRuneInString(w); unicode.IsLower(r) {
				out[w] = true
			}
		}
	}
	return out
}

// listOf joins items as a list in prose: "a, b and c".
func listOf(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// upperFirst is s with its first letter in upper case: a sentence that
// opens with a parameter ("{count} weitere Meldungen …").
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
