package summarize

import (
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// nameSwap measures what the gate's leniency towards names costs: in a
// reference, a name its article writes is replaced by a name from another
// item's reference that this article does not write, and the gate should
// then remove the sentence. Every way the name check finds a
// name across languages (exonyms, compounds, transcriptions) is a way a
// wrong name could pass; this is the check that it does not, on the same
// references TestGateStrictness measures.
type nameSwap struct{ trials, removed int }

func (n nameSwap) String() string {
	return fmt.Sprintf("name swapped in %d references: sentence removed in %5.1f%%", n.trials,
		100*float64(n.removed)/float64(max(n.trials, 1)))
}

// namesIn returns the name findings of text checked against no source: the
// names the gate sees in it.
func (s *Stage) namesIn(text, code string) []string {
	var out []string
	for _, f := range verify.Unsupported(s.langs, text, nil, code) {
		if f.Kind == "name" {
			out = append(out, f.Value)
		}
	}
	return out
}

// sourceWords returns the words of the sources, as lang.Words gives them.
func sourceWords(sources []string) map[string]bool {
	words := map[string]bool{}
	for _, src := range sources {
		for _, w := range lang.Words(src) {
			words[w] = true
		}
	}
	return words
}

// mentionsAll and mentionsAny report whether every or some word of name
// (two letters or more) is a word of the sources. They are deliberately
// independent of the gate's ways of finding a name, so that the trials
// do not depend on the gate under test, and a donor the gate finds by
// them (wrongly: the article does not write it) counts as a miss.
func mentionsAll(words map[string]bool, name string) bool {
	n := 0
	for _, w := range lang.Words(name) {
		if len([]rune(w)) < 2 {
			continue
		}
		if !words[w] {
			return false
		}
		n++
	}
	return n > 0
}

func mentionsAny(words map[string]bool, name string) bool {
	for _, w := range lang.Words(name) {
		if len([]rune(w)) >= 2 && words[w] {
			return true
		}
	}
	return false
}

// keeps reports whether the gate keeps the sentence of item's reference
// that holds name: a trial on a sentence it removes anyway would say
// nothing about the swapped name.
func (s *Stage) keeps(langs []string, item swapItem, name string) bool {
	vers := map[string]*version{}
	s.gateBodies(langs, item.bodies, item.sources, vers)
	for _, is := range vers[langs[0]].issues {
		if is.Removed && strings.Contains(is.Sentence, name) {
			return false
		}
	}
	return true
}

// swapItem is one item of a set, as TestGateStrictness gates it.
type swapItem struct {
	bodies  map[string]string
	sources []string
}

// trySwap corrupts item i of items with a name from a later item and
// gates it; false when the item has no name its article writes in a
// sentence the gate keeps, or no donor.
func (s *Stage) trySwap(langs []string, items []swapItem, i int) (tried, removed bool) {
	code := langs[0]
	ref := items[i].bodies[code]
	words := sourceWords(items[i].sources)
	var name string
	for _, n := range s.namesIn(ref, code) {
		if strings.Count(ref, n) == 1 && mentionsAll(words, n) {
			name = n
			break
		}
	}
	if name == "" || !s.keeps(langs, items[i], name) {
		return false, false
	}
	for k := 1; k < len(items); k++ {
		other := items[(i+k)%len(items)].bodies[code]
		for _, donor := range s.namesIn(other, code) {
			if donor == name || strings.Contains(ref, donor) || mentionsAny(words, donor) {
				continue // the article may name the donor: no corruption
			}
			bodies := map[string]string{}
			for c, b := range items[i].bodies {
				bodies[c] = b
			}
			bodies[code] = strings.Replace(ref, name, donor, 1)
			vers := map[string]*version{}
			s.gateBodies(langs, bodies, items[i].sources, vers)
			for _, is := range vers[code].issues {
				if is.Removed && strings.Contains(is.Sentence, donor) {
					return true, true
				}
			}
			return true, false
		}
	}
	return false, false
}
