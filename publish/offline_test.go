package publish_test

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/publish"
)

// TestArchiveBrowsableOffline: out_dir's archive is a site of its own.
// archive/index.html leads to every language's archive, each archive page
// to its digests and feeds, every digest page back, all by relative links
// that resolve to files in out_dir; the only absolute links lead off the
// archive (sources, the subscription form on the site).
func TestArchiveBrowsableOffline(t *testing.T) {
	var out string
	e := newEnv(t, func(c *publish.Config) { out = c.OutDir })
	for _, d := range []string{"2026-11-28", "2026-11-29"} {
		for _, lang := range []string{"de", "en"} {
			e.deliver(t, testDigest(lang, d))
		}
	}
	links := archiveLinks(t, out)
	reached := map[string]bool{}
	for page, hrefs := range links {
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil {
				t.Fatalf("%s: link %q: %v", page, h, err)
			}
			if u.IsAbs() {
				if strings.HasPrefix(h, "https://news.example.org/") && h != "https://news.example.org/#subscribe" {
					t.Errorf("%s links the site absolutely: %s", page, h)
				}
				continue
			}
			target := filepath.Join(filepath.Dir(filepath.Join(out, page)), filepath.FromSlash(u.Path))
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: link %q leads nowhere: %v", page, h, err)
			}
			r, _ := filepath.Rel(out, target)
			reached[filepath.ToSlash(r)] = true
		}
	}
	for _, want := range []string{"archive/de/index.html", "archive/en/index.html", "archive/de/2026-11-29-daily.html",
		"archive/en/2026-11-28-daily.html", "feeds/de.xml", "feeds/en.atom", "feeds/en.json", "archive/index.html"} {
		if !reached[want] {
			t.Errorf("no page links %s", want)
		}
	}
}

// archiveLinks reads every HTML page under out/archive and returns the
// href of each <a> and <link>, by page (relative to out).
func archiveLinks(t *testing.T, out string) map[string][]string {
	t.Helper()
	links := map[string][]string{}
	err := filepath.WalkDir(filepath.Join(out, "archive"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && (n.Data == "a" || n.Data == "link") {
				for _, a := range n.Attr {
					if a.Key == "href" {
						links[filepath.ToSlash(rel)] = append(links[filepath.ToSlash(rel)], a.Val)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := links["archive/index.html"]; !ok {
		t.Fatal("no archive/index.html")
	}
	return links
}
