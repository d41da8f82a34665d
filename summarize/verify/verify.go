package verify

import (
	"math"
	"regexp"
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
// names across languages ("Oktober" ↔ "October"). code is the language of
// text, looked up in langs; its number writing decides how "3.000" and
// "Billion" are read there. Each source's own convention is unknown, so
// source numbers are read both ways, and spelled-out numbers of every
// registered language count.
func Unsupported(langs *lang.Registry, text string, sources []string, code string) []Finding {
	l := langs.Get(code)
	src := indexSources(langs, sources, code)
	type located struct {
		start int
		f     Finding
	}
	var found []located
	taken := make([]bool, len(text)+1) // bytes already part of a date or a supported name
	// Name phrases the sources support, in any language ("Vereinte
	// Nationen" for "United Nations", "Achtelfinale" for "round of 16"):
	// neither their words nor their numbers are checked on their own.
	for _, p := range namePhrases(langs, text) {
		if src.names.hasKey(p.keys) {
			for i := p.start; i < p.end; i++ {
				taken[i] = true
			}
		}
	}
	for _, d := range findDates(text) {
		if taken[d.start] {
			continue
		}
		for i := d.start; i < d.end; i++ {
			taken[i] = true
		}
		if !src.supportsDate(d) {
			found = append(found, located{d.start, Finding{"date", text[d.start:d.end]}})
		}
	}
	for _, n := range append(findNumbers(text, styleOf(l)), textSpelledNumbers(text, l)...) {
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
	for _, run := range findNames(langs, text, code) {
		if taken[run.start] {
			continue
		}
		if !src.names.supportsRun(langs, run, code, taken) {
			found = append(found, located{run.start, Finding{"name", text[run.start:run.end]}})
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

// indexSources prepares the sources for checking a text in language code.
func indexSources(langs *lang.Registry, sources []string, code string) sourceIndex {
	ix := sourceIndex{names: nameIndex{}}
	for _, s := range sources {
		st := styleOf(langs.Get(lang.Detect(s)))
		ix.numbers = append(ix.numbers, findNumbers(s, st)...)
		ix.numbers = append(ix.numbers, spelledNumbers(langs, s, st)...)
		ix.dates = append(ix.dates, findDates(s)...)
		ix.names.addSource(langs, s)
		if code == "de" {
			// Only German text runs nouns into names (see beside.go).
			ix.names.addCapitalNeighbours(langs, s)
		}
	}
	return ix
}

// spelledNumbers returns the spelled-out numbers of a source ("two",
// "zwölf", "three million"), in any registered language.
func spelledNumbers(langs *lang.Registry, s string, st numberStyle) []number {
	return spelled(s, st, true, func(w string) (float64, bool) {
		if v, ok := numberWord(langs, w); ok {
			return v, true
		}
		return compoundNumber(langs, w)
	})
}

// minNumberPrefix is the least length of a number word that opens a
// compound: "drei" in "dreijährige", not "ein" in "Einigung".
const minNumberPrefix = 4

// compoundNumber is the value of a word that opens with a checked number
// word of some registered language and goes on: German writes numbers
// into compounds and inflects them ("dreijährige", "Fünfeinhalb",
// "Zweidrittelmehrheit", "Viererbob", "zweier"), so a source that says
// so supports "three years" or "two-thirds". The checked words leave out
// the number words that are other words too ("acht", "elf").
func compoundNumber(langs *lang.Registry, w string) (float64, bool) {
	runes := []rune(w)
	for n := len(runes) - 2; n >= minNumberPrefix; n-- {
		prefix := string(runes[:n])
		for _, code := range langs.Codes() {
			l := langs.Get(code)
			if l.CheckedNumberWord(prefix) {
				return l.NumberWord(prefix)
			}
		}
	}
	return 0, false
}

// numberWord is the value of a spelled-out number of any registered
// language.
func numberWord(langs *lang.Registry, w string) (float64, bool) {
	for _, code := range langs.Codes() {
		if v, ok := langs.Get(code).NumberWord(w); ok {
			return v, true
		}
	}
	return 0, false
}

func isNumberWord(langs *lang.Registry, w string) bool {
	_, ok := numberWord(langs, w)
	return ok
}

// textSpelledNumbers returns the spelled-out numbers of a text that are
// checked against the sources ("three", "sechs", "two million"): the
// language's checked number words.
func textSpelledNumbers(s string, l *lang.Language) []number {
	return spelled(s, styleOf(l), false, func(w string) (float64, bool) {
		if !l.CheckedNumberWord(w) {
			return 0, false
		}
		return l.NumberWord(w)
	})
}

// numberStyle is how a language writes numbers.
type numberStyle struct {
	decimalComma bool // "3,5" and "3.000"
	longScale    bool // "Billion" is 10^12
}

func styleOf(l *lang.Language) numberStyle {
	return numberStyle{decimalComma: l.DecimalComma(), longScale: l.LongScale()}
}

var letters = regexp.MustCompile(`\p{L}+`)

// spelled returns the numbers of s that value reads, with a scale word
// after them; with articles, also "one" as an article before a scale word
// ("eine Billion"), which sources say and a summary is not checked for.
func spelled(s string, st numberStyle, articles bool, value func(string) (float64, bool)) []number {
	locs := letters.FindAllStringIndex(s, -1)
	var out []number
	skip := -1 // a word already read as part of the number before it
	for i, m := range locs {
		if i == skip {
			continue
		}
		w := strings.ToLower(s[m[0]:m[1]])
		v, ok := tensAndUnits(w, value)
		if !ok {
			v, ok = value(w)
		}
		if !ok && articles && oneWords[w] && scaleAfter(s, m[1], locs, i+1, st) != 0 {
			v, ok = 1, true // "eine Billion", "one million", "a billion"
		}
		if !ok {
			continue
		}
		n := number{start: m[0], end: m[1], value: v, tolerance: 0.5}
		next := i + 1
		if next < len(locs) && s[m[1]:locs[next][0]] == "-" && isTens(v) {
			// "ninety-nine", "twenty-one": one number.
			if u, ok := value(strings.ToLower(s[locs[next][0]:locs[next][1]])); ok && u >= 1 && u <= 9 && u == math.Trunc(u) {
				n.value += u
				n.end = locs[next][1]
				skip = next
				next++
			}
		}
		if f := scaleAfter(s, n.end, locs, next, st); f != 0 {
			n.value *= f
			n.tolerance *= f
			n.end = locs[next][1]
		}
		out = append(out, n)
	}
	return out
}

// oneWords are the words for "one" before a scale word: an article, so
// not number words of their own.
var oneWords = map[string]bool{"a": true, "one": true, "ein": true, "eine": true, "einer": true, "einem": true, "einen": true}

// scaleAfter returns the factor of the scale word locs[j] of s ("two
// million", "eine Milliarde") when only white space parts it from the
// number that ends at end; 0 when there is none. A one-letter scale ("m",
// "k") counts only attached to digits (see findNumbers).
func scaleAfter(s string, end int, locs [][]int, j int, st numberStyle) float64 {
	if j >= len(locs) || strings.TrimSpace(s[end:locs[j][0]]) != "" {
		return 0
	}
	w := strings.ToLower(s[locs[j][0]:locs[j][1]])
	f, ok := scales[w]
	if !ok || len(w) == 1 {
		return 0
	}
	if st.longScale && w == "billion" {
		f = 1e12
	}
	return f
}

func (ix sourceIndex) supportsNumber(t number) bool {
	for _, s := range ix.numbers {
		if t.currency != "" && s.currency != "" && s.currency != t.currency {
			continue
		}
		if close(t.value, s.value, t.tolerance) || (s.hasAlt && close(t.value, s.alt, t.tolerance)) ||
			(t.hasUnscaled && close(t.unscaled, s.value, 0.5)) {
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
			// "am 2. und 3. Mai" ↔ "on May 2 and 3": the month is there
			// and the day is a number of the sources.
			if t.dow != 0 || s.month != t.month || t.day == 0 || !ix.supportsNumber(number{value: float64(t.day)}) {
				continue
			}
			if t.year != 0 && s.year != 0 && s.year != t.year {
				continue
			}
		}
		if t.year != 0 && s.year == 0 && !ix.supportsNumber(number{value: float64(t.year)}) {
			continue
		}
		return true
	}
	return false
}

func isTens(v float64) bool { return v >= 20 && v <= 90 && math.Mod(v, 10) == 0 }

// tensAndUnits reads a German number of units and tens written as one
// word, "neunundneunzig" (99) or "einundzwanzig" (21), by the number
// words value knows.
func tensAndUnits(w string, value func(string) (float64, bool)) (float64, bool) {
	units, tens, ok := strings.Cut(w, "und")
	if !ok || units == "" {
		return 0, false
	}
	t, ok := value(tens)
	if !ok || !isTens(t) || tens != strings.TrimSpace(tens) {
		return 0, false
	}
	u, ok := value(units)
	if units == "ein" {
		u, ok = 1, true
	}
	if !ok || u < 1 || u > 9 || u != math.Trunc(u) {
		return 0, false
	}
	return t + u, true
}
