package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	minLDBody     = 200 // bytes; shorter articleBody values are teasers
	ldCoverFull   = 0.9 // DOM holds this share of articleBody words: DOM found the article
	ldCoverFailed = 0.5 // DOM holds less than this share: DOM missed the article
	ldMinShare    = 0.7 // articleBody with fewer words than this share of the DOM text is an excerpt
	ldBlockKeep   = 0.5 // a DOM block with less of its words in articleBody is furniture
)

// useJSONLD reconciles the DOM blocks with the JSON-LD articleBody, which
// publishers fill from their CMS and which therefore holds the article
// without furniture, but often without paragraph breaks or cut short.
//
// When the DOM blocks contain the articleBody, blocks whose words are not in
// it (bios, teasers, promos) are dropped. When the DOM missed most of it, the
// articleBody itself becomes the text, after the DOM's standfirst when the
// page's description opens one.
func useJSONLD(blocks []block, method string, ld ldArticle, description string) ([]block, string) {
	body := ldText(ld.Body)
	if len(body) < minLDBody {
		return blocks, method
	}
	ldWords := wordSet(body)
	domWords := map[string]bool{}
	domCount := 0
	for _, b := range blocks {
		for _, w := range words(b.text) {
			domWords[strings.ToLower(w)] = true
			domCount++
		}
	}
	covered := 0
	for w := range ldWords {
		if domWords[w] {
			covered++
		}
	}
	cover := float64(covered) / float64(len(ldWords))
	ldCount := len(words(body))
	switch {
	case cover >= ldCoverFull && float64(ldCount) >= ldMinShare*float64(domCount):
		out := blocks[:0:0]
		for _, b := range blocks {
			ws := words(b.text)
			in := 0
			for _, w := range ws {
				if ldWords[strings.ToLower(w)] {
					in++
				}
			}
			if len(ws) < 4 || float64(in) >= ldBlockKeep*float64(len(ws)) {
				out = append(out, b)
			}
		}
		return trimEdges(out), method
	case cover < ldCoverFailed && ldCount > domCount:
		// articleBody rarely holds the standfirst: keep the DOM's, the
		// block before the text articleBody has that the page's
		// description opens (an author's note or a teaser would not).
		bodyKey, descKey := normKey(body), normKey(description)
		for _, b := range blocks {
			k := normKey(b.text)
			if k == "" || strings.Contains(bodyKey, k) {
				break
			}
			if len(descKey) >= minLeadRunes && strings.HasPrefix(k, descKey[:minLeadRunes]) && isStandfirstText(b.text) {
				return append([]block{b}, textBlocks(body)...), "jsonld"
			}
		}
		return textBlocks(body), "jsonld"
	}
	return blocks, method
}

// ldText turns an articleBody value (plain text, sometimes HTML or escaped
// HTML) into plain text with paragraphs on separate lines.
func ldText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if strings.Contains(s, "<") || strings.Contains(s, "&") {
		nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
		if err == nil {
			var b strings.Builder
			for _, n := range nodes {
				inlineText(&b, n, false)
			}
			s = b.String()
		}
	}
	return strings.TrimSpace(s)
}

// textBlocks splits plain text into paragraph blocks on line breaks.
func textBlocks(s string) []block {
	var out []block
	for _, p := range strings.Split(s, "\n") {
		if p = collapse(p); p != "" {
			out = append(out, block{kind: atom.P, text: p, nodes: []*html.Node{{Type: html.TextNode, Data: p}}})
		}
	}
	return out
}

// words splits s into words the way Python's Unicode \w+ does (and the
// benchmarks' scorers with it): runs of letters, marks, digits and
// connector punctuation. A loop over the Unicode tables, because the
// equivalent regexp was a tenth of the time spent outside parsing.
func words(s string) []string {
	var out []string
	start := -1
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.Nd, unicode.Nl, unicode.No, unicode.Pc)
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}
