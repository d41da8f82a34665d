// Package extract turns an article page (raw bytes, any charset) into its
// main text and metadata. It is built on goquery: per-site rules first,
// structured data (JSON-LD, og:/article: meta) next, a generic scorer last.
//
// Extract never panics on hostile input, caps what it reads, and returns
// ErrNoArticle for pages that hold no article (a homepage, a 404 page).
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// ErrNoArticle means the page holds no recognisable article.
var ErrNoArticle = errors.New("extract: no article found")

// DefaultMaxBytes caps how much of a page is parsed.
const DefaultMaxBytes = 5 << 20

// Options configure an Extractor.
type Options struct {
	MaxBytes int64      `yaml:"max_bytes"`
	Rules    []SiteRule `yaml:"rules"`
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
	Text         string    `json:"text"` // paragraphs separated by "\n\n"; title not included
	HTML         string    `json:"html"` // sanitized HTML of the main content
	Authors      []string  `json:"authors,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Language     string    `json:"language,omitempty"` // declared by the page (html lang, og:locale)
	CanonicalURL string    `json:"canonical_url,omitempty"`
	SiteName     string    `json:"site_name,omitempty"`
	Image        string    `json:"image,omitempty"`
	Paywalled    bool      `json:"paywalled,omitempty"`
	Truncated    bool      `json:"truncated,omitempty"`
	Method       string    `json:"method"` // "rule", "jsonld", "generic"
}

// Extractor is safe for concurrent use.
type Extractor struct {
	opts Options
}

// New builds an Extractor.
func New(opts Options) (*Extractor, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	return &Extractor{opts: opts}, nil
}

// Extract parses raw (decoded from the charset named by contentType, a BOM
// or <meta charset>) and returns the article. pageURL resolves relative
// links and selects site rules; it may be nil.
func (e *Extractor) Extract(raw []byte, pageURL *url.URL, contentType string) (*Result, error) {
	if int64(len(raw)) > e.opts.MaxBytes {
		raw = raw[:e.opts.MaxBytes]
	}
	r, err := charset.NewReader(bytes.NewReader(raw), contentType)
	if err != nil {
		return nil, fmt.Errorf("extract: charset: %w", err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("extract: parse: %w", err)
	}
	// Placeholder generic extraction: the paragraphs of <article> or <body>.
	// The real extractor replaces this.
	root := doc.Find("article").First()
	if root.Length() == 0 {
		root = doc.Find("body")
	}
	var paras []string
	root.Find("p").Each(func(_ int, s *goquery.Selection) {
		if t := strings.Join(strings.Fields(s.Text()), " "); t != "" {
			paras = append(paras, t)
		}
	})
	if len(paras) == 0 {
		return nil, ErrNoArticle
	}
	res := &Result{
		Title:  strings.TrimSpace(doc.Find("title").First().Text()),
		Text:   strings.Join(paras, "\n\n"),
		Method: "generic",
	}
	res.Language, _ = doc.Find("html").Attr("lang")
	if href, ok := doc.Find(`link[rel="canonical"]`).Attr("href"); ok && pageURL != nil {
		if u, err := pageURL.Parse(href); err == nil {
			res.CanonicalURL = u.String()
		}
	}
	return res, nil
}
