package topic

import (
	"slices"
	"sort"
	"strings"
)

// Score rates title and text (the article body, description or both)
// against the profile. lang ("de", "en", …) selects language-restricted
// patterns; patterns without a language always apply. It returns the score
// (0 when nothing matched) and the labels of the terms and groups that
// counted, highest contribution first.
func (p *Profile) Score(title, text, lang string) (score float64, matched []string) {
	lang = normLang(lang)
	tw := newIndex(title)
	xw := newIndex(text)

	type hit struct {
		label string
		v     float64
	}
	var hits, context []hit
	for _, t := range p.terms {
		if t.lang != "" && t.lang != lang {
			continue
		}
		inTitle := len(t.pat.positions(tw)) > 0
		n := len(t.pat.positions(xw))
		f := p.factor(inTitle, n)
		if f == 0 {
			continue
		}
		h := hit{t.label, t.weight * f}
		if t.context {
			context = append(context, h)
		} else {
			hits = append(hits, h)
		}
	}
	for _, g := range p.groups {
		if g.lang != "" && g.lang != lang {
			continue
		}
		allTitle, n := p.groupMatches(g, tw, xw)
		if f := p.factor(allTitle, n); f > 0 {
			hits = append(hits, hit{g.label, g.weight * f})
		}
	}
	// Context terms say where a story happens, not what it is about: they
	// only add to a text that is on topic already.
	if len(hits) > 0 {
		hits = append(hits, context...)
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].v != hits[j].v {
			return hits[i].v > hits[j].v
		}
		return hits[i].label < hits[j].label
	})
	for _, h := range hits {
		score += h.v
		matched = append(matched, h.label)
	}
	return score, matched
}

// factor is the multiplier of a term seen in the title (inTitle) and n
// times in the text; 0 means it did not occur.
func (p *Profile) factor(inTitle bool, n int) float64 {
	var f float64
	if n > 0 {
		f = min(1+p.repeatBonus*float64(n-1), p.maxRepeat)
	}
	if inTitle {
		f = max(f, p.titleMultiplier)
	}
	return f
}

// groupMatches reports whether every set of g occurs in the title, and how
// many times the sets co-occur in the text. A set found in the title counts
// as present everywhere in the text: the title names what the whole article
// is about.
func (p *Profile) groupMatches(g group, tw, xw *index) (allTitle bool, n int) {
	allTitle = true
	var rest [][]int // positions in the text of the sets not in the title
	for _, set := range g.sets {
		if matchesAny(set, tw) {
			continue
		}
		allTitle = false
		var pos []int
		for _, pat := range set {
			pos = append(pos, pat.positions(xw)...)
		}
		if len(pos) == 0 {
			return false, 0
		}
		sort.Ints(pos)
		rest = append(rest, slices.Compact(pos)) // one word may match several patterns
	}
	if allTitle {
		return true, 0
	}
	// Count anchors of the first remaining set with every other remaining
	// set within the window.
	for _, a := range rest[0] {
		ok := true
		for _, pos := range rest[1:] {
			if !within(pos, a, p.window) {
				ok = false
				break
			}
		}
		if ok {
			n++
		}
	}
	return false, n
}

// within reports whether sorted pos holds a value in [a-w, a+w].
func within(pos []int, a, w int) bool {
	i := sort.SearchInts(pos, a-w)
	return i < len(pos) && pos[i] <= a+w
}

func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}
