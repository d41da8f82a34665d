package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// dropAtoms never hold article prose.
var dropAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Canvas: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Button: true, atom.Input: true, atom.Select: true,
	atom.Textarea: true, atom.Option: true, atom.Nav: true, atom.Dialog: true,
	atom.Menu: true, atom.Link: true, atom.Meta: true, atom.Audio: true, atom.Video: true,
	atom.Picture: true, atom.Img: true, atom.Figcaption: true, atom.Map: true,
	atom.Head: true, atom.Title: true, atom.Label: true, atom.Source: true,
}

// boilerClass matches class/id tokens of page furniture: sharing, related
// links, comments, ads, newsletters, consent banners, captions, bylines.
// Matching is on lower-cased class and id; guarded by a text-share check in
// clean so a body class such as "has-comments" cannot remove the article.
var boilerClass = newClassWords(boilerPrefixes, boilerWholes)

// boilerPrefixes are matched where a letter run starts: "related" also
// catches "relatedArticles", "related-links".
var boilerPrefixes = []string{"share", "sharing", "social", "related", "comment", "kommentar", "disqus", "newsletter", "cookie", "consent", "gdpr",
	"promo", "advert", "sponsor", "outbrain", "taboola", "breadcrumb", "sidebar", "subscri", "signup", "sign-up",
	"recommend", "popular", "trending", "most-?read", "more-?stories", "more-?news", "more-?posts", "more-?articles", "read-?more", "read-?next", "weiterlesen",
	"byline", "author-?bio", "author-?info", "author-?box", "caption", "copyright", "footer", "navbar", "navigation",
	"pagination", "newsfeed", "teaser-?list", "skip-?link", "visually-?hidden", "screen-?reader",
	"follow-?us", "donat", "reactions"}

// boilerWholes must be whole runs: "ad" must not match "head", "tags" not
// "stage". "cta" is a call to action (sign up, buy, subscribe).
var boilerWholes = []string{"ad", "ads", "adslot", "anzeige", "werbung", "tags", "tag-list", "keywords", "topics", "credit", "credits",
	"toolbar", "modal", "popup", "overlay", "banner", "sr-only", "masthead", "site-header", "header-nav", "nav", "menu",
	"pager", "rating", "feedback", "meta", "metadata", "article-meta", "post-meta", "entry-meta", "dateline", "timestamp",
	"print", "email", "player", "video", "audio", "podcast", "infobox", "factbox", "cta"}

// modalClass marks dialogs and account panels, which drop even when the
// element is an <article>: video and short-news pages carry login,
// registration and password dialogs whose text outweighs the story.
var modalClass = newClassWords([]string{"login", "registr", "password"}, []string{"modal", "dialog", "lightbox"})

// keepClass marks tokens that name the content itself; a node whose class
// says "article-body" stays even if another token looks like furniture.
var keepClass = newClassWords(nil, keepWholes)

var keepWholes = []string{"commentary", "article-?body", "articlebody", "story-?body", "post-?body",
	"entry-?content", "post-?content", "article-?content", "article-?text", "main-?content", "body-?text", "rich-?text",
	"richtext", "content-?body"}

var hiddenStyleRe = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)

// mayHide reports whether style holds "none" or "hidden" in any case, which
// every hiddenStyleRe match does; most inline styles do not, and the
// regexp is not run on them.
func mayHide(style string) bool {
	for i := 0; i+4 <= len(style); i++ {
		switch style[i] | 0x20 {
		case 'n':
			if strings.EqualFold(style[i:i+4], "none") {
				return true
			}
		case 'h':
			if i+6 <= len(style) && strings.EqualFold(style[i:i+6], "hidden") {
				return true
			}
		}
	}
	return false
}

// cleaner removes furniture from a parsed page before scoring.
type cleaner struct {
	bodyText int    // text length of the whole body, for the share guard
	runs     []span // reused buffer for the letter runs of a class string
	// headerLead is the standfirst of a removed article header, if any.
	headerLead *html.Node
}

// clean strips everything that cannot be article prose. It keeps a node that
// holds more than maxShare of the page's text even if its class looks like
// furniture, because on some sites the whole page wrapper carries such a class.
func (c *cleaner) clean(n *html.Node) {
	stripNonText(n)
	c.bodyText = textLen(n)
	c.furniture(n)
}

