package verify

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/extractive"
)

// The problems Check reports for a sentence.
const (
	// ProblemUnsupported: a number, date, amount or name is in none of the
	// documents the sentence cites.
	ProblemUnsupported = "unsupported fact"
	// ProblemLanguage: the sentence is not in the summary's language.
	ProblemLanguage = "wrong language"
	// ProblemUncited: the sentence cites no document and no cited
	// sentence follows it.
	ProblemUncited = "no citation"
	// ProblemBadCitation: the sentence cites a document that does not
	// exist. The citation is dropped (a repair); the sentence stays when
	// another citation is left.
	ProblemBadCitation = "citation of a missing document"
)

// MinKept is how many sentences a summary must keep after sentences were
// removed for it to still tell its story; a summary with nothing removed
// is kept however short.
const MinKept = 2

// Sentence is one sentence of a summary and the documents it cites
// (numbers from 1).
type Sentence struct {
	Text  string `json:"text"` // without its citations
	Cites []int  `json:"cites,omitempty"`
}

// Issue is one problem with one sentence. Removed is false for a repair
// that kept the sentence.
type Issue struct {
	Sentence string `json:"sentence"`
	Problem  string `json:"problem"`
	Evidence string `json:"evidence"`
	Removed  bool   `json:"removed"`
}

// Result is the verdict on a summary: every sentence, those kept, and the
// issues found.
type Result struct {
	Sentences []Sentence
	Kept      []Sentence
	Issues    []Issue
}

// Removed is the number of sentences removed.
func (r Result) Removed() int { return len(r.Sentences) - len(r.Kept) }

// Rejected reports whether what is left no longer tells the story: no
// sentence at all, or fewer than min after a removal.
func (r Result) Rejected(min int) bool {
	return len(r.Kept) == 0 || r.Removed() > 0 && len(r.Kept) < min
}

// Text joins the kept sentences with their citations, a citation group
// after each run of sentences citing the same documents.
func (r Result) Text() string { return JoinCited(r.Kept) }

// Check checks a summary sentence by sentence against numbered sources
// (sources[0] is document 1), as the summarize stage does before it
// publishes a text, and says what it would remove:
//
//   - citations [n] of a document that does not exist are dropped;
//   - a sentence without citations cites what the next cited sentence
//     cites (a citation after a run of sentences covers the run), or,
//     when there is one source, that source; with neither it is removed;
//   - a sentence stating a number, date, amount or name that none of its
//     cited documents holds is removed (Unsupported);
//   - a sentence not in the language code is removed (Language).
func Check(langs *lang.Registry, text string, sources []string, code string) Result {
	r := Result{Sentences: SplitCited(langs, text, code)}
	sents := make([]Sentence, len(r.Sentences))
	copy(sents, r.Sentences)
	// Drop citations of missing documents.
	for i := range sents {
		var ok []int
		for _, n := range sents[i].Cites {
			if n >= 1 && n <= len(sources) {
				ok = append(ok, n)
			}
		}
		if len(ok) < len(sents[i].Cites) {
			r.Issues = append(r.Issues, Issue{Sentence: sents[i].Text, Problem: ProblemBadCitation,
				Evidence: fmt.Sprintf("cites %s; there are %d documents", citeList(sents[i].Cites), len(sources)), Removed: len(ok) == 0})
			if len(ok) == 0 {
				sents[i].Cites = []int{-1} // cited, but nothing valid: removed below
				continue
			}
		}
		sents[i].Cites = ok
	}
	// Uncited sentences cite what the next cited one cites.
	var next []int
	for i := len(sents) - 1; i >= 0; i-- {
		switch {
		case len(sents[i].Cites) > 0:
			next = sents[i].Cites
		case len(sources) == 1:
			sents[i].Cites = []int{1}
		case next != nil && next[0] != -1:
			sents[i].Cites = slices.Clone(next)
		}
	}
	for _, s := range sents {
		if len(s.Cites) == 0 {
			r.Issues = append(r.Issues, Issue{Sentence: s.Text, Problem: ProblemUncited,
				Evidence: "no [n] citation in or after the sentence", Removed: true})
			continue
		}
		if s.Cites[0] == -1 {
			continue
		}
		var docs []string
		for _, n := range s.Cites {
			docs = append(docs, sources[n-1])
		}
		removed := false
		if fs := Unsupported(langs, s.Text, docs, code); len(fs) > 0 {
			r.Issues = append(r.Issues, Issue{Sentence: s.Text, Problem: ProblemUnsupported,
				Evidence: unsupportedEvidence(fs, s, docs), Removed: true})
			removed = true
		}
		if ok, detail := Language(langs, s.Text, code); !ok {
			r.Issues = append(r.Issues, Issue{Sentence: s.Text, Problem: ProblemLanguage, Evidence: detail, Removed: true})
			removed = true
		}
		if !removed {
			r.Kept = append(r.Kept, Sentence{Text: s.Text, Cites: s.Cites})
		}
	}
	return r
}

