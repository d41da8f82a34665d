// Package extract turns an article page (raw bytes, any charset) into its
// main text and metadata. It is built on goquery: per-site rules first,
// structured data (JSON-LD, og:/article: meta) next, a generic scorer last.
//
// Extract never panics on hostile input, caps what it reads, and returns
// ErrNoArticle for pages that hold no article (a homepage, a 404 page,
// binary data). Result.Text never contains the title; Result.HTML (filled
// when Options.HTML asks for it) is sanitized and safe to embed.
//
// The pipeline of one Extract call:
//
//  1. decode: BOM, then valid UTF-8, then the HTTP header, then <meta
//     charset>, then windows-1252 (charset.go);
//  2. metadata from JSON-LD, og:/article:/twitter:/Dublin Core meta, <link
//     rel=canonical>, <html lang> (jsonld.go, meta.go);
//  3. content: the site rule's body selector if one matches the host
//     (rules.go, builtin.go), else the generic scorer over a cleaned DOM
//     (clean.go, generic.go), rendered to paragraph blocks (render.go) and
//     filtered for furniture (filter.go);
//  4. reconciliation with the JSON-LD articleBody (ldbody.go);
//     paywall boxes after the teaser set Paywalled and Truncated (paywall.go);
//  5. with Options.HTML, sanitized HTML from the same blocks (sanitize.go).
//
// Quality and speed are measured against the scrapinghub benchmark,
// trafilatura's evaluation pages and Readability's test pages by
// TestCorpus and BenchmarkExtractCorpus (see corpus_test.go, bench_test.go).
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// ErrNoArticle means the page holds no recognisable article.
var ErrNoArticle = errors.New("extract: no article found")

// ShortError is the ErrNoArticle of a page whose main text is shorter
// than min_text_runes, such as a video or a picture page. Description is
// the page's own summary of itself (og:, twitter: or meta description),
// which a caller may let stand in for the text; it is "" when the page
// has none.
type ShortError struct {
	Runes, Min  int
	Description string
}

func (e *ShortError) Error() string {
	return fmt.Sprintf("%v: %d characters of text, fewer than %d", ErrNoArticle, e.Runes, e.Min)
}

// Is makes errors.Is(err, ErrNoArticle) hold for a ShortError.
func (e *ShortError) Is(target error) bool { return target == ErrNoArticle }

const (
	// DefaultMaxBytes caps how much of a page is parsed.
	DefaultMaxBytes = 5 << 20
	// minHomepageCards teaser cards on an og:type=website page make it a
	// front page.
	minHomepageCards = 3
	// maxHomepageText bytes: a longer text on such a page is an article after all.
	maxHomepageText = 1000
	// DefaultMinTextRunes is the shortest text accepted as an article.
	DefaultMinTextRunes = 120
)

// Options configure an Extractor. In YAML:
//
//	max_bytes: 5242880        # bytes of a page parsed; the rest is cut and Result.Truncated set
//	min_text_runes: 120       # shorter texts are ErrNoArticle
//	no_builtin_rules: false   # true disables BuiltinRules
//	rules:                    # tried before the built-in rules
//	  - hosts: [example.org]
//	    body: "div.article-body"
//	    title: "h1"
//	    date: "time[datetime]"
//	    author: ".byline a"
//	    drop: [".promo", "aside"]
type Options struct {
	MaxBytes     int64      `yaml:"max_bytes"`
	MinTextRunes int        `yaml:"min_text_runes"`
	Rules        []SiteRule `yaml:"rules"`
	// NoBuiltinRules disables the built-in rules for known outlets.
	NoBuiltinRules bool `yaml:"no_builtin_rules"`
	// HTML also fills Result.HTML. Rendering and sanitizing it was 7 % of
	// the CPU time of an extraction (BenchmarkExtractCorpus/newsdesk), and
	// ingest publishes only the text, so it is off unless a caller asks
	// (`newsdesk extract --json`).
	HTML bool `yaml:"-"`
}

// Defaults fills zero fields with the Default… constants.
func (o *Options) Defaults() {
	if o.MaxBytes == 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MinTextRunes == 0 {
		o.MinTextRunes = DefaultMinTextRunes
	}
}

