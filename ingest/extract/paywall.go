package extract

import (
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
// contains.
var paywallGate = []string{"continue reading", "subscri", "member", "unlock", "weiterlesen", "weiter mit", "abonn", "abo-",
	"freischalten", "zu lesen", "to view", "to read", "keep reading"}

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
				t := textLen(c)
				if t > 0 && linkLen(c)*2 > t {
					// A teaser card for another story, locked or not.
					continue
				}
				if ci := classID(c); ci != "" {
					runs = letterRuns(ci, runs[:0])
					if paywallClass.match(ci, runs) && t >= minPaywallBox && t <= maxPaywallBox && !hasLongParagraph(c, maxBoxPara) {
						found = c
						return true
					}
				}
				if t <= maxPaywallPrompt {
					// A small block is read as a whole: its text is the
					// prompt, spread over spans and buttons or not.
					if t >= minPaywallPrompt && isPaywallPrompt(c) {
						found = c
						return true
					}
					continue
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

func isPaywallPrompt(n *html.Node) bool {
	t := strings.ToLower(textOf(n))
	for _, g := range paywallGate {
		if strings.Contains(t, g) {
			return paywallPromptRe.MatchString(t)
		}
	}
	return false
}