// citeGroup matches one citation group: [1], [2, 3], [1][2] is two groups.
var citeGroup = regexp.MustCompile(`\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]`)

// SplitCited splits a summary into sentences and their citations. A
// citation group that opens a sentence ("… Nvidia. [2] The …", a model
// putting the citation after the period) belongs to the sentence before.
func SplitCited(langs *lang.Registry, text, code string) []Sentence {
	var out []Sentence
	for _, s := range extractive.Sentences(text, langs.Get(code)) {
		// Leading citation groups belong to the previous sentence.
		for {
			loc := citeGroup.FindStringIndex(s)
			if loc == nil || strings.TrimSpace(s[:loc[0]]) != "" {
				break
			}
			if len(out) > 0 {
				out[len(out)-1].Cites = appendCites(out[len(out)-1].Cites, s[loc[0]:loc[1]])
			}
			s = strings.TrimSpace(s[loc[1]:])
		}
		if s == "" {
			continue
		}
		var cites []int
		for _, m := range citeGroup.FindAllStringIndex(s, -1) {
			cites = appendCites(cites, s[m[0]:m[1]])
		}
		plain := citeGroup.ReplaceAllString(s, "")
		plain = strings.Join(strings.Fields(plain), " ")
		plain = strings.NewReplacer(" .", ".", " ,", ",", " ;", ";", " :", ":", " !", "!", " ?", "?").Replace(plain)
		if !hasLetters(plain) {
			if len(out) > 0 {
				out[len(out)-1].Cites = append(out[len(out)-1].Cites, cites...)
			}
			continue
		}
		out = append(out, Sentence{Text: plain, Cites: cites})
	}
	return out
}

// JoinCited writes sentences back as text, with one citation group after
// each run of sentences that cite the same documents: "A. B [1]. C [2]."
func JoinCited(sents []Sentence) string {
	var b strings.Builder
	for i, s := range sents {
		if i > 0 {
			b.WriteByte(' ')
		}
		last := i == len(sents)-1 || !slices.Equal(sents[i+1].Cites, s.Cites)
		if !last || len(s.Cites) == 0 {
			b.WriteString(s.Text)
			continue
		}
		// The group goes before the final punctuation: "… Nvidia [1]."
		body, end := splitEnd(s.Text)
		b.WriteString(body)
		b.WriteString(" ")
		b.WriteString(citeList(s.Cites))
		b.WriteString(end)
	}
	return b.String()
}

// splitEnd splits a sentence before its closing punctuation and any
// quotes or brackets around it ("… Nvidia." → "… Nvidia", ".").
func splitEnd(s string) (string, string) {
	i := len(s)
	terminal := false
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !strings.ContainsRune(".!?…\"'”“»«’)", r) {
			break
		}
		terminal = terminal || strings.ContainsRune(".!?…", r)
		i -= size
	}
	if !terminal {
		return s, ""
	}
	return strings.TrimRight(s[:i], " "), s[i:]
}

func citeList(ns []int) string {
	var b strings.Builder
	for _, n := range ns {
		b.WriteString("[" + strconv.Itoa(n) + "]")
	}
	return b.String()
}

func appendCites(dst []int, group string) []int {
	for _, m := range citeGroup.FindAllStringSubmatch(group, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			if n, err := strconv.Atoi(f); err == nil && !slices.Contains(dst, n) {
				dst = append(dst, n)
			}
		}
	}
	return dst
}

func hasLetters(s string) bool {
	for _, r := range s {
		if r > 127 || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

// unsupportedEvidence names the facts and the cited sentence the summary
// sentence most likely rests on, so an operator can see what the model
// changed.
func unsupportedEvidence(fs []Finding, s Sentence, docs []string) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %q", f.Kind, f.Value)
	}
	ev := strings.Join(parts, ", ") + " in none of " + citeList(s.Cites)
	if near := nearest(s.Text, docs); near != "" {
		ev += "; closest there: " + strconv.Quote(near)
	}
	return ev
}

// nearest is the sentence of docs sharing the most words with s.
func nearest(s string, docs []string) string {
	want := map[string]bool{}
	for _, w := range lang.Words(s) {
		if len(w) > 2 {
			want[w] = true
		}
	}
	best, bestN := "", 0
	for _, d := range docs {
		for _, ds := range extractive.Sentences(d, nil) {
			n := 0
			seen := map[string]bool{}
			for _, w := range lang.Words(ds) {
				if want[w] && !seen[w] {
					seen[w] = true
					n++
				}
			}
			if n > bestN {
				best, bestN = ds, n
			}
		}
	}
	if len([]rune(best)) > 300 {
		best = string([]rune(best)[:300]) + "…"
	}
	return best
}
