package ingest

import (
	"bytes"
	"errors"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FeedLink is a feed a web page advertises with
// <link rel="alternate" type="application/rss+xml" href="…">.
type FeedLink struct {
	URL   string `json:"url"`
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
}

// feedTypes are the media types of feed autodiscovery links.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true,
}

// maxDiscoveryLinks bounds what one page can make us collect.
const maxDiscoveryLinks = 20

// DiscoverFeeds returns the feeds an HTML page advertises, in document
// order (pages list their main feed first, comment feeds after), with
// hrefs resolved against <base href> or pageURL. Only http(s) URLs are
// returned; the page is untrusted and its links are fetched through the
// same guarded client as everything else.
func DiscoverFeeds(page []byte, pageURL string) []FeedLink {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	var links []FeedLink
	seen := map[string]bool{}
	for len(links) < maxDiscoveryLinks {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		switch a := atom.Lookup(name); {
		case a == atom.Body:
			// Feed links belong in the head; a body full of example
			// markup (a blog post about feeds) must not be followed.
			return links
		case !hasAttr:
			continue
		case a == atom.Base:
			if href := attr(z, "href"); href != "" && base != nil {
				if u, err := base.Parse(href); err == nil {
					base = u
				}
			}
		case a == atom.Link:
			attrs := attrs(z)
			typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
			if i := strings.IndexByte(typ, ';'); i >= 0 {
				typ = strings.TrimSpace(typ[:i])
			}
			if !feedTypes[typ] || !hasToken(attrs["rel"], "alternate") {
				continue
			}
			href := strings.TrimSpace(attrs["href"])
			if href == "" {
				continue
			}
			u, err := url.Parse(href)
			if err != nil {
				continue
			}
			if base != nil {
				u = base.ResolveReference(u)
			}
			if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || seen[u.String()] {
				continue
			}
			seen[u.String()] = true
			links = append(links, FeedLink{URL: u.String(), Type: typ, Title: clean(attrs["title"], 200)})
		}
	}
	return links
}

func attrs(z *html.Tokenizer) map[string]string {
	m := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		if _, dup := m[string(k)]; !dup {
			m[string(k)] = string(v)
		}
		if !more {
			return m
		}
	}
}

func attr(z *html.Tokenizer, name string) string {
	return attrs(z)[name]
}

// hasToken reports whether a space-separated attribute (rel) holds tok.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// IsNotAFeed reports whether a ParseFeed error means the document is not a
// feed at all (as opposed to a broken one), the case where the document
// may be a web page advertising its feeds.
func IsNotAFeed(err error) bool {
	return errors.Is(err, gofeed.ErrFeedTypeNotDetected)
}

// looksLikeHTML reports whether a response is an HTML page, by its
// Content-Type or its first bytes.
func looksLikeHTML(contentType string, data []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "html") {
		return true
	}
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html"))
}
