package sample

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// site holds the outlets, article sources, feed files, page templates and
// images. It is read-only package data.
//
//go:embed site
var site embed.FS

// basePlaceholder stands for scheme://host in the stored feeds; it is
// replaced with the requesting host's base URL when a feed is served.
const basePlaceholder = "{{BASE}}"

// Feed describes one bundled feed.
type Feed struct {
	ID       string // subject-token-safe outlet id, e.g. "techblatt"
	Name     string // display name of the outlet, e.g. "Techblatt"
	Path     string // URL path of the feed, e.g. "/feeds/techblatt.xml"
	Language string // "de" or "en"
	Format   string // "rss", "atom" or "json"
}

// Article describes one bundled article page and what a perfect extractor
// would recover from it.
type Article struct {
	Path      string // URL path of the page, e.g. "/articles/techblatt/qwen4-offene-gewichte.html"
	Outlet    string // outlet id, see Feed.ID
	Language  string // "de" or "en"
	Title     string
	Author    string
	Published time.Time
	// Text is the main text as plain paragraphs separated by "\n\n",
	// without title, byline, captions, boxes or other page furniture.
	Text string
	// Description is the short teaser the outlet's feed carries.
	Description string
	// OnTopic reports whether the article belongs to the default topic
	// (the China–US race in AI); topic scoring should drop the others.
	OnTopic bool
	// Story is a key shared by all articles that report the same event,
	// whatever the outlet or language.
	Story string
}

// Feeds lists the bundled feeds, one per outlet, in a stable order.
func Feeds() []Feed {
	c := mustCatalog()
	out := make([]Feed, 0, len(c.outlets))
	for _, o := range c.outlets {
		out = append(out, Feed{ID: o.ID, Name: o.Name, Path: o.Feed, Language: o.Language, Format: o.Format})
	}
	return out
}

// Articles lists the bundled articles in order of publication.
func Articles() []Article {
	c := mustCatalog()
	out := make([]Article, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, Article{
			Path:        e.path,
			Outlet:      e.outlet.ID,
			Language:    e.outlet.Language,
			Title:       e.Title,
			Author:      e.Author,
			Published:   e.Published,
			Text:        strings.Join(e.paras, "\n\n"),
			Description: e.Description,
			OnTopic:     *e.OnTopic,
			Story:       e.Story,
		})
	}
	return out
}

// outlet is one fictional publication, from site/outlets.yaml.
type outlet struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name"`
	Language string `yaml:"language"`
	// Charset is the encoding of the outlet's pages and feed: "utf-8" or
	// "iso-8859-1".
	Charset string `yaml:"charset"`
	Feed    string `yaml:"feed"`
	Format  string `yaml:"format"`
	// JSONLD selects the structured data on article pages: "" (none),
	// "meta" (NewsArticle without articleBody), "body" (with articleBody)
	// or "graph" (an @graph holding a NewsArticle with articleBody).
	JSONLD  string `yaml:"jsonld"`
	Tagline string `yaml:"tagline"`
}

// entry is one article source file, site/articles/<outlet>/<slug>.yaml.
type entry struct {
	Title       string    `yaml:"title"`
	Description string    `yaml:"description"`
	Author      string    `yaml:"author"`
	Section     string    `yaml:"section"`
	Published   time.Time `yaml:"published"`
	Modified    time.Time `yaml:"modified"`
	Story       string    `yaml:"story"`
	OnTopic     *bool     `yaml:"on_topic"` // pointer so that a missing field is an error
	Image       string    `yaml:"image"`
	Caption     string    `yaml:"caption"`
	Credit      string    `yaml:"credit"`
	Tags        []string  `yaml:"tags"`
	Text        string    `yaml:"text"`

	outlet *outlet
	slug   string
	path   string
	paras  []string
}

// updated is when the page last changed, for Last-Modified.
func (e *entry) updated() time.Time {
	if e.Modified.After(e.Published) {
		return e.Modified
	}
	return e.Published
}

// feedFile is one stored feed with {{BASE}} placeholders.
type feedFile struct {
	outlet *outlet
	body   []byte
}

type catalog struct {
	outlets []*outlet
	entries []*entry // by publication time
	byPath  map[string]*entry
	feeds   map[string]feedFile // by URL path
	images  map[string][]byte   // by URL path
	pages   map[string]*template.Template
}

func mustCatalog() *catalog {
	c, err := loadCatalog()
	if err != nil {
		panic("sample: embedded site is broken: " + err.Error())
	}
	return c
}

