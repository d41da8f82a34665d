package sample

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
)

// serve starts the sample site on a real loopback listener.
func serve(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler())
	t.Cleanup(srv.Close)
	return srv
}

// get fetches url with optional request headers and returns the response
// and its body.
func get(t *testing.T, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

// allPaths lists every resource the site serves.
func allPaths(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, f := range Feeds() {
		paths = append(paths, f.Path)
	}
	for _, a := range Articles() {
		paths = append(paths, a.Path)
	}
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for p := range c.images {
		paths = append(paths, p)
	}
	return paths
}

func TestFeedsParseAndLinksResolve(t *testing.T) {
	srv := serve(t)
	byPath := map[string]Article{}
	for _, a := range Articles() {
		byPath[a.Path] = a
	}
	wantType := map[string]string{"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
	for _, f := range Feeds() {
		t.Run(f.ID, func(t *testing.T) {
			resp, body := get(t, srv.URL+f.Path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if err != nil || mt != wantType[f.Format] || params["charset"] == "" {
				t.Errorf("Content-Type %q, want %s with a charset", resp.Header.Get("Content-Type"), wantType[f.Format])
			}
			// Raw bytes: gofeed honours the XML encoding declaration
			// itself, and converting first would decode twice.
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if want := map[string]string{"rss": "rss", "atom": "atom", "json": "json"}[f.Format]; feed.FeedType != want {
				t.Errorf("feed type %q, want %q", feed.FeedType, want)
			}
			if len(feed.Items) < 2 && f.ID != "spreewacht" && f.ID != "techblatt" {
				t.Errorf("%d items, want at least 2", len(feed.Items))
			}
			for _, it := range feed.Items {
				if it.Title == "" || it.Link == "" || it.GUID == "" || it.PublishedParsed == nil || it.Description == "" {
					t.Errorf("item %q: missing title, link, guid, date or description: %+v", it.Title, it)
					continue
				}
				if !strings.HasPrefix(it.Link, srv.URL+"/articles/") {
					t.Errorf("item %q: link %q does not point at the serving host", it.Title, it.Link)
					continue
				}
				path, _, _ := strings.Cut(strings.TrimPrefix(it.Link, srv.URL), "?")
				a, ok := byPath[path]
				if !ok {
					t.Errorf("item %q: link %q is not a bundled article", it.Title, it.Link)
					continue
				}
				if it.Title != a.Title {
					t.Errorf("item title %q, article title %q", it.Title, a.Title)
				}
				if a.Outlet == f.ID && !it.PublishedParsed.Equal(a.Published) {
					t.Errorf("item %q: date %v, article published %v", it.Title, it.PublishedParsed, a.Published)
				}
				page, pageBody := get(t, it.Link, nil)
				if page.StatusCode != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") || len(pageBody) == 0 {
					t.Errorf("GET %s: %d %q", it.Link, page.StatusCode, page.Header.Get("Content-Type"))
				}
			}
		})
	}
}

func TestEveryArticleIsInItsOutletsFeed(t *testing.T) {
	srv := serve(t)
	linked := map[string]map[string]bool{} // outlet → article paths
	for _, f := range Feeds() {
		_, body := get(t, srv.URL+f.Path, nil)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", f.ID, err)
		}
		linked[f.ID] = map[string]bool{}
		for _, it := range feed.Items {
			path, _, _ := strings.Cut(strings.TrimPrefix(it.Link, srv.URL), "?")
			linked[f.ID][path] = true
		}
	}
	for _, a := range Articles() {
		if !linked[a.Outlet][a.Path] {
			t.Errorf("%s is not in the %s feed", a.Path, a.Outlet)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	srv := serve(t)
	latin1 := ""
	for _, a := range Articles() {
		if a.Outlet == "spreewacht" {
			latin1 = a.Path
			break
		}
	}
	paths := []string{Feeds()[0].Path, Articles()[0].Path, latin1, "/images/chips.svg"}
	for _, f := range Feeds() {
		paths = append(paths, f.Path)
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			first, body := get(t, srv.URL+p, nil)
			etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if first.StatusCode != http.StatusOK || etag == "" || lastMod == "" {
				t.Fatalf("first GET: %d, ETag %q, Last-Modified %q", first.StatusCode, etag, lastMod)
			}
			tests := []struct {
				name   string
				header map[string]string
				want   int
			}{
				{"matching etag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
				{"etag in list", map[string]string{"If-None-Match": `"nope", ` + etag}, http.StatusNotModified},
				{"same last-modified", map[string]string{"If-Modified-Since": lastMod}, http.StatusNotModified},
				{"stale etag", map[string]string{"If-None-Match": `"stale"`}, http.StatusOK},
				{"stale etag wins over date", map[string]string{"If-None-Match": `"stale"`, "If-Modified-Since": lastMod}, http.StatusOK},
				{"older date", map[string]string{"If-Modified-Since": "Mon, 02 Nov 2026 00:00:00 GMT"}, http.StatusOK},
			}
			for _, tt := range tests {
				resp, got := get(t, srv.URL+p, tt.header)
				if resp.StatusCode != tt.want {
					t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
				}
				if tt.want == http.StatusNotModified && len(got) != 0 {
					t.Errorf("%s: 304 with a %d-byte body", tt.name, len(got))
				}
				if tt.want == http.StatusOK && !bytes.Equal(got, body) {
					t.Errorf("%s: body differs from the first GET", tt.name)
				}
			}
		})
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := serve(t)
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/", http.StatusNotFound},
		{"GET", "/feeds/", http.StatusNotFound},
		{"GET", "/feeds/nope.xml", http.StatusNotFound},
		{"GET", "/feeds/techblatt.json", http.StatusNotFound},
		{"GET", "/articles/techblatt/nope.html", http.StatusNotFound},
		{"GET", "/articles/techblatt/qwen4-offene-gewichte.yaml", http.StatusNotFound},
		{"GET", "/articles/../outlets.yaml", http.StatusNotFound},
		{"GET", "/site/outlets.yaml", http.StatusNotFound},
		{"GET", "/templates/techblatt.html", http.StatusNotFound},
		{"GET", "/robots.txt", http.StatusNotFound},
		{"GET", "/images/", http.StatusNotFound},
		{"POST", Feeds()[0].Path, http.StatusMethodNotAllowed},
		{"DELETE", Articles()[0].Path, http.StatusMethodNotAllowed},
		{"HEAD", Feeds()[0].Path, http.StatusOK},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

// TestBaseFollowsHost renders everything for two different hosts: every
// body names the host it was asked on, never the other, and no placeholder
// survives.
func TestBaseFollowsHost(t *testing.T) {
	h := Handler()
	hosts := []string{"127.0.0.1:8080", "demo.example:9999"}
	for _, p := range allPaths(t) {
		for i, host := range hosts {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			req.Host = host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			if rec.Code != http.StatusOK {
				t.Errorf("%s on %s: status %d", p, host, rec.Code)
				continue
			}
			if bytes.Contains(body, []byte("{{")) || bytes.Contains(body, []byte("BASE}}")) {
				t.Errorf("%s on %s: template placeholder leaked", p, host)
			}
			if strings.HasSuffix(p, ".svg") {
				continue
			}
			if !bytes.Contains(body, []byte("http://"+host+"/")) {
				t.Errorf("%s on %s: no URL on the serving host", p, host)
			}
			if other := hosts[1-i]; bytes.Contains(body, []byte(other)) {
				t.Errorf("%s on %s: mentions the other host %s", p, host, other)
			}
		}
	}
}

func TestHostileHost(t *testing.T) {
	h := Handler()
	for _, host := range []string{"", `evil"><script>`, "a b", "x/y", strings.Repeat("a", 300)} {
		req := httptest.NewRequest(http.MethodGet, Feeds()[0].Path, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("Host %q: status %d, want 400", host, rec.Code)
		}
	}
}

func TestLatin1Pages(t *testing.T) {
	srv := serve(t)
	n := 0
	for _, a := range Articles() {
		if a.Outlet != "spreewacht" {
			continue
		}
		n++
		resp, body := get(t, srv.URL+a.Path, nil)
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=iso-8859-1" {
			t.Errorf("%s: Content-Type %q", a.Path, ct)
		}
		if utf8.Valid(body) {
			t.Errorf("%s: body is valid UTF-8, so it cannot be Latin-1 with umlauts", a.Path)
		}
		if !bytes.Contains(body[:1024], []byte(`<meta charset="iso-8859-1"`)) {
			t.Errorf("%s: no <meta charset> declaration in the first 1024 bytes", a.Path)
		}
		decoded, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(decoded))
		if err != nil {
			t.Fatal(err)
		}
		var paras []string
		doc.Find(".artikeltext > p").Each(func(_ int, s *goquery.Selection) { paras = append(paras, s.Text()) })
		if got := strings.Join(paras, "\n\n"); got != a.Text {
			t.Errorf("%s: text after Latin-1 decoding differs from the expected text:\n%s", a.Path, firstDiff(got, a.Text))
		}
		// What a browser-grade reader does: header, then <meta> prescan.
		r, err := charset.NewReader(bytes.NewReader(body), resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatal(err)
		}
		viaSniff, _ := io.ReadAll(r)
		if !bytes.Equal(viaSniff, decoded) {
			t.Errorf("%s: charset.NewReader decodes differently from ISO-8859-1", a.Path)
		}
	}
	if n == 0 {
		t.Fatal("no Latin-1 pages")
	}
	// The feed of the same outlet is Latin-1 too and says so in its XML
	// declaration.
	resp, body := get(t, srv.URL+"/feeds/spreewacht.xml", nil)
	if resp.Header.Get("Content-Type") != "application/rss+xml; charset=iso-8859-1" || utf8.Valid(body) ||
		!bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`)) {
		t.Errorf("spreewacht feed is not served as declared ISO-8859-1 (%q)", resp.Header.Get("Content-Type"))
	}
}
