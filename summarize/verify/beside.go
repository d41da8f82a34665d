package verify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// German capitalises every noun, so a common noun standing next to a name
// joins its run: "Kanzlei QPR" (the firm QPR), "Sohn Wil", "gibt Barça
// Rätsel auf", "Stürmer Radamel Falcao". Without a dictionary the noun
// cannot be told from a name by its shape; what tells them apart is how the
// sources write the name beside it. A name the sources never write next to
// another capitalised word on that side ("represents QPR over", "his son,
// Wil,") is whole there, so a word the text puts beside it is not part of
// it. A name the sources do write with a neighbour on that side ("Angela
// Merkel") keeps its neighbour in the text checked, so "Angela Schäfer"
// is still a name the sources lack.

// Marks of the index entries for words the sources write right after
// (capLeftMark) or right before (capRightMark) a capitalised word that may
// be a name, folded and lower-cased.
const (
	capLeftMark  = "\x03"
	capRightMark = "\x04"
)

// addCapitalNeighbours records, for each name-like token of a source, that
// the token next to it (separated by white space only) is capitalised.
// Tokens keep their hyphens ("Barça-Trainer" is one), so a word is never
// the neighbour of its own compound's parts.
func (ix nameIndex) addCapitalNeighbours(langs *lang.Registry, src string) {
	locs := nameToken.FindAllStringIndex(src, -1)
	for i := 1; i < len(locs); i++ {
		if strings.TrimSpace(src[locs[i-1][1]:locs[i][0]]) != "" {
			continue
		}
		left, right := src[locs[i-1][0]:locs[i-1][1]], src[locs[i][0]:locs[i][1]]
		if capitalNeighbour(langs, left) {
			ix[capLeftMark+fold(strings.ToLower(right))] = struct{}{}
		}
		if capitalNeighbour(langs, right) {
			ix[capRightMark+fold(strings.ToLower(left))] = struct{}{}
		}
	}
}

// capitalNeighbour reports whether a source token may be part of a name
// beside another: capitalised (or of a name's shape) and not a stopword,
// month, weekday or number word ("Oklahoma The boxing champion", where a
// caption runs into the next sentence, does not count).
func capitalNeighbour(langs *lang.Registry, tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return (unicode.IsUpper(r) || distinctiveShape(tok)) && nameLike(langs, tok, "")
}

// writtenAlone reports whether the sources write the name token tok and
// never with a capitalised word right before it (left) or right after it
// (!left).
func (ix nameIndex) writtenAlone(langs *lang.Registry, tok string, left bool) bool {
	if !ix.supports(langs, tok) {
		return false
	}
	mark := capRightMark
	if left {
		mark = capLeftMark
	}
	_, beside := ix[mark+fold(strings.ToLower(tok))]
	return !beside
}

// dropNounsBesideNames removes from checked (indices of a German run's
// tokens) each token that is an ordinary word beside a name: not of a
// name's shape, not a name the registry knows, not in the sources, and
// next in the run to a token the sources write without a capitalised word
// on that side (see writtenAlone). On either side the word must look
// German (see germanLooking) or, before a name, be one of the nouns that
// stand in apposition there without a telling ending ("Kanzlei QPR",
// "Sohn Wil"): a first name before a surname has the same place ("Eric
// Trump" where the sources say "Trump" is a fact they lack), and a place
// or a second name follows a name as often as a noun does ("TSV
// Hamburg", but "Barça Rätsel").
func (ix nameIndex) dropNounsBesideNames(langs *lang.Registry, run nameRun, checked []int) []int {
	if len(run.tokens) < 2 {
		return checked
	}
	out := checked[:0:0]
	for _, i := range checked {
		t := run.tokens[i]
		noun := !distinctiveShape(t) && langs.NameKeys(strings.ToLower(t)) == nil && !ix.supports(langs, t)
		before := i+1 < len(run.tokens) && (germanLooking(langs, t) || germanAppositionNouns[strings.ToLower(t)]) && ix.writtenAlone(langs, run.tokens[i+1], true)
		after := i > 0 && germanLooking(langs, t) && ix.writtenAlone(langs, run.tokens[i-1], false)
		if noun && (before || after) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// germanAppositionNouns are German nouns that often stand right before a
// name ("Sohn Wil", "Kanzlei QPR") and whose shape does not say they are
// nouns (germanLooking).
var germanAppositionNouns = map[string]bool{
	"sohn": true, "söhne": true, "kind": true, "enkel": true, "onkel": true, "neffe": true,
	"ehefrau": true, "ehemann": true, "witwe": true, "kanzlei": true, "firma": true,
	"partei": true, "klub": true, "verein": true, "sender": true, "marke": true,
}