// loadCatalog reads and checks everything under site/.
func loadCatalog() (*catalog, error) {
	c := &catalog{
		byPath: map[string]*entry{},
		feeds:  map[string]feedFile{},
		images: map[string][]byte{},
		pages:  map[string]*template.Template{},
	}
	if err := c.loadOutlets(); err != nil {
		return nil, err
	}
	if err := c.loadImages(); err != nil {
		return nil, err
	}
	if err := c.loadEntries(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *catalog) loadOutlets() error {
	raw, err := site.ReadFile("site/outlets.yaml")
	if err != nil {
		return fmt.Errorf("read outlets: %w", err)
	}
	if err := decodeStrict(raw, &c.outlets); err != nil {
		return fmt.Errorf("outlets.yaml: %w", err)
	}
	seen := map[string]bool{}
	for _, o := range c.outlets {
		if err := o.validate(); err != nil {
			return fmt.Errorf("outlet %q: %w", o.ID, err)
		}
		if seen[o.ID] {
			return fmt.Errorf("outlet %q listed twice", o.ID)
		}
		seen[o.ID] = true
		body, err := site.ReadFile("site" + o.Feed)
		if err != nil {
			return fmt.Errorf("outlet %s: feed: %w", o.ID, err)
		}
		c.feeds[o.Feed] = feedFile{outlet: o, body: body}
		t, err := template.New(o.ID+".html").Funcs(templateFuncs()).ParseFS(site, "site/templates/"+o.ID+".html")
		if err != nil {
			return fmt.Errorf("outlet %s: template: %w", o.ID, err)
		}
		c.pages[o.ID] = t
	}
	return nil
}

func (o *outlet) validate() error {
	var errs []error
	if !tokenSafe(o.ID) {
		errs = append(errs, fmt.Errorf("id %q is not a subject token (a-z0-9-_)", o.ID))
	}
	if o.Name == "" {
		errs = append(errs, errors.New("missing name"))
	}
	if o.Language != "de" && o.Language != "en" {
		errs = append(errs, fmt.Errorf("language %q, want de or en", o.Language))
	}
	if o.Charset != "utf-8" && o.Charset != "iso-8859-1" {
		errs = append(errs, fmt.Errorf("charset %q, want utf-8 or iso-8859-1", o.Charset))
	}
	wantExt := map[string]string{"rss": ".xml", "atom": ".xml", "json": ".json"}[o.Format]
	if wantExt == "" {
		errs = append(errs, fmt.Errorf("format %q, want rss, atom or json", o.Format))
	} else if o.Feed != "/feeds/"+o.ID+wantExt {
		errs = append(errs, fmt.Errorf("feed path %q, want /feeds/%s%s", o.Feed, o.ID, wantExt))
	}
	if !slices.Contains([]string{"", "meta", "body", "graph"}, o.JSONLD) {
		errs = append(errs, fmt.Errorf("jsonld %q, want empty, meta, body or graph", o.JSONLD))
	}
	return errors.Join(errs...)
}

func (c *catalog) loadImages() error {
	names, err := fs.Glob(site, "site/images/*.svg")
	if err != nil {
		return fmt.Errorf("list images: %w", err)
	}
	for _, name := range names {
		body, err := site.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		c.images[strings.TrimPrefix(name, "site")] = body
	}
	return nil
}

func (c *catalog) loadEntries() error {
	for _, o := range c.outlets {
		names, err := fs.Glob(site, "site/articles/"+o.ID+"/*.yaml")
		if err != nil {
			return fmt.Errorf("list articles of %s: %w", o.ID, err)
		}
		for _, name := range names {
			e, err := c.loadEntry(o, name)
			if err != nil {
				return fmt.Errorf("%s: %w", strings.TrimPrefix(name, "site/"), err)
			}
			c.entries = append(c.entries, e)
			c.byPath[e.path] = e
		}
	}
	slices.SortStableFunc(c.entries, func(a, b *entry) int { return a.Published.Compare(b.Published) })
	return nil
}

func (c *catalog) loadEntry(o *outlet, name string) (*entry, error) {
	raw, err := site.ReadFile(name)
	if err != nil {
		return nil, err
	}
	e := &entry{outlet: o, slug: strings.TrimSuffix(path.Base(name), ".yaml")}
	if err := decodeStrict(raw, e); err != nil {
		return nil, err
	}
	e.path = "/articles/" + o.ID + "/" + e.slug + ".html"
	e.paras = paragraphs(e.Text)
	var errs []error
	for _, f := range []struct{ name, v string }{{"title", e.Title}, {"description", e.Description},
		{"author", e.Author}, {"section", e.Section}, {"story", e.Story}, {"image", e.Image}, {"caption", e.Caption}} {
		if strings.TrimSpace(f.v) == "" {
			errs = append(errs, fmt.Errorf("missing %s", f.name))
		}
	}
	if e.Published.IsZero() {
		errs = append(errs, errors.New("missing published"))
	}
	if e.OnTopic == nil {
		errs = append(errs, errors.New("missing on_topic"))
	}
	if len(e.paras) < 3 {
		errs = append(errs, fmt.Errorf("%d paragraphs, want at least 3", len(e.paras)))
	}
	if _, ok := c.images["/images/"+e.Image]; !ok {
		errs = append(errs, fmt.Errorf("image %q not in site/images", e.Image))
	}
	if strings.Contains(e.Text, "{{") || strings.Contains(e.Title, "{{") {
		errs = append(errs, errors.New("text contains a template placeholder"))
	}
	return e, errors.Join(errs...)
}

// paragraphs splits YAML block text on blank (or whitespace-only) lines
// and unwraps each paragraph, so sources can be wrapped at any width.
func paragraphs(text string) []string {
	var out, cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			flush()
			continue
		}
		cur = append(cur, words...)
	}
	flush()
	return out
}

func decodeStrict(raw []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// tokenSafe reports whether s can be a NATS subject token and KV key part.
func tokenSafe(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
