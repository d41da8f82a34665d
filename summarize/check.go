package summarize

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/newsdesk/newsdesk/summarize/verify"
)

// The LLM's text is checked at the level of the sentence and the claim:
// a sentence with a fact its cited sources do not hold, without a valid
// citation, or in the wrong language is removed (a citation of a missing
// source is dropped, a mechanical repair), and a story is kept when what
// remains still tells it: its headline passes and every language version
// keeps at least verify.MinKept sentences (or lost none). The versions
// stay consistent: a fact removed from one is removed from the others.

// citeRe matches one citation group: [1], [2, 3], [1][2] is two groups.
var citeRe = regexp.MustCompile(`\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]`)

// citations returns the numbers cited in text, in order of appearance.
func citations(text string) []int {
	var out []int
	for _, m := range citeRe.FindAllStringSubmatch(text, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// stripCitations removes citation groups and the space before them.
func stripCitations(text string) string {
	return normalizeSpace(strings.ReplaceAll(citeRe.ReplaceAllString(text, ""), " .", "."))
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

// The reasons an answer is not used, as the end-of-edition warning counts
// them (besides the verify.Problem… kinds of removed sentences).
const (
	reasonJSON     = "malformed JSON"
	reasonMissing  = "a language version missing"
	reasonHeadline = "headline rejected"
	reasonEmpty    = "nothing left after the checks"
)

// version is one language version of a story answer, as checked.
type version struct {
	lang, headline string
	kept           []verify.Sentence
	total          int            // sentences in the answer
	issues         []verify.Issue // every problem found, removals and repairs
	headlineIssues []string
}

func (v *version) removed() int { return v.total - len(v.kept) }

// verdict is the gate's decision on a story answer.
type verdict struct {
	versions map[string]*version
	ok       bool
	problems []string // what to tell the model on a retry
	reason   string   // why it was rejected, for the warning's counts
}

// gateStory checks every language version of a story answer against the
// story's numbered sources (sources[0] is [1]).
func (s *Stage) gateStory(langs []string, texts map[string]briefAnswer, sources []string) verdict {
	v := verdict{versions: map[string]*version{}, ok: true}
	for _, code := range langs {
		t, ok := texts[code]
		if !ok || strings.TrimSpace(t.Summary) == "" || strings.TrimSpace(t.Headline) == "" {
			v.fail(reasonMissing, fmt.Sprintf("%s version: missing headline or summary", s.langName(code)))
			continue
		}
		ver := &version{lang: code, headline: normalizeSpace(t.Headline)}
		ver.headlineIssues = s.checkHeadline(ver.headline, stripCitations(t.Summary), sources, code)
		v.versions[code] = ver
	}
	if !v.ok {
		return v
	}
	bodies := map[string]string{}
	for _, code := range langs {
		bodies[code] = texts[code].Summary
	}
	s.gateBodies(langs, bodies, sources, v.versions)
	for _, code := range langs {
		ver := v.versions[code]
		name := s.langName(code) + " version"
		for _, is := range ver.issues {
			v.problems = append(v.problems, fmt.Sprintf("%s: %s: %q (%s)", name, is.Problem, cutWords(is.Sentence, 120), is.Evidence))
		}
		for _, p := range ver.headlineIssues {
			v.problems = append(v.problems, name+": headline: "+p)
		}
		switch {
		case len(ver.kept) == 0 || ver.removed() > 0 && len(ver.kept) < verify.MinKept:
			v.fail(mainProblem(ver.issues), fmt.Sprintf("%s: %d of %d sentences left, too few to tell the story", name, len(ver.kept), ver.total))
		case len(ver.headlineIssues) > 0:
			v.fail(headlineReason(ver.headlineIssues), "")
		}
	}
	return v
}

// headlineReason counts a rejected headline under the kind of its first
// problem, as the report counts sentences.
func headlineReason(problems []string) string {
	switch p := problems[0]; {
	case strings.HasPrefix(p, "facts not in the sources"):
		return verify.ProblemUnsupported
	case strings.HasPrefix(p, "not entirely in"):
		return verify.ProblemLanguage
	case strings.HasPrefix(p, "the ") && strings.Contains(p, " version does not"):
		return problemInconsistent
	}
	return reasonHeadline
}

// gateBodies checks the summaries of a story's language versions (lang →
// text with [n] citations) sentence by sentence, then against the
// glossary and each other, filling versions (lang → version, created
// when missing). The headlines are gateStory's.
func (s *Stage) gateBodies(langs []string, bodies map[string]string, sources []string, versions map[string]*version) {
	for _, code := range langs {
		ver := versions[code]
		if ver == nil {
			ver = &version{lang: code}
			versions[code] = ver
		}
		res := verify.Check(s.langs, normalizeSpace(bodies[code]), sources, code)
		ver.total, ver.kept, ver.issues = len(res.Sentences), res.Kept, res.Issues
	}
	s.glossaryGate(versions)
	s.consistencyGate(langs, versions)
}

func (v *verdict) fail(reason, problem string) {
	if v.ok {
		v.reason = reason
	}
	v.ok = false
	if problem != "" {
		v.problems = append(v.problems, problem)
	}
}

// text is a version's summary as published: its kept sentences, a
// citation after each run of sentences from the same sources.
func (ver *version) text() string { return normalizeCitations(verify.JoinCited(ver.kept)) }

// mainProblem is the most frequent removal problem of issues.
func mainProblem(issues []verify.Issue) string {
	n := map[string]int{}
	best := reasonEmpty
	for _, is := range issues {
		if !is.Removed {
			continue
		}
		n[is.Problem]++
		if n[is.Problem] > n[best] {
			best = is.Problem
		}
	}
	return best
}

// checkHeadline checks a headline: one short line without markup or
// citations, in the language, with no fact absent from the sources. A
// headline cannot be removed, so its problems reject the answer. Its
// language is judged together with body, the text it heads: a headline
// alone is mostly names and too short to tell ("Alibaba to invest $67
// billion in data centres in Johor" reads as German to a detector).
func (s *Stage) checkHeadline(h, body string, sources []string, lang string) []string {
	var problems []string
	switch {
	case len([]rune(h)) > 160:
		problems = append(problems, "longer than 160 characters")
	case strings.ContainsAny(h, "<>\n"):
		problems = append(problems, "contains markup or line breaks")
	case len(citations(h)) > 0:
		problems = append(problems, "carries citations")
	}
	if ok, detail := verify.Language(s.langs, strings.TrimRight(h, ".!?")+". "+body, lang); !ok {
		problems = append(problems, fmt.Sprintf("not entirely in %s (%s)", s.langName(lang), detail))
	}
	if f := verify.Unsupported(s.langs, h, sources, lang); len(f) > 0 {
		problems = append(problems, "facts not in the sources: "+findings(f))
	}
	return problems
}

func findings(fs []verify.Finding) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %q", f.Kind, f.Value)
	}
	return strings.Join(parts, ", ")
}

// problemGlossary: a sentence uses the English word for a glossary
// concept instead of its own language's.
const problemGlossary = "English term instead of the glossary's"

// glossaryGate removes, from each version not in the glossary's pivot
// language, the sentences that name a glossary concept with the English
// word instead of their own language's ("export controls" in German
// text). A version that leaves a concept out is not wrong.
func (s *Stage) glossaryGate(versions map[string]*version) {
	for code, ver := range versions {
		if code == pivot {
			continue
		}
		var keep []verify.Sentence
		for _, sent := range ver.kept {
			if p := s.cfg.Glossary.misuse(sent.Text, code); p != "" {
				ver.issues = append(ver.issues, verify.Issue{Sentence: sent.Text, Problem: problemGlossary, Evidence: p, Removed: true})
				continue
			}
			keep = append(keep, sent)
		}
		ver.kept = keep
	}
}

// misuse reports a sentence in lang that writes a term's English word and
// none of lang's words for it.
func (g *Glossary) misuse(sentence, lang string) string {
	low := strings.ToLower(sentence)
	for _, t := range g.Terms {
		en := strings.ToLower(t.word(pivot))
		if t.word(lang) == "" || !containsWord(low, en) {
			continue
		}
		found := false
		for _, f := range t.forms(lang) {
			if strings.Contains(low, f) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Sprintf("write %q, not %q", t.word(lang), t.word(pivot))
		}
	}
	return ""
}

// containsWord reports whether phrase occurs in s at word boundaries
// (both lower-cased, or phrase as it must be written).
func containsWord(s, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], phrase)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isLetter(s[j-1])
		end := j + len(phrase)
		after := end >= len(s) || !isLetter(s[end]) || s[end] == 's' && (end+1 >= len(s) || !isLetter(s[end+1]))
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isLetter(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

// keepIn reports whether a kept name occurs in text (low is text
// lower-cased). A name in capitals is an acronym and matches only in
// capitals: "BIS" is the Bureau of Industry and Security, "bis" German
// for "until".
func keepIn(text, low, k string) bool {
	if acronym(k) {
		return containsWord(text, k)
	}
	return containsWord(low, strings.ToLower(k))
}

// acronym: two capitals or more and no small letter ("BIS", "SMIC").
func acronym(s string) bool {
	upper := 0
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsUpper(r):
			upper++
		}
	}
	return upper >= 2
}