// stripNonText removes scripts, styles, media and comments, which never
// hold prose and would distort the text measures.
func stripNonText(n *html.Node) {
	var next *html.Node
	for ch := n.FirstChild; ch != nil; ch = next {
		next = ch.NextSibling
		switch ch.Type {
		case html.CommentNode, html.DoctypeNode:
			removeNode(ch)
		case html.ElementNode:
			if ch.DataAtom == atom.Script && inlineTemplate(ch) {
				next = ch.NextSibling
				removeNode(ch)
				continue
			}
			if dropAtoms[ch.DataAtom] {
				removeNode(ch)
			} else {
				stripNonText(ch)
			}
		}
	}
}

func (c *cleaner) furniture(n *html.Node) {
	var next *html.Node
	for ch := n.FirstChild; ch != nil; ch = next {
		next = ch.NextSibling
		switch ch.Type {
		case html.CommentNode, html.DoctypeNode:
			removeNode(ch)
			continue
		case html.ElementNode:
		default:
			continue
		}
		if c.drop(ch) {
			removeNode(ch)
			continue
		}
		c.furniture(ch)
	}
}

const maxShare = 0.35

func (c *cleaner) drop(n *html.Node) bool {
	if dropAtoms[n.DataAtom] {
		return true
	}
	if n.DataAtom == 0 && (strings.HasPrefix(n.Data, "amp-") && n.Data != "amp-story") {
		return n.Data != "amp-fit-text"
	}
	if isHidden(n) && !continuesProse(n) {
		return true
	}
	switch attr(n, "role") {
	case "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "menu", "menubar", "search", "toolbar",
		// Live notices ("Gemerkt!", "Bewertung entfernt") a script shows
		// for a moment.
		"status", "alert":
		return c.small(n)
	}
	if n.DataAtom == atom.Article || n.DataAtom == atom.Section {
		// An <article> is usually the story and passes the class rules
		// below; one whose class says it is a login or account dialog
		// ("login-modal", "password-message-modal") is not.
		if ci := layoutFree(classID(n)); ci != "" {
			runs := letterRuns(ci, c.runs[:0])
			c.runs = runs
			if modalClass.match(ci, runs) && !keepClass.match(ci, runs) {
				return c.small(n)
			}
		}
	}
	switch n.DataAtom {
	case atom.Aside, atom.Footer, atom.Form:
		return c.small(n)
	case atom.Header:
		if !c.small(n) || hasLongParagraph(n, 100) {
			return false
		}
		if c.headerLead == nil && hasDescendant(n, atom.H1) {
			// The article's own header goes, but its standfirst is kept
			// aside for withLead.
			c.headerLead = standfirstAfterH1(n)
		}
		return true
	case atom.Figure:
		return !hasLongParagraph(n, 200)
	case atom.Body, atom.Html, atom.Main, atom.Article, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Tr, atom.Td, atom.Th, atom.Tbody, atom.Thead:
		// Class rules target containers; a heading or table row whose id
		// happens to read "nav_…" is still prose.
		return false
	}
	ci := layoutFree(classID(n))
	if ci == "" || (isDatelineClass(ci) && inSentence(n)) {
		return false
	}
	runs := letterRuns(ci, c.runs[:0])
	c.runs = runs
	if !boilerClass.match(ci, runs) || keepClass.match(ci, runs) {
		return false
	}
	// Embedded posts ("social-media-embed" around a tweet) quote sources
	// the article cites; the quote is content.
	if (strings.Contains(ci, "embed") && hasDescendant(n, atom.Blockquote)) || hasEmbeddedPost(n) {
		return false
	}
	return c.small(n)
}

// isHidden reports whether n is hidden by its attributes or inline style.
func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	s := attr(n, "style")
	return s != "" && mayHide(s) && hiddenStyleRe.MatchString(s)
}

// minHiddenPara bytes: a hidden element holding a paragraph this long may
// be article text that a script reveals ("read more", the rest of a
// metered article, gallery steps).
const minHiddenPara = 150

// continuesProse reports whether hidden element n is article text held back
// for a script to reveal, rather than a dialog, a menu or a consent banner:
// it holds a long paragraph, and visible prose sits beside it (among its
// siblings or its parent's), as the teaser does before the rest of an
// article. Consent banners and modals hang off the page body, away from
// the story's paragraphs.
func continuesProse(n *html.Node) bool {
	switch attr(n, "role") {
	case "dialog", "alertdialog":
		return false
	}
	if attr(n, "aria-modal") == "true" || !hasLongParagraph(n, minHiddenPara) {
		return false
	}
	for level, a := 0, n; level < 2 && a.Parent != nil; level, a = level+1, a.Parent {
		for s := a.Parent.FirstChild; s != nil; s = s.NextSibling {
			if s == a || s.Type != html.ElementNode || isHidden(s) {
				continue
			}
			// A paragraph, or a block whose own children include one; not
			// a container somewhere below which one sits, or everything
			// beside the page's <main> would pass.
			if isProseBlock(s) {
				return true
			}
			for c := s.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && isProseBlock(c) {
					return true
				}
			}
		}
	}
	return false
}

