package extract

import (
	"regexp"
	"strings"
)

// Teaser cards in "more from this section" strips render as kicker,
// headline, then the excerpt with the card's date glued to its first word
// ("08.12.2021Jeder Trail ist …", "19.12.20212021 war …"), because date and excerpt are adjacent
// inline elements. Prose never glues a date to a word, so several such
// blocks mark a teaser strip; each card (excerpt plus the short headline
// lines before it) is dropped.

var gluedDateRe = regexp.MustCompile(`^(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})[\p{L}\p{N}„"“«]`)

const (
	// minGluedTeasers cards make a strip; one glued date is a typo.
	minGluedTeasers = 3
	// maxCardLines short lines before an excerpt belong to its card.
	maxCardLines = 2
	// maxCardLine bytes: a longer line is prose, not a kicker or headline.
	maxCardLine = 150
)

// dropDatedTeasers removes teaser cards whose excerpt opens with a glued date.
func dropDatedTeasers(bs []block) []block {
	n := 0
	for _, b := range bs {
		if gluedDateRe.MatchString(b.text) {
			n++
		}
	}
	if n < minGluedTeasers {
		return bs
	}
	drop := make([]bool, len(bs))
	for i, b := range bs {
		if !gluedDateRe.MatchString(b.text) {
			continue
		}
		drop[i] = true
		for j := i - 1; j >= 0 && j >= i-maxCardLines && !drop[j] && isCardLine(bs[j].text); j-- {
			drop[j] = true
		}
	}
	out := bs[:0:0]
	for i, b := range bs {
		if !drop[i] {
			out = append(out, b)
		}
	}
	return out
}

func isCardLine(text string) bool {
	t := strings.TrimSpace(text)
	return len(t) <= maxCardLine && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "!")
}
