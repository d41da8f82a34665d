package sample

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Handler serves the sample site:
//
//	/feeds/<outlet>.xml|.json   the outlet's feed
//	/articles/<outlet>/<slug>.html   an article page (query strings ignored)
//	/images/<name>.svg          illustrations referenced by the pages
//
// with the right Content-Type (charset included), a strong ETag over the
// served bytes, Last-Modified from the content's dates, and 304 answers to
// If-None-Match / If-Modified-Since. Anything else is 404; methods other
// than GET and HEAD are 405. URLs inside the content point at the scheme
// and Host of the request.
//
// Every resource is rendered once up front, so broken embedded content
// panics here rather than turning into a 500 in the middle of a demo.
func Handler() http.Handler {
	c := mustCatalog()
	if err := c.renderAll("http://sample.invalid"); err != nil {
		panic("sample: embedded site is broken: " + err.Error())
	}
	return &server{c: c}
}

type server struct {
	c *catalog
}

// resource is one response body ready to serve.
type resource struct {
	body        []byte
	contentType string
	modified    time.Time
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	base, err := baseURL(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, found, err := s.c.resource(r.URL.Path, base)
	if err != nil {
		http.Error(w, "sample site: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if !found {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(res.body)
	h := w.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	// Pollers must revalidate, which is the conditional GET the demo wants
	// to exercise.
	h.Set("Cache-Control", "no-cache")
	// ServeContent answers If-None-Match (before If-Modified-Since, as RFC
	// 9110 §13.2.2 orders them), If-Modified-Since, HEAD and Range.
	http.ServeContent(w, r, "", res.modified, bytes.NewReader(res.body))
}

// resource looks up and renders the content at urlPath for base.
func (c *catalog) resource(urlPath, base string) (resource, bool, error) {
	if e, ok := c.byPath[urlPath]; ok {
		body, err := c.renderPage(e, base)
		if err != nil {
			return resource{}, true, err
		}
		return resource{body: body, contentType: "text/html; charset=" + e.outlet.Charset, modified: e.updated()}, true, nil
	}
	if f, ok := c.feeds[urlPath]; ok {
		body, err := encode(bytes.ReplaceAll(f.body, []byte(basePlaceholder), []byte(base)), f.outlet.Charset)
		if err != nil {
			return resource{}, true, fmt.Errorf("feed %s: %w", urlPath, err)
		}
		return resource{body: body, contentType: feedContentType(f.outlet.Format) + "; charset=" + f.outlet.Charset,
			modified: c.feedUpdated(f.outlet)}, true, nil
	}
	if img, ok := c.images[urlPath]; ok {
		return resource{body: img, contentType: "image/svg+xml", modified: c.oldest()}, true, nil
	}
	return resource{}, false, nil
}

func feedContentType(format string) string {
	switch format {
	case "rss":
		return "application/rss+xml"
	case "atom":
		return "application/atom+xml"
	default:
		return "application/feed+json"
	}
}

// feedUpdated is the newest change among the outlet's own articles.
func (c *catalog) feedUpdated(o *outlet) time.Time {
	var t time.Time
	for _, e := range c.entries {
		if e.outlet == o && e.updated().After(t) {
			t = e.updated()
		}
	}
	return t
}

// oldest is the first publication date on the site, used as the
// modification time of the static images.
func (c *catalog) oldest() time.Time {
	if len(c.entries) == 0 {
		return time.Time{}
	}
	return c.entries[0].Published
}

// baseURL is scheme://host of the request. The host is echoed into XML,
// JSON and HTML, so anything beyond host-name characters is refused rather
// than escaped.
func baseURL(r *http.Request) (string, error) {
	host := r.Host
	if host == "" {
		return "", errors.New("missing Host header")
	}
	if len(host) > 261 { // 253-byte name + ":" + port
		return "", errors.New("Host header too long")
	}
	for _, ch := range host {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.ContainsRune(".-:[]", ch)) {
			return "", fmt.Errorf("invalid character %q in Host header", ch)
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + host, nil
}

// renderAll renders every resource for base and reports the first failure.
func (c *catalog) renderAll(base string) error {
	var paths []string
	for _, e := range c.entries {
		paths = append(paths, e.path)
	}
	for p := range c.feeds {
		paths = append(paths, p)
	}
	for _, p := range paths {
		if _, _, err := c.resource(p, base); err != nil {
			return err
		}
	}
	return nil
}
