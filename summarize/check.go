package summarize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/summarize/verify"
)

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

// claim is one stretch of text and the citations that close it.
type claim struct {
	text  string
	cites []int
}

// claims splits text at its citation groups: "A [1]. B [2][3]." gives
// {"A", [1]}, {". B", [2 3]} and a trailing "." without citations.
func claims(text string) []claim {
	var out []claim
	rest := text
	for {
		loc := citeRe.FindStringIndex(rest)
		if loc == nil {
			out = append(out, claim{text: rest})
			return out
		}
		c := claim{text: rest[:loc[0]], cites: citations(rest[loc[0]:loc[1]])}
		rest = rest[loc[1]:]
		// Adjacent groups ("[2][3]") belong to the same claim.
		for {
			l := citeRe.FindStringIndex(rest)
			if l == nil || strings.TrimSpace(rest[:l[0]]) != "" {
				break
			}
			c.cites = append(c.cites, citations(rest[l[0]:l[1]])...)
			rest = rest[l[1]:]
		}
		out = append(out, c)
	}
}

// hasWords reports whether s holds at least minLetters letters: a claim,
// not punctuation left between citations.
func hasWords(s string, minLetters int) bool {
	n := 0
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127 {
			n++
		}
	}
	return n >= minLetters
}

// checkText checks text without citations against sources: the language,
// and that every fact in it is in some source.
func (s *Stage) checkText(text string, sources []string, lang string) []string {
	var problems []string
	if ok, detail := verify.Language(s.langs, text, lang); !ok {
		problems = append(problems, fmt.Sprintf("not entirely in %s (%s)", s.langName(lang), detail))
	}
	if f := verify.Unsupported(s.langs, text, sources, lang); len(f) > 0 {
		problems = append(problems, "facts not in the document: "+findings(f))
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

// checkCited checks a summary with [n] citations against its numbered
// sources (sources[0] is document 1): every citation points at a real
// document, no claim goes uncited, and each claim's facts are in the
// documents it cites.
func (s *Stage) checkCited(text string, sources []string, lang string) []string {
	var problems []string
	cs := claims(text)
	cited := 0
	for _, c := range cs {
		var docs []string
		for _, n := range c.cites {
			if n < 1 || n > len(sources) {
				problems = append(problems, fmt.Sprintf("citation [%d] points at no document (there are %d)", n, len(sources)))
				continue
			}
			docs = append(docs, sources[n-1])
		}
		if len(c.cites) == 0 {
			if hasWords(c.text, 12) {
				problems = append(problems, fmt.Sprintf("no citation for %q", strings.TrimSpace(cutWords(c.text, 80))))
			}
			continue
		}
		cited++
		if len(docs) == 0 {
			continue
		}
		if f := verify.Unsupported(s.langs, c.text, docs, lang); len(f) > 0 {
			problems = append(problems, fmt.Sprintf("facts not in the cited documents: %s", findings(f)))
		}
	}
	if cited == 0 {
		problems = append(problems, "no [n] citations")
	}
	return problems
}

// checkGlossary checks a version in lang against the English version of
// the same story: a concept named in English must be named with the
// glossary's word in German, and German text must not carry the English
// term instead.
func (g *Glossary) check(text, lang, english string) []string {
	if lang == pivot || english == "" {
		return nil
	}
	var problems []string
	lt, le := strings.ToLower(text), strings.ToLower(english)
	for _, t := range g.Terms {
		en := strings.ToLower(t.word(pivot))
		if t.word(lang) == "" || !containsWord(le, en) {
			continue
		}
		found := false
		for _, f := range t.forms(lang) {
			if strings.Contains(lt, f) {
				found = true
				break
			}
		}
		switch {
		case containsWord(lt, en) && !found:
			problems = append(problems, fmt.Sprintf("write %q, not %q", t.word(lang), t.word(pivot)))
		case !found:
			problems = append(problems, fmt.Sprintf("use the glossary term %q for %q", t.word(lang), t.word(pivot)))
		}
	}
	return problems
}

// containsWord reports whether phrase occurs in s at word boundaries
// (both already lower-cased).
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

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80 }

// factKinds are the findings that must agree between language versions.
var factKinds = map[string]bool{"number": true, "money": true, "percent": true, "date": true}

// checkConsistent checks that two versions of one story carry the same
// numbers, amounts, percentages and dates, and the same kept names.
func (s *Stage) checkConsistent(a, langA, b, langB string) []string {
	var problems []string
	for _, pair := range [][4]string{{a, langA, b, langB}, {b, langB, a, langA}} {
		var only []string
		for _, f := range verify.Unsupported(s.langs, stripCitations(pair[0]), []string{stripCitations(pair[2])}, pair[1]) {
			if factKinds[f.Kind] {
				only = append(only, f.Value)
			}
		}
		if len(only) > 0 {
			problems = append(problems, fmt.Sprintf("the %s version states %s, the %s version does not", s.langName(pair[1]), strings.Join(only, ", "), s.langName(pair[3])))
		}
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	for _, k := range s.cfg.Glossary.Keep {
		kl := strings.ToLower(k)
		ina, inb := containsWord(la, kl), containsWord(lb, kl)
		if ina != inb {
			problems = append(problems, fmt.Sprintf("the name %q appears in only one language version", k))
		}
	}
	return problems
}
