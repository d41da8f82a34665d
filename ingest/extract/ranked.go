package extract

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Ranked teaser lists ("Meistgelesen", "Most popular": 1 headline, 2
// headline, …) survive the link-density filter when the headlines are not
// links of their own or the numbers sit in separate elements. They are
// recognised by shape: the numbers 1, 2, 3… in order, each either a block of
// its own followed by a headline, or opening a headline, where a headline
// is a short line that does not end a sentence. A numbered list inside an
// article is made of sentences, so it stays.

// minRanked is how many ranked headlines make a teaser list.
const minRanked = 3

// maxRankedHeadline bytes: longer items are prose.
const maxRankedHeadline = 160

// dropRankedLists removes runs of at least minRanked ranked headlines.
func dropRankedLists(bs []block) []block {
	drop := make([]bool, len(bs))
	found := false
	for i := 0; i < len(bs); {
		n, end := rankedRun(bs, i)
		if n >= minRanked {
			for j := i; j < end; j++ {
				drop[j] = true
			}
			found = true
			i = end
			continue
		}
		i++
	}
	if !found {
		return bs
	}
	out := bs[:0:0]
	for i, b := range bs {
		if !drop[i] {
			out = append(out, b)
		}
	}
	return out
}

// rankedRun counts the ranked headlines from bs[i] on and returns that count
// and the index after the run.
func rankedRun(bs []block, i int) (count, end int) {
	want := 1
	for i < len(bs) {
		num, rest, ok := rankNumber(bs[i].text)
		if !ok || num != want {
			break
		}
		switch {
		case rest == "" && i+1 < len(bs) && isHeadlineLine(bs[i+1].text):
			i += 2
		case rest != "" && isHeadlineLine(rest):
			i++
		default:
			return want - 1, i
		}
		want++
	}
	return want - 1, i
}

// rankNumber splits "3", "3." or "3 Headline" into the number and the rest.
func rankNumber(text string) (int, string, bool) {
	t := strings.TrimSpace(text)
	j := 0
	for j < len(t) && j < 3 && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == 0 || j > 2 {
		return 0, "", false
	}
	n, _ := strconv.Atoi(t[:j])
	rest := strings.TrimPrefix(t[j:], ".")
	if rest != "" && rest[0] != ' ' {
		return 0, "", false // "2019", "3D", "5G"
	}
	return n, strings.TrimSpace(rest), true
}

func isHeadlineLine(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || len(t) > maxRankedHeadline {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return !strings.ContainsRune(".!;", last) && !strings.Contains(t, ". ")
}
