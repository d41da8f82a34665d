package publish

import (
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

// shared is what every part of the stage uses: its configuration, the
// languages' words, the logger, the clock, the metrics and the public base
// URL. The stage and each of its outputs hold one pointer to it.
type shared struct {
	cfg   *Config
	langs *lang.Registry
	log   *slog.Logger
	clock clockwork.Clock
	met   *metrics
	base  *url.URL
}

// now is the stage's clock's time.
func (s *shared) now() time.Time { return s.clock.Now() }

// url joins a path to base_url.
func (s *shared) url(path string) string { return s.base.String() + path }

func archivePath(lang string) string      { return "/archive/" + lang + "/" }
func digestPath(lang, slug string) string { return "/archive/" + lang + "/" + slug + ".html" }
func feedPath(lang, ext string) string    { return "/feeds/" + lang + "." + ext }

// archiveRoot is the archive's front page, which lists every language.
const archiveRoot = "/archive/index.html"

// ArchiveIndexFile is the archive's front page, relative to out_dir.
const ArchiveIndexFile = "archive/index.html"

// DigestFile is d's archive page, relative to out_dir
// ("archive/de/2026-11-29-daily.html").
func DigestFile(d news.Digest) string {
	return strings.TrimPrefix(digestPath(d.Language, slug(d)), "/")
}

// linker writes the links of one page. Pages only the HTTP server answers
// (the front page, form answers) link absolutely under base_url; the
// files in out_dir link relative to their own path, so the archive and
// its feeds can be read from the directory (file://) as well as from the
// site. Mails and feeds always link absolutely (s.url).
type linker struct {
	base string // base_url: absolute links; "" relative ones
	from string // the page's own path, for relative links ("/archive/de/x.html")
}

// abs links absolutely under base.
func (s *shared) abs() linker { return linker{base: s.base.String()} }

// rel links relative to the page at path from.
func rel(from string) linker { return linker{from: from} }

// to is the link to path ("/feeds/de.xml", "/archive/de/"). Relative, a
// directory is its index.html: a file:// browser does not look for one.
func (l linker) to(path string) string {
	if l.base != "" {
		return l.base + path
	}
	if strings.HasSuffix(path, "/") {
		path += "index.html"
	}
	r, err := filepath.Rel(filepath.Dir(filepath.FromSlash(l.from)), filepath.FromSlash(path))
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

func (s *shared) feedLinks(l linker, lang string) []feedLink {
	return []feedLink{
		{Type: "application/rss+xml", Title: "RSS", URL: l.to(feedPath(lang, "xml"))},
		{Type: "application/atom+xml", Title: "Atom", URL: l.to(feedPath(lang, "atom"))},
		{Type: "application/feed+json", Title: "JSON Feed", URL: l.to(feedPath(lang, "json"))},
	}
}

func (s *shared) siteTitle(lang string) string {
	if t, ok := s.cfg.SiteTitle[lang]; ok {
		return t
	}
	return "newsdesk (" + lang + ")"
}

// lang returns the language to show code in: the registered one, or, for a
// digest in a language nobody registered (another program may publish
// one), English, else the first registered language.
func (s *shared) lang(code string) *lang.Language {
	if l, ok := s.langs.Lookup(code); ok {
		return l
	}
	if l, ok := s.langs.Lookup("en"); ok {
		return l
	}
	return s.langs.Get(s.langs.Codes()[0])
}

// siteLangs are the site's languages (the keys of site_title), sorted:
// the languages a reader can subscribe to and the ones shared pages speak.
func (s *shared) siteLangs() []string {
	out := make([]string, 0, len(s.cfg.SiteTitle))
	for code := range s.cfg.SiteTitle {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// each renders a message in every site language, joined with " / ": the
// pages and mails that are not tied to one language ("Anmelden /
// Subscribe").
func (s *shared) each(key string, args ...any) string {
	return strings.Join(s.eachLang(key, args...), " / ")
}

// eachLang renders a message in every site language, one per language.
func (s *shared) eachLang(key string, args ...any) []string {
	var out []string
	for _, code := range s.siteLangs() {
		out = append(out, s.lang(code).T(key, args...))
	}
	return out
}

// langName is a language's own name ("Deutsch"), for readers choosing it.
func (s *shared) langName(code string) string {
	if l, ok := s.langs.Lookup(code); ok {
		return l.Native
	}
	return code
}

// cleanLangs keeps the site languages of a list, sorted and unique.
func (s *shared) cleanLangs(in []string) []string { return cleanSiteLangs(s.cfg.SiteTitle, in) }

// legalLinks are the imprint and privacy pages, when configured, labelled
// in code's words (or in every site language for code "").
func (s *shared) legalLinks(code string) []render.Link {
	var out []render.Link
	for _, l := range []struct{ key, url string }{{"page.imprint", s.cfg.ImprintURL}, {"page.privacy", s.cfg.PrivacyURL}} {
		if l.url == "" {
			continue
		}
		label := s.each(l.key)
		if code != "" {
			label = s.lang(code).T(l.key)
		}
		out = append(out, render.Link{Label: label, URL: l.url})
	}
	return out
}

// legalText is legalLinks as lines for a plain-text mail.
func (s *shared) legalText(code string) string {
	var b strings.Builder
	for i, l := range s.legalLinks(code) {
		if i == 0 {
			b.WriteString("\n")
		}
		b.WriteString(l.Label + ": " + l.URL + "\n")
	}
	return b.String()
}
