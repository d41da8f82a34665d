package extract

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// Sanitizer makes extracted HTML safe to show in an email, a feed or a page:
// text structure (paragraphs, headings, lists, quotes, code) and http(s) or
// mailto links survive; scripts, styles, event handlers, forms, media and
// every other attribute are removed. Safe for concurrent use.
type Sanitizer struct {
	policy *bluemonday.Policy
}

// NewSanitizer builds the allow-list policy.
func NewSanitizer() *Sanitizer {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
		"pre", "code", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "q",
		"cite", "abbr", "mark", "small", "dl", "dt", "dd")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	// Links whose href was dropped become plain text instead of bare <a>.
	p.AllowElements("a")
	return &Sanitizer{policy: p}
}

var emptyParaRe = regexp.MustCompile(`<(p|li|h[2-6]|blockquote)>\s*</(p|li|h[2-6]|blockquote)>\s*`)

// Sanitize returns s with everything outside the policy removed.
func (z *Sanitizer) Sanitize(s string) string {
	out := z.policy.Sanitize(s)
	return emptyParaRe.ReplaceAllString(out, "")
}
