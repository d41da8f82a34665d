package verify

import (
	"math"
	"sort"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Finding is one fact of the text that no source supports. Kind is
// "number", "date", "money", "percent" or "name"; Value is the fact as
// written in the text.
type Finding struct{ Kind, Value string }

// Unsupported returns the facts in text (numbers, dates, money amounts,
// percentages, names of people/companies/products) that appear in none of
// the sources, in the order they occur in text. Sources may be in another
// language than text (German text, English source): numbers match across
// formats ("1,5 Milliarden" ↔ "1.5 billion", "3.000" ↔ "3,000") and month
// names across languages ("Oktober" ↔ "October"). lang is the language of
// text ("de" or "en"); it decides how "3.000" and "Billion" are read there.
// Each source's own convention is unknown, so source numbers are read both
// ways.
func Unsupported(text string, sources []string, lang string) []Finding {
	german := lang == "de"
	src := indexSources(sources)
	type located struct {
		start int
		f     Finding
	}
	var found []located
	taken := make([]bool, len(text)+1) // bytes already part of a date
	for _, d := range findDates(text) {
		for i := d.start; i < d.end; i++ {
			taken[i] = true
		}
		if !src.supportsDate(d) {
			found = append(found, located{d.start, Finding{"date", text[d.start:d.end]}})
		}
	}
	for _, n := range findNumbers(text, german) {
		if taken[n.start] {
			continue
		}
		for i := n.start; i < n.end; i++ {
			taken[i] = true
		}
		if src.supportsNumber(n) {
			continue
		}
		kind := "number"
		switch {
		case n.percent:
			kind = "percent"
		case n.currency != "":
			kind = "money"
		case n.year:
			kind = "date"
		}
		found = append(found, located{n.start, Finding{kind, strings.TrimSpace(text[n.start:n.end])}})
	}
	for _, run := range findNames(text, lang) {
		if taken[run.start] {
			continue
		}
		for _, tok := range run.tokens {
			if !src.names.supports(tok) {
				found = append(found, located{run.start, Finding{"name", text[run.start:run.end]}})
				break
			}
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].start < found[j].start })
	out := make([]Finding, 0, len(found))
	seen := map[Finding]bool{}
	for _, l := range found {
		if !seen[l.f] {
			seen[l.f] = true
			out = append(out, l.f)
		}
	}
	return out
}

// sourceIndex is everything the sources state, prepared for lookup.
type sourceIndex struct {
	numbers []number
	dates   []date
	names   nameIndex
}

func indexSources(sources []string) sourceIndex {
	ix := sourceIndex{names: nameIndex{}}
	for _, s := range sources {
		german := lang.Detect(s) == "de"
		ix.numbers = append(ix.numbers, findNumbers(s, german)...)
		ix.numbers = append(ix.numbers, spelledNumbers(s, german)...)
		ix.dates = append(ix.dates, findDates(s)...)
		ix.names.addSource(s)
	}
	return ix
}

// spelledNumbers returns the spelled-out numbers of a source ("two",
// "zwölf", "three million").
func spelledNumbers(s string, german bool) []number {
	words := lang.Words(s)
	var out []number
	for i, w := range words {
		v, ok := numberWords[w]
		if !ok {
			continue
		}
		if i+1 < len(words) {
			if f, ok := scales[words[i+1]]; ok && len(words[i+1]) > 1 {
				if german && words[i+1] == "billion" {
					f = 1e12
				}
				v *= f
			}
		}
		out = append(out, number{value: v})
	}
	return out
}

func (ix sourceIndex) supportsNumber(t number) bool {
	for _, s := range ix.numbers {
		if t.currency != "" && s.currency != "" && s.currency != t.currency {
			continue
		}
		if close(t.value, s.value, t.tolerance) || (s.hasAlt && close(t.value, s.alt, t.tolerance)) {
			return true
		}
	}
	return false
}

// close reports whether the source value v rounds to the text value t at
// the text's precision.
func close(t, v, tolerance float64) bool {
	return math.Abs(t-v) <= tolerance*(1+1e-9)
}

func (ix sourceIndex) supportsDate(t date) bool {
	for _, s := range ix.dates {
		if !t.supportedBy(s) {
			continue
		}
		if t.year != 0 && s.year == 0 && !ix.supportsNumber(number{value: float64(t.year)}) {
			continue
		}
		return true
	}
	return false
}