// factKinds are the findings that must agree between language versions.
var factKinds = map[string]bool{"number": true, "money": true, "percent": true, "date": true}

// problemInconsistent: a sentence states a fact the other language
// versions do not.
const problemInconsistent = "fact missing from another language version"

// consistencyGate removes from each version the sentences stating a
// number, amount, percentage, date or kept name that another version does
// not state, until the versions agree: a fact removed from one version
// (or never written there) is removed from the others. A headline fact
// the other versions lack rejects the answer.
func (s *Stage) consistencyGate(langs []string, versions map[string]*version) {
	textOf := func(ver *version) string {
		parts := make([]string, 0, len(ver.kept)+1)
		parts = append(parts, ver.headline+".")
		for _, k := range ver.kept {
			parts = append(parts, k.Text)
		}
		return strings.Join(parts, " ")
	}
	for range 4 { // removing a sentence can make another one unsupported
		changed := false
		for _, a := range langs {
			va := versions[a]
			var keep []verify.Sentence
			for _, sent := range va.kept {
				if why := s.missingElsewhere(sent.Text, a, langs, versions, textOf); why != "" {
					va.issues = append(va.issues, verify.Issue{Sentence: sent.Text, Problem: problemInconsistent, Evidence: why, Removed: true})
					changed = true
					continue
				}
				keep = append(keep, sent)
			}
			va.kept = keep
		}
		if !changed {
			break
		}
	}
	for _, a := range langs {
		if why := s.missingElsewhere(versions[a].headline, a, langs, versions, textOf); why != "" {
			versions[a].headlineIssues = append(versions[a].headlineIssues, why)
		}
	}
}