// minParaForHidden bytes: the visible paragraph that must sit beside
// hidden prose.
const minParaForHidden = 100

func isProseBlock(n *html.Node) bool {
	return isBlock(n) && !isHidden(n) && !hasBlockDescendant(n) && textLen(n) > minParaForHidden
}

// small reports whether n holds less than maxShare of the page's text.
func (c *cleaner) small(n *html.Node) bool {
	if c.bodyText == 0 {
		return true
	}
	return float64(textLen(n)) < maxShare*float64(c.bodyText)
}

func textLen(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(strings.TrimSpace(n.Data))
	}
	t := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		t += textLen(ch)
	}
	return t
}

func hasLongParagraph(n *html.Node, min int) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode {
			continue
		}
		if ch.DataAtom == atom.P && textLen(ch) > min {
			return true
		}
		if hasLongParagraph(ch, min) {
			return true
		}
	}
	return false
}

// layoutFree drops class tokens that describe the page layout rather than
// the element ("has-sidebar", "with-comments", "content-with-sidebar-wrp").
//
// Modifiers of BEM elements ("TestReport__Section--Ads") are dropped too: they say what
// a block contains or how it looks, not what it is.
func layoutFree(ci string) string {
	if ci == "" || (!strings.Contains(ci, "has-") && !strings.Contains(ci, "with-") && !strings.Contains(ci, "no-") &&
		!strings.Contains(ci, "is-") && !strings.Contains(ci, "--")) {
		return ci
	}
	f := strings.Fields(ci)
	out := f[:0]
	for _, t := range f {
		if i := strings.Index(t, "--"); i > 0 && strings.Contains(t[:i], "__") {
			t = t[:i]
		}
		if strings.HasPrefix(t, "has-") || strings.HasPrefix(t, "with-") || strings.HasPrefix(t, "no-") ||
			strings.HasPrefix(t, "is-") || strings.Contains(t, "-with-") {
			continue
		}
		out = append(out, t)
	}
	return strings.Join(out, " ")
}

// inlineTemplate replaces a <script type="text/template"> holding article
// markup (Blogger renders posts this way) with the parsed markup, inserted
// before the script. It reports whether it did.
func inlineTemplate(s *html.Node) bool {
	if !strings.Contains(strings.ToLower(attr(s, "type")), "template") || s.FirstChild == nil || s.Parent == nil {
		return false
	}
	src := s.FirstChild.Data
	if len(src) < 200 || !strings.Contains(src, "<p") || !strings.HasPrefix(strings.TrimSpace(src), "<") {
		return false
	}
	nodes, err := html.ParseFragment(strings.NewReader(src), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return false
	}
	for _, n := range nodes {
		s.Parent.InsertBefore(n, s)
		stripNonText(n)
	}
	return true
}

func hasDescendant(n *html.Node, a atom.Atom) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == a || hasDescendant(ch, a)) {
			return true
		}
	}
	return false
}

// hasEmbeddedPost reports whether n holds a quoted social-media post
// (<blockquote class="twitter-tweet">, "instagram-media", …).
func hasEmbeddedPost(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type != html.ElementNode {
			continue
		}
		if ch.DataAtom == atom.Blockquote {
			c := strings.ToLower(attr(ch, "class"))
			if strings.Contains(c, "tweet") || strings.Contains(c, "instagram") || strings.Contains(c, "tiktok") || strings.Contains(c, "post") {
				return true
			}
		}
		if hasEmbeddedPost(ch) {
			return true
		}
	}
	return false
}

// isDatelineClass reports whether the lower-cased class/id ci names an
// inline element that opens a news paragraph with its place; credits and
// bylines in a paragraph are still furniture.
func isDatelineClass(ci string) bool {
	return strings.Contains(ci, "dateline") || strings.Contains(ci, "location") || strings.Contains(ci, "place")
}

// inSentence reports whether n is an inline element that opens or sits in
// a paragraph's running text, such as the dateline span in "<p><span
// class=dateline>KOBE –</span> A total of …": class rules target
// containers, and cutting such a span cuts the sentence.
func inSentence(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Span, atom.Strong, atom.B, atom.Em, atom.I:
	default:
		return false
	}
	if n.Parent == nil || n.Parent.DataAtom != atom.P {
		return false
	}
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.TextNode && len(strings.TrimSpace(s.Data)) > 20 {
			return true
		}
	}
	return false
}
