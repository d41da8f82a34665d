package testbed

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSiteServes: a feed carries the script's wording and lists only
// released pages; a page carries the script's nav and footer; anything
// else is a 404.
func TestSiteServes(t *testing.T) {
	now := time.Now()
	s := &Site{
		Langs: []string{"en"},
		Feeds: [][]Page{{
			{Path: PagePath(0, 0), Title: "Chips & <rules>", Lang: "en", Paras: []string{"Lead.", "More."}, Release: now.Add(-time.Minute)},
			{Path: PagePath(0, 1), Title: "Later", Lang: "en", Paras: []string{"Not yet."}, Release: now.Add(time.Hour)},
		}},
		FeedTitle:   func(f int) string { return "Desk " + FeedID(f) },
		Description: "test feed",
		Nav:         "<nav>N</nav>\n",
		Footer:      "<footer>F</footer>",
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Srv.Close()
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	code, feed := get(s.FeedURL(0))
	if code != http.StatusOK {
		t.Fatalf("feed: %d", code)
	}
	for _, want := range []string{"<title>Desk f000</title>", "<description>test feed</description>", "<language>en</language>", "Chips &amp; &lt;rules&gt;", s.Base + "/a/f000/0.html"} {
		if !strings.Contains(feed, want) {
			t.Errorf("feed lacks %q:\n%s", want, feed)
		}
	}
	if n := strings.Count(feed, "<item>"); n != 1 {
		t.Errorf("feed lists %d items, want the 1 released", n)
	}

	code, page := get(s.Base + PagePath(0, 0))
	if code != http.StatusOK {
		t.Fatalf("released page: %d", code)
	}
	if !strings.Contains(page, "<body>\n<nav>N</nav>\n<article>") || !strings.Contains(page, "</article><footer>F</footer></body>") {
		t.Errorf("page lacks nav or footer in place:\n%s", page)
	}
	for _, u := range []string{PagePath(0, 1), PagePath(1, 0), "/a/f000/9.html", "/feeds/f001.xml", "/feeds/x.xml"} {
		if code, _ := get(s.Base + u); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", u, code)
		}
	}
}

func TestOnTopicTexts(t *testing.T) {
	m := OnTopicTexts()
	for _, lang := range []string{"de", "en"} {
		if len(m[lang]) == 0 {
			t.Errorf("no on-topic %s texts: the generated sites need both", lang)
		}
		for _, a := range m[lang] {
			if !a.OnTopic || a.Language != lang {
				t.Errorf("%q: on topic %v, language %s", a.Title, a.OnTopic, a.Language)
			}
		}
	}
}