// missingElsewhere says which fact of text (in lang a) some other version
// lacks, or "".
func (s *Stage) missingElsewhere(text, a string, langs []string, versions map[string]*version, textOf func(*version) string) string {
	low := strings.ToLower(text)
	for _, b := range langs {
		if b == a {
			continue
		}
		other := textOf(versions[b])
		var only []string
		for _, f := range verify.Unsupported(s.langs, text, []string{other}, a) {
			if factKinds[f.Kind] {
				only = append(only, f.Value)
			}
		}
		if len(only) > 0 {
			return fmt.Sprintf("the %s version does not state %s", s.langName(b), strings.Join(only, ", "))
		}
		lowOther := strings.ToLower(other)
		for _, k := range s.cfg.Glossary.Keep {
			if keepIn(text, low, k) && !keepIn(other, lowOther, k) {
				return fmt.Sprintf("the %s version does not name %s", s.langName(b), k)
			}
		}
	}
	return ""
}

// gateText checks a text without citations (a brief, an overview)
// sentence by sentence against sources, all of which every sentence may
// draw on: the sentences kept, joined, the issues, and how many sentences
// there were and were kept. Citations in it are dropped first (a repair).
func (s *Stage) gateText(text string, sources []string, lang string) (kept string, issues []verify.Issue, total, nKept int) {
	joined := strings.Join(sources, "\n\n")
	res := verify.Check(s.langs, stripCitations(text), []string{joined}, lang)
	texts := make([]string, len(res.Kept))
	for i, k := range res.Kept {
		texts[i] = k.Text
	}
	return strings.Join(texts, " "), res.Issues, len(res.Sentences), len(res.Kept)
}

// issueList renders issues for a retry prompt or a log.
func issueList(issues []verify.Issue) []string {
	out := make([]string, 0, len(issues))
	for _, is := range issues {
		out = append(out, fmt.Sprintf("%s: %q (%s)", is.Problem, cutWords(is.Sentence, 120), is.Evidence))
	}
	return slices.Clip(out)
}

// Verify checks a summary in lang against numbered sources (sources[0]
// is [1]) the way the stage checks one language version of an LLM's story
// text: sentence by sentence (verify.Check) and for the glossary's words.
// It returns every issue, in the order of the sentences, how many
// sentences there were and were kept, and whether the stage would reject
// the text (too little left to tell the story). It does not check a
// headline or another language version.
func (s *Stage) Verify(lang, summary string, sources []string) (issues []verify.Issue, total, kept int, rejected bool) {
	res := verify.Check(s.langs, normalizeSpace(summary), sources, lang)
	ver := &version{lang: lang, total: len(res.Sentences), kept: res.Kept, issues: res.Issues}
	s.glossaryGate(map[string]*version{lang: ver})
	order := map[string]int{}
	for i, sent := range res.Sentences {
		if _, ok := order[sent.Text]; !ok {
			order[sent.Text] = i
		}
	}
	issues = slices.Clone(ver.issues)
	slices.SortStableFunc(issues, func(a, b verify.Issue) int { return order[a.Sentence] - order[b.Sentence] })
	rejected = len(ver.kept) == 0 || ver.removed() > 0 && len(ver.kept) < verify.MinKept
	return issues, ver.total, len(ver.kept), rejected
}
