package extract

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
)

// pageMeta is what the <head> and structured data say about the page.
type pageMeta struct {
	title, siteName, canonical, image, lang string
	description                             string // og:, twitter: or plain meta description
	authors                                 []string
	published, modified                     time.Time
	ogType                                  string
	paywalled                               bool
}

// metaContent indexes <meta> tags by lower-cased name or property.
func metaContent(metas []*xhtml.Node) map[string]string {
	m := make(map[string]string, len(metas))
	for _, n := range metas {
		c, ok := attrOf(n, "content")
		if !ok {
			continue
		}
		c = strings.TrimSpace(c)
		for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
			if v, ok := attrOf(n, k); ok {
				v = strings.ToLower(strings.TrimSpace(v))
				if _, dup := m[v]; !dup && c != "" {
					m[v] = c
				}
			}
		}
	}
	return m
}

func readMeta(pn pageNodes, ld ldArticle, base *url.URL) pageMeta {
	m := metaContent(pn.metas)
	var pm pageMeta
	pm.ogType = strings.ToLower(m["og:type"])

	pm.title = firstNonEmpty(ld.Headline, m["og:title"], m["twitter:title"], m["dc.title"])
	docTitle := collapse(rawText(pn.title))
	if pm.title == "" {
		pm.title = firstNonEmpty(h1Title(pn.h1, docTitle), stripSiteSuffix(docTitle))
	}
	pm.title = collapse(html.UnescapeString(pm.title))

	pm.description = collapse(html.UnescapeString(firstNonEmpty(m["og:description"], m["description"], m["twitter:description"])))

	pm.siteName = firstNonEmpty(m["og:site_name"], ld.Publisher, m["application-name"], m["publisher"])

	pm.authors = ld.Authors
	if len(pm.authors) == 0 {
		pm.authors = splitAuthors(firstNonEmpty(m["author"], m["article:author"], m["dc.creator"], m["parsely-author"], m["sailthru.author"], m["byl"]))
	}
	if len(pm.authors) == 0 {
		for _, n := range pn.authors {
			if t := collapse(rawText(n)); t != "" && len(t) < 80 {
				pm.authors = append(pm.authors, t)
			}
			if len(pm.authors) >= 5 {
				break
			}
		}
	}
	pm.authors = cleanAuthors(pm.authors)

	pm.published = parseDate(firstNonEmpty(ld.Published, m["article:published_time"], m["og:article:published_time"],
		m["datepublished"], m["date"], m["pubdate"], m["publishdate"], m["dc.date.issued"], m["dc.date"],
		m["parsely-pub-date"], m["sailthru.date"], m["dcterms.created"]))
	if pm.published.IsZero() {
		if t, ok := attrOf(pn.timeDatetime, "datetime"); ok {
			pm.published = parseDate(t)
		}
	}
	pm.modified = parseDate(firstNonEmpty(ld.Modified, m["article:modified_time"], m["og:updated_time"],
		m["datemodified"], m["last-modified"], m["dcterms.modified"]))

	lang, _ := attrOf(pn.html, "lang")
	pm.lang = normLang(firstNonEmpty(lang, ld.Language, m["og:locale"], m["content-language"], m["language"], m["dc.language"]))

	canon, _ := attrOf(pn.canonical, "href")
	pm.canonical = absURL(base, firstNonEmpty(canon, m["og:url"], ld.URL))
	pm.image = absURL(base, firstNonEmpty(m["og:image"], m["og:image:url"], m["twitter:image"], m["twitter:image:src"], ld.Image))

	tier := strings.ToLower(firstNonEmpty(m["article:content_tier"], m["content_tier"]))
	pm.paywalled = (ld.FreeKnown && !ld.Free) || tier == "locked" || tier == "metered" || ld.PaywallSelect != ""
	return pm
}

// h1Title returns the text of h1, the first <h1>, when it looks like the
// page title.
func h1Title(h1 *xhtml.Node, docTitle string) string {
	h := collapse(rawText(h1))
	if h != "" && (docTitle == "" || strings.Contains(normKey(docTitle), normKey(h))) {
		return h
	}
	return ""
}

var titleSepRe = regexp.MustCompile(`\s+[|–—·»:-]\s+`)

// stripSiteSuffix removes " | Site Name" from a <title>.
func stripSiteSuffix(t string) string {
	parts := titleSepRe.Split(t, -1)
	if len(parts) < 2 {
		return t
	}
	best := parts[0]
	for _, p := range parts[1:] {
		if len(p) > len(best) {
			best = p
		}
	}
	return best
}

var authorSplitRe = regexp.MustCompile(`\s*(?:,|;|&|\band\b|\bund\b|\|)\s*`)

func splitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "http") {
		return nil
	}
	return authorSplitRe.Split(s, -1)
}

var byRe = regexp.MustCompile(`(?i)^(by|von|from)\s+`)

func cleanAuthors(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range in {
		a = collapse(byRe.ReplaceAllString(strings.TrimSpace(a), ""))
		if a == "" || len(a) > 80 || strings.HasPrefix(a, "http") {
			continue
		}
		k := strings.ToLower(a)
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05",
	"2006-01-02 15:04", "2006-01-02", time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "January 2, 2006", "Jan 2, 2006",
	"2 January 2006", "02.01.2006 15:04", "02.01.2006", "20060102", "2006/01/02",
}

// parseDate accepts the date formats seen in meta tags and JSON-LD.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// normLang reduces "de-DE", "de_DE" or "en-us" to "de" or "en".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_ ,;"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}

func absURL(base *url.URL, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}
