package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Many news templates put the standfirst (the lead paragraph under the
// headline) in the article header, outside the element that holds the body
// text, so the scorer's root misses it. It is found by its class or id
// ("intro", "lead", "standfirst", "dek", "summary") in the elements just
// before the root, and put back in front of the text.

var leadClassRe = regexp.MustCompile(`(?i)(^|[-_ ])(intro|lead|lede|standfirst|teaser-?text|summary|abstract|dek|deck|excerpt|subtitle|sub-?headline)($|[-_ ])`)

const (
	minLeadRunes = 60  // shorter: a kicker or a label
	maxLeadRunes = 700 // longer: a whole section, not a standfirst
	// leadLevels is how many ancestors of the root are searched; leadSiblings
	// how many preceding siblings at each level; leadNodes caps the nodes
	// looked at inside one sibling.
	leadLevels   = 3
	leadSiblings = 6
	leadNodes    = 200
)

// findLead returns the standfirst that precedes root, or nil.
func findLead(root *html.Node) *html.Node {
	for n, level := root, 0; n != nil && level < leadLevels; n, level = n.Parent, level+1 {
		seen := 0
		for s := n.PrevSibling; s != nil && seen < leadSiblings; s = s.PrevSibling {
			if s.Type != html.ElementNode {
				continue
			}
			seen++
			budget := leadNodes
			if l := leadIn(s, &budget); l != nil {
				return l
			}
			if s.DataAtom != atom.H1 && hasDescendant(s, atom.H1) {
				// The headline's block: its standfirst follows the <h1>.
				if l := standfirstAfterH1(s); l != nil {
					return l
				}
			}
		}
	}
	return nil
}

// leadIn searches n and its descendants, in document order and up to
// *budget nodes, for a standfirst element.
func leadIn(n *html.Node, budget *int) *html.Node {
	if *budget <= 0 || n.Type != html.ElementNode {
		return nil
	}
	*budget--
	if isLead(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if l := leadIn(c, budget); l != nil {
			return l
		}
	}
	return nil
}

func isLead(n *html.Node) bool {
	if n.DataAtom == atom.H1 || !leadClassRe.MatchString(classID(n)) {
		return false
	}
	text := collapse(textOf(n))
	r := utf8.RuneCountInString(text)
	if r < minLeadRunes || r > maxLeadRunes {
		return false
	}
	return linkLen(n)*3 < len(text)
}

// standfirstAfterH1 returns the first paragraph after the <h1> inside an
// article header that is longer than a kicker, byline or date line, when it
// reads like a standfirst: a sentence or two of prose, not a link.
func standfirstAfterH1(header *html.Node) *html.Node {
	seenH1 := false
	budget := leadNodes
	var found *html.Node
	var walk func(n *html.Node) bool // reports whether to stop
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if budget--; budget <= 0 {
				return true
			}
			if c.DataAtom == atom.H1 {
				seenH1 = true
				continue
			}
			if seenH1 && isBlock(c) && !hasBlockDescendant(c) {
				// Kickers, bylines and dates are shorter than a
				// standfirst; the first longer block decides.
				if utf8.RuneCountInString(collapse(textOf(c))) < minLeadRunes {
					continue
				}
				if isStandfirst(c) {
					found = c
				}
				return true
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(header)
	return found
}

func isStandfirst(n *html.Node) bool {
	if n.DataAtom != atom.P && n.DataAtom != atom.Div && n.DataAtom != atom.H2 {
		return false
	}
	text := collapse(textOf(n))
	return linkLen(n)*3 < len(text) && isStandfirstText(text)
}

// isStandfirstText reports whether text reads like a standfirst: a
// sentence or two, longer than a label and shorter than a section.
func isStandfirstText(text string) bool {
	r := utf8.RuneCountInString(text)
	if r < minLeadRunes || r > maxLeadRunes || isDateLine(text) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?…\"”“«»)", last)
}

// withLead puts the standfirst before blocks unless they already hold it:
// the one that precedes root, or failing that headerLead, the standfirst of
// the article header the cleaner removed.
func withLead(root *html.Node, blocks []block, headerLead *html.Node) []block {
	l := findLead(root)
	if l == nil {
		l = headerLead
	}
	if l == nil {
		return blocks
	}
	lead := collectBlocks(l, nil)
	if len(lead) != 1 {
		return blocks // a header with several parts is not one standfirst
	}
	key := normKey(lead[0].text)
	for _, b := range blocks {
		if normKey(b.text) == key {
			return blocks
		}
	}
	lead[0].kind, lead[0].lead = atom.P, true
	return append(lead, blocks...)
}