// Validate checks limits and that every rule's selectors parse.
func (o Options) Validate() error {
	if o.MaxBytes <= 0 {
		return fmt.Errorf("extract: max_bytes %d must be positive", o.MaxBytes)
	}
	if o.MinTextRunes < 0 {
		return fmt.Errorf("extract: min_text_runes %d is negative", o.MinTextRunes)
	}
	for i, r := range o.Rules {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("extract: rules[%d]: %w", i, err)
		}
	}
	return nil
}

// SiteRule is a per-site extraction rule, matched on the page's host.
type SiteRule struct {
	Hosts  []string `yaml:"hosts"`  // "heise.de" matches www.heise.de too
	Body   string   `yaml:"body"`   // CSS selector of the article body
	Title  string   `yaml:"title"`  // CSS selector
	Date   string   `yaml:"date"`   // CSS selector; datetime attribute or text
	Author string   `yaml:"author"` // CSS selector
	Drop   []string `yaml:"drop"`   // CSS selectors removed before extraction
}

// Result is what Extract finds.
type Result struct {
	Title        string    `json:"title"`
	Text         string    `json:"text"`           // paragraphs separated by "\n\n"; title not included
	HTML         string    `json:"html,omitempty"` // sanitized HTML of the main content, with Options.HTML
	Authors      []string  `json:"authors,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Language     string    `json:"language,omitempty"` // declared by the page (html lang, og:locale), primary subtag
	CanonicalURL string    `json:"canonical_url,omitempty"`
	SiteName     string    `json:"site_name,omitempty"`
	Image        string    `json:"image,omitempty"`
	Paywalled    bool      `json:"paywalled,omitempty"` // structured data or a paywall box in the page (paywall.go) says so
	Truncated    bool      `json:"truncated,omitempty"` // input was cut at MaxBytes, a paywall box follows the text, or it looks cut off
	Method       string    `json:"method"`              // "rule", "jsonld", "generic"
	Charset      string    `json:"charset,omitempty"`   // encoding the page was decoded from
}

// Extractor is safe for concurrent use.
type Extractor struct {
	opts  Options
	rules []*compiledRule
	san   *Sanitizer
}

// New builds an Extractor. User rules take precedence over built-in ones.
func New(opts Options) (*Extractor, error) {
	opts.Defaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	e := &Extractor{opts: opts, san: NewSanitizer()}
	all := opts.Rules
	if !opts.NoBuiltinRules {
		all = append(append([]SiteRule{}, opts.Rules...), BuiltinRules()...)
	}
	for i, r := range all {
		cr, err := compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("extract: rule %d: %w", i, err)
		}
		e.rules = append(e.rules, cr)
	}
	return e, nil
}

// Extract parses raw (decoded from the charset named by contentType, a BOM
// or <meta charset>) and returns the article. pageURL resolves relative
// links and selects site rules; it may be nil.
func (e *Extractor) Extract(raw []byte, pageURL *url.URL, contentType string) (*Result, error) {
	capped := false
	if int64(len(raw)) > e.opts.MaxBytes {
		raw, capped = raw[:e.opts.MaxBytes], true
	}
	text, cs := decode(raw, contentType)
	if looksBinary(text) {
		return nil, fmt.Errorf("%w: content is binary, not HTML", ErrNoArticle)
	}
	root, err := html.Parse(bytes.NewReader(text))
	if err != nil {
		// x/net/html refuses pathological nesting; such a page has no
		// article we could render anyway.
		return nil, fmt.Errorf("%w: parse: %w", ErrNoArticle, err)
	}
	doc := goquery.NewDocumentFromNode(root)
	pn := scanPage(root)
	paywall := findPaywall(pn.body) // before content() cleans the box away
	ld := parseJSONLD(pn.ldScripts)
	pm := readMeta(pn, ld, pageURL)

	res := &Result{
		Title: pm.title, Authors: pm.authors, Published: pm.published, Modified: pm.modified,
		Language: pm.lang, CanonicalURL: pm.canonical, SiteName: pm.siteName, Image: pm.image,
		Paywalled: pm.paywalled || paywall != nil, Charset: cs,
	}
	var rule *compiledRule
	if pageURL != nil {
		rule = e.ruleFor(pageURL.Hostname())
	}
	blocks, method, cards := e.content(doc, pn.body, rule, res)
	blocks, method = useJSONLD(blocks, method, ld, pm.description)
	res.Method = method
	parts := make([]string, 0, len(blocks))
	for _, b := range blocks {
		parts = append(parts, b.text)
	}
	res.Text = strings.Join(parts, "\n\n")
	if n := utf8.RuneCountInString(res.Text); n < e.opts.MinTextRunes {
		return nil, &ShortError{Runes: n, Min: e.opts.MinTextRunes, Description: pm.description}
	}
	if looksLikeNoArticle(pageURL, pm, ld, res, cards) {
		return nil, fmt.Errorf("%w: page looks like a homepage or an error page", ErrNoArticle)
	}
	if e.opts.HTML {
		res.HTML = e.san.Sanitize(blocksHTML(blocks, pageURL))
	}
	// A paywall box after the teaser cuts the text, unless the text came
	// whole from articleBody.
	res.Truncated = capped || (paywall != nil && method != "jsonld") || (res.Paywalled && looksCut(res.Text))
	return res, nil
}

func (e *Extractor) ruleFor(host string) *compiledRule {
	for _, r := range e.rules {
		if r.matches(host) {
			return r
		}
	}
	return nil
}

// content finds the article's blocks: through the site rule's body selector
// when it matches, else through the generic scorer.
// It also reports how many teaser cards the page holds.
func (e *Extractor) content(doc *goquery.Document, bn *html.Node, rule *compiledRule, res *Result) ([]block, string, int) {
	if rule != nil {
		applyRuleMeta(doc, rule, res)
		for _, d := range rule.drop {
			doc.FindMatcher(d).Each(func(_ int, s *goquery.Selection) { s.Remove() })
		}
		if rule.body != nil {
			if bs := ruleBlocks(doc, rule, res.Title, res.Authors); len(bs) > 0 {
				return bs, "rule", 0
			}
		}
	}
	if bn == nil {
		return nil, "generic", 0
	}
	c := &cleaner{}
	c.clean(bn)
	rootNode, cards := findRoot(bn)
	if rootNode == nil {
		return nil, "generic", 0
	}
	return filterBlocks(withLead(rootNode, collectBlocks(rootNode, cards), c.headerLead), res.Title, res.Authors), "generic", len(cards)
}

func ruleBlocks(doc *goquery.Document, rule *compiledRule, title string, authors []string) []block {
	var out []block
	doc.FindMatcher(rule.body).Each(func(_ int, s *goquery.Selection) {
		n := s.Get(0)
		c := &cleaner{}
		c.clean(n)
		out = append(out, collectBlocks(n, nil)...)
	})
	return filterBlocks(out, title, authors)
}

func applyRuleMeta(doc *goquery.Document, rule *compiledRule, res *Result) {
	if rule.title != nil {
		if t := collapse(doc.FindMatcher(rule.title).First().Text()); t != "" {
			res.Title = t
		}
	}
	if rule.date != nil {
		s := doc.FindMatcher(rule.date).First()
		v, ok := s.Attr("datetime")
		if !ok {
			v, ok = s.Attr("content")
		}
		if !ok {
			v = s.Text()
		}
		if t := parseDate(v); !t.IsZero() {
			res.Published = t
		}
	}
	if rule.author != nil {
		var as []string
		doc.FindMatcher(rule.author).Each(func(_ int, s *goquery.Selection) {
			as = append(as, splitAuthors(collapse(s.Text()))...)
		})
		if as = cleanAuthors(as); len(as) > 0 {
			res.Authors = as
		}
	}
}

// looksLikeNoArticle catches homepages and error pages that still carry
// enough prose to pass the length check.
func looksLikeNoArticle(u *url.URL, pm pageMeta, ld ldArticle, res *Result, cards int) bool {
	if ld.Found || pm.ogType == "article" {
		return false
	}
	// A page that calls itself a website and is built of teaser cards is a
	// front or section page.
	if pm.ogType == "website" && cards >= minHomepageCards && len(res.Text) < maxHomepageText {
		return true
	}
	if u != nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
		return true
	}
	t := strings.ToLower(res.Title)
	if len(res.Text) < 1500 && (strings.Contains(t, "404") || strings.Contains(t, "not found") ||
		strings.Contains(t, "nicht gefunden") || strings.Contains(t, "page not available")) {
		return true
	}
	return false
}

// looksCut reports whether text seems to stop mid-article.
func looksCut(text string) bool {
	t := strings.TrimSpace(text)
	if len(t) < 1500 {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return !strings.ContainsRune(".!?\"'”“«»)…", last)
}
