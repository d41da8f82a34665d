package extract

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A paywall in the page itself: a teaser, then a box that asks the reader
// to subscribe or log in to read on. Structured data often says nothing
// (isAccessibleForFree is missing on most sites), so the DOM is read too,
// before cleaning removes the box as furniture.
//
// The box is found by its class or id ("paywall", "regwall", "article--
// locked", …) or by its prompt ("Subscribe to continue reading", "Jetzt
// weiterlesen mit SPIEGEL+", "Nur für Abonnenten"), and only after the
// first paragraph of prose: boxes and prompts in a page header, a menu or
// a teaser list before the story say nothing about this article, and a box
// that holds long paragraphs is the full text hidden for a script, not a
// paywall.

var paywallClass = newClassWords(
	[]string{"paywall", "pay-wall", "regwall", "reg-wall", "registration-wall", "subscription-?wall", "subscriber-?wall",
		"abo-?wall", "premium-?wall", "metered-?wall"},
	[]string{"article-locked", "content-locked", "story-locked"})

// paywallPromptRe is matched against the lower-cased text of short blocks.
var paywallPromptRe = regexp.MustCompile(`to continue reading|continue reading with|` +
	`to (view|read|keep reading) the (full|whole|rest of the) (story|article)|` +
	`subscribe (now |today )?to (continue|read|keep reading|unlock|access)|` +
	`(for|exclusive to|only available to|reserved for) (paying |our )?(subscribers|members)|subscribers? only|` +
	`(article|story|content) is (only )?(for|available to) (subscribers|members)|unlock (this|the full) (article|story)|` +
	`(jetzt |direkt )?weiterlesen mit|lesen sie (jetzt )?weiter mit|nur für (abonnenten|abonnentinnen|abo-kunden|abonnierende)|` +
	`exklusiv für (abonnenten|abonnentinnen|abonnierende)|artikel freischalten|kostenlos registrieren und weiterlesen|` +
	`(abonnieren|registrieren|anmelden) sie sich,? um (diesen|den|den ganzen|den vollständigen) (artikel|beitrag) (vollständig |komplett )?zu lesen`)

// paywallGate holds literals one of which every paywallPromptRe match
// contains (FuzzPaywallGate checks it); the expression runs only on the
// blocks that hold one.
var paywallGate = []string{"continue reading", "the full", "the whole", "the rest of the", "subscri", "members",
	"unlock", "weiter mit", "weiterlesen mit", "abonn", "abo-kunden", "freischalten", "registrieren und", "sie sich"}

const (
	// minTeaserPara bytes: the paragraph of prose a paywall must follow.
	minTeaserPara = 80
	// minPaywallPrompt and maxPaywallPrompt bytes: a shorter block is a
	// label ("Subscriber only" on a teaser card), a longer one prose.
	minPaywallPrompt = 20
	maxPaywallPrompt = 300
	// maxPaywallBox bytes of text in a box; longer is content. So is a box
	// with a paragraph longer than maxBoxPara: the full text hidden for a
	// script to show to subscribers.
	maxPaywallBox = 1500
	maxBoxPara    = 150
	// minPaywallBox bytes of text: an empty placeholder a script fills says
	// nothing about what the page holds.
	minPaywallBox = 15
)

// findPaywall returns the first paywall box or prompt that follows a
// paragraph of prose in body, or nil.
func findPaywall(body *html.Node) *html.Node {
	if body == nil {
		return nil
	}
	seenProse := false
	var found *html.Node
	var runs []span
	var buf []byte // reused for the lower-cased text of small blocks
	var walk func(n *html.Node, depth int) bool
	walk = func(n *html.Node, depth int) bool {
		if depth > maxDepth {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Nav, atom.Footer, atom.Svg, atom.Head,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				// Headings label teaser cards ("Subscriber only") or
				// sections of content that is there ("subtitle regwalled").
				continue
			case atom.P:
				if textLen(c) >= minTeaserPara {
					seenProse = true
					continue
				}
			}
			if seenProse && isBlock(c) && c.DataAtom != atom.Li {
				// Only small blocks can be a box or a prompt; the count
				// stops beyond that, or the walk would be quadratic.
				if t := textLenUpTo(c, maxPaywallBox); t <= maxPaywallBox {
					if t > 0 && linkLen(c)*2 > t {
						continue // a teaser card for another story, locked or not
					}
					if ci := classID(c); ci != "" {
						runs = letterRuns(ci, runs[:0])
						if paywallClass.match(ci, runs) && t >= minPaywallBox && !hasLongParagraph(c, maxBoxPara) {
							found = c
							return true
						}
					}
					if t <= maxPaywallPrompt {
						// A small block is read as a whole: its text is the
						// prompt, spread over spans and buttons or not.
						if t >= minPaywallPrompt && isPaywallPrompt(c, &buf) {
							found = c
							return true
						}
						continue
					}
				}
			}
			if walk(c, depth+1) {
				return true
			}
		}
		return false
	}
	walk(body, 0)
	return found
}

// isPaywallPrompt reports whether the text of n is a paywall prompt. buf
// is scratch space for the gate check, which runs on every small block.
func isPaywallPrompt(n *html.Node, buf *[]byte) bool {
	*buf = appendLowerText((*buf)[:0], n)
	hit := false
	for _, g := range paywallGate {
		if bytes.Contains(*buf, []byte(g)) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	return paywallPromptRe.MatchString(strings.ToLower(textOf(n)))
}

// appendLowerText appends the text of n to b as textOf spaces it (block
// boundaries and whitespace runs become one space), ASCII letters
// lower-cased, so that the gate literals are found where the expression
// would match.
func appendLowerText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		for i := 0; i < len(n.Data); i++ {
			c := n.Data[i]
			switch {
			case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f':
				if len(b) > 0 && b[len(b)-1] != ' ' {
					b = append(b, ' ')
				}
				continue
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		return b
	case html.ElementNode:
		if (isBlock(n) || n.DataAtom == atom.Br) && len(b) > 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendLowerText(b, c)
	}
	return b
}

// textLenUpTo is textLen(n), counted only until it exceeds limit.
func textLenUpTo(n *html.Node, limit int) int {
	if n.Type == html.TextNode {
		return trimmedLen(n.Data)
	}
	t := 0
	for c := n.FirstChild; c != nil && t <= limit; c = c.NextSibling {
		t += textLenUpTo(c, limit-t)
	}
	return t
}
