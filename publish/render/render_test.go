package render_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

var update = flag.Bool("update", false, "rewrite golden files")

func limits() render.Limits {
	var l render.Limits
	l.Defaults()
	return l
}

func digest() news.Digest {
	return news.Digest{
		Schema: news.DigestSchema, ID: "digest:daily:2026-11-29:de:p1", Edition: "daily", Date: "2026-11-29", Language: "de",
		Title:    "Tägliche Übersicht",
		Overview: "Erster Absatz.\n\nZweiter Absatz.",
		Stories: []news.Story{{
			ID: "s1", Headline: "Chips", Update: true,
			Summary: "Regeln verschärft [1]. Kritik aus Peking [2, 3]. Unbelegt [9]. Kein Link [3].",
			Sources: []news.Source{
				{Outlet: "heise", Title: "Regeln", URL: "https://www.heise.de/a?x=1&y=2", Language: "de"},
				{Outlet: "Reuters", Title: "Kritik", URL: "http://reuters.com/b"},
				{Outlet: "Evil", Title: "Böse", URL: "javascript:alert(1)"},
			},
		}},
		Notes:     []string{"LLM nicht erreichbar; extraktive Zusammenfassung."},
		CreatedAt: time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC),
		Generator: "extractive",
	}
}

var links = render.MailLinks{ArchiveURL: "https://news.example.org/archive/de/2026-11-29-daily.html", UnsubscribeURL: "https://news.example.org/unsubscribe?t=abc.def"}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/a?b=c", "https://example.org/a?b=c"},
		{"HTTP://example.org/", "http://example.org/"},
		{"  https://example.org/x  ", "https://example.org/x"},
		{"javascript:alert(1)", ""},
		{"JaVaScRiPt:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"//example.org/x", ""},
		{"/relative", ""},
		{"https://user:pw@example.org/", ""},
		{"https://exa mple.org/", ""},
		{"https://example.org/\"onmouseover=x", ""},
		{"https://example.org/\r\nX: y", ""},
		{"ftp://example.org/", ""},
		{"https://" + strings.Repeat("a", 3000), ""},
		{"https:", ""},
	}
	for _, tt := range tests {
		if got := render.SafeURL(tt.in); got != tt.want {
			t.Errorf("SafeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"a\r\nb", 0, "a b"},
		{"  a \t b  ", 0, "a b"},
		{"x\u202Ey\u200Bz", 0, "xyz"},
		{"bad\xffutf8", 0, "bad\uFFFDutf8"},
		{"eins zwei drei vier", 10, "eins zwei…"},
		{"\x00\x01", 0, ""},
	}
	for _, tt := range tests {
		if got := render.CleanText(tt.in, tt.max); got != tt.want {
			t.Errorf("CleanText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestCitations(t *testing.T) {
	v := render.Build(digest(), limits(), testLang)
	frag, err := render.Fragment(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<sup><a href="https://www.heise.de/a?x=1&amp;y=2">[1]</a></sup>`,
		`<sup><a href="http://reuters.com/b">[2]</a></sup><sup>[3]</sup>`, // [3]'s URL is unsafe: no link
		`Unbelegt [9].`, // a citation to a missing source stays visible text
	} {
		if !strings.Contains(frag, want) {
			t.Errorf("fragment lacks %s\n%s", want, frag)
		}
	}
	if strings.Contains(frag, "javascript") {
		t.Errorf("unsafe URL reached the fragment")
	}
}

func TestGolden(t *testing.T) {
	v := render.Build(digest(), limits(), testLang)
	frag, mail := renderHTML(t, v)
	for name, got := range map[string]string{
		"fragment.html": frag,
		"email.html":    mail,
		"email.txt":     render.EmailText(v, links),
	} {
		path := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from golden (run with -update if intended):\n%s", name, got)
		}
	}
}

func TestTextLinesShort(t *testing.T) {
	d := digest()
	d.Stories[0].Summary = strings.Repeat("Wort ", 200)
	txt := render.EmailText(render.Build(d, limits(), testLang), links)
	for _, ln := range strings.Split(txt, "\n") {
		if len([]rune(ln)) > 78 && !strings.Contains(ln, "://") {
			t.Errorf("line longer than 78 columns: %q", ln)
		}
	}
}

// TestTextSourceHangingIndent: a source whose title wraps keeps its
// continuation lines under the title, as its URL is, so the list reads as
// one entry per source (the outlet once started at column 0).
func TestTextSourceHangingIndent(t *testing.T) {
	d := digest()
	d.Stories[0].Sources[0].Title = "Bundestag debattiert über chinesische KI-Modelle wie Qwen und DeepSeek"
	d.Stories[0].Sources[0].Outlet = "Testpost DE"
	txt := render.EmailText(render.Build(d, limits(), testLang), links)
	lines := strings.Split(txt, "\n")
	for i, ln := range lines {
		if !strings.HasPrefix(ln, "[1] Bundestag") {
			continue
		}
		if i+2 >= len(lines) || lines[i+1] != "    Testpost DE" || lines[i+2] != "    https://www.heise.de/a?x=1&y=2" {
			t.Fatalf("source entry not indented under its number:\n%s", strings.Join(lines[i:min(i+3, len(lines))], "\n"))
		}
		return
	}
	t.Fatalf("no source entry:\n%s", txt)
}

// checkSafeHTML parses out with a real HTML parser and fails on any script
// element, event handler attribute, or link that is not http(s).
func checkSafeHTML(t *testing.T, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "svg", "math", "base", "form", "input", "img":
				t.Fatalf("output contains <%s>:\n%s", n.Data, out)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") {
					t.Fatalf("event handler %s in output:\n%s", a.Key, out)
				}
				if k == "href" || k == "src" {
					if !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
						t.Fatalf("link %q in output", a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

var scriptRE = regexp.MustCompile(`(?i)<\s*/?\s*script`)

func FuzzRenderers(f *testing.F) {
	f.Add("Titel", "Überblick", "Satz [1].", "Kopf", "heise", "Quelle", "https://example.org/")
	f.Add("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "x [1]<a href=javascript:alert(1)>y</a>", "\"><svg onload=1>", "o\r\nBcc: a@b", "]]>", "javascript:alert(1)")
	f.Add("a", "b", "[1][2][1, 1]", "h", "o", "t", "  JAVASCRIPT:x")
	f.Fuzz(func(t *testing.T, title, overview, summary, headline, outlet, stitle, surl string) {
		d := news.Digest{
			Schema: news.DigestSchema, ID: title, Edition: outlet, Date: headline, Language: outlet,
			Title: title, Overview: overview, Notes: []string{summary},
			Stories: []news.Story{{Headline: headline, Summary: summary, Sources: []news.Source{
				{Outlet: outlet, Title: stitle, URL: surl, Language: headline},
				{Outlet: stitle, Title: outlet, URL: "https://ok.example/" + surl, Language: outlet},
			}}},
		}
		v := render.Build(d, limits(), testLang)
		frag, mail := renderHTML(t, v)
		for _, out := range []string{frag, mail} {
			checkSafeHTML(t, out)
			if scriptRE.MatchString(out) {
				t.Fatalf("raw script tag in output:\n%s", out)
			}
		}
		txt := render.EmailText(v, links)
		if strings.ContainsRune(v.Title, '\n') || strings.ContainsRune(v.Title, '\r') {
			t.Fatalf("title keeps a line break: %q", v.Title)
		}
		if !strings.Contains(txt, "https://news.example.org/unsubscribe?t=abc.def") {
			t.Fatal("text lost the unsubscribe link")
		}
	})
}

func FuzzSafeURL(f *testing.F) {
	for _, s := range []string{"https://example.org/", "javascript:alert(1)", "java\tscript:x", "https://a@b/", "http://[::1]:80/x", "https:/x", "HTTPS://X.ORG"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := render.SafeURL(in)
		if out == "" {
			return
		}
		if !strings.HasPrefix(out, "https://") && !strings.HasPrefix(out, "http://") {
			t.Fatalf("SafeURL(%q) = %q: not http(s)", in, out)
		}
		for _, r := range out {
			if r < 0x21 || r == 0x7f || r == '"' || r == '<' || r == '>' {
				t.Fatalf("SafeURL(%q) = %q: unsafe character %q", in, out, r)
			}
		}
		if render.SafeURL(out) != out {
			t.Fatalf("SafeURL not idempotent on %q", out)
		}
	})
}

func FuzzCleanText(f *testing.F) {
	f.Add("a\r\nb", 5)
	f.Add("\u202e\u200b\x00x", 0)
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max < 0 || max > 1000 {
			return
		}
		out := render.CleanText(in, max)
		if strings.ContainsAny(out, "\r\n\t\x00") {
			t.Fatalf("CleanText(%q) = %q keeps control characters", in, out)
		}
		if max > 0 && len([]rune(out)) > max+1 {
			t.Fatalf("CleanText(%q, %d) = %q is longer than the cap", in, max, out)
		}
	})
}

// TestOtherLanguageStory: a story told in another language than the
// digest's (it had no source in the digest's language) carries a label in
// the reader's language and the lang attribute of its own language, in
// the page, the HTML mail and the text mail.
func TestOtherLanguageStory(t *testing.T) {
	d := digest()
	d.Stories = append(d.Stories,
		news.Story{ID: "s2", Headline: "Huawei plans to lift Ascend output", Language: "en",
			Sources: []news.Source{{Outlet: "Meridian", Title: "Huawei plans to lift Ascend output", URL: "https://meridian.example/huawei", Language: "en"}}},
		news.Story{ID: "s3", Headline: "Mistral lève des fonds", Language: "fr", Summary: "Mistral a levé des fonds [1].",
			Sources: []news.Source{{Outlet: "Le Monde", Title: "Mistral", URL: "https://lemonde.example/m", Language: "fr"}}})
	v := render.Build(d, limits(), lang.Default().Get("de"))
	if v.Stories[0].Label != "" || v.Stories[0].Lang != "" {
		t.Errorf("a German story in a German digest is labelled: %+v", v.Stories[0])
	}
	if got := v.Stories[1]; got.Label != "Englischsprachige Quelle" || got.Lang != "en" {
		t.Errorf("English story: label %q lang %q", got.Label, got.Lang)
	}
	if got := v.Stories[2]; got.Label != "Quelle in einer anderen Sprache (FR)" || got.Lang != "fr" {
		t.Errorf("French story: label %q lang %q", got.Label, got.Lang)
	}
	frag, mail := renderHTML(t, v)
	for name, out := range map[string]string{"page": frag, "mail": mail} {
		for _, want := range []string{`<span lang="en">Huawei plans to lift Ascend output</span>`, "Englischsprachige Quelle", `lang="fr">Mistral a levé des fonds`,
			`href="https://meridian.example/huawei"`, `lang="en">Huawei plans to lift Ascend output</a>`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	// A source in the page's language has no lang attribute.
	if got := v.Stories[0].Sources; len(got) == 0 || got[0].Lang != "" {
		t.Errorf("the German story's sources: %+v", got)
	}
	if text := render.EmailText(v, links); !strings.Contains(text, "(Englischsprachige Quelle)") {
		t.Errorf("text mail lacks the label:\n%s", text)
	}
}

// TestUncitedSources: a source the text never cites is listed unnumbered
// under "Weitere Berichte", and the cited ones are numbered 1…k with the
// citations rewritten to match, so no number stands under a story that
// never uses it.
func TestUncitedSources(t *testing.T) {
	src := func(n string) news.Source {
		return news.Source{Outlet: "Outlet " + n, Title: "Titel " + n, URL: "https://example.org/" + n}
	}
	three := []news.Source{src("a"), src("b"), src("c")}
	tests := []struct {
		name, summary string
		wantCited     []string // URLs in number order
		wantAlso      []string
		wantText      string // the text mail's rendering of the summary
	}{
		{"middle one uncited", "Erstens [1]. Drittens [3].", []string{"https://example.org/a", "https://example.org/c"}, []string{"https://example.org/b"}, "Erstens [1]. Drittens [2]."},
		{"first one uncited", "Nur zwei [2, 3].", []string{"https://example.org/b", "https://example.org/c"}, []string{"https://example.org/a"}, "Nur zwei [1][2]."},
		{"all cited", "Alle [1]. Und [2]. Und [3].", []string{"https://example.org/a", "https://example.org/b", "https://example.org/c"}, nil, "Alle [1]. Und [2]. Und [3]."},
		{"no text", "", []string{"https://example.org/a", "https://example.org/b", "https://example.org/c"}, nil, ""},
		{"only a citation to nothing", "Unbelegt [9].", nil, []string{"https://example.org/a", "https://example.org/b", "https://example.org/c"}, "Unbelegt [9]."},
	}
	urls := func(ss []render.Source) []string {
		var out []string
		for i, s := range ss {
			if s.N != 0 && s.N != i+1 {
				t.Errorf("source %d numbered %d", i, s.N)
			}
			out = append(out, s.URL)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digest()
			d.Stories = []news.Story{{ID: "s", Headline: "Chips", Summary: tt.summary, Sources: three}}
			v := render.Build(d, limits(), testLang)
			st := v.Stories[0]
			if got := urls(st.Sources); strings.Join(got, " ") != strings.Join(tt.wantCited, " ") {
				t.Errorf("numbered sources %v, want %v", got, tt.wantCited)
			}
			if got := urls(st.Also); strings.Join(got, " ") != strings.Join(tt.wantAlso, " ") {
				t.Errorf("also reported %v, want %v", got, tt.wantAlso)
			}
			for _, s := range st.Also {
				if s.N != 0 {
					t.Errorf("an uncited source carries number %d", s.N)
				}
			}
			text := render.EmailText(v, links)
			if tt.wantText != "" && !strings.Contains(text, tt.wantText) {
				t.Errorf("text mail lacks %q:\n%s", tt.wantText, text)
			}
			frag, mail := renderHTML(t, v)
			for name, out := range map[string]string{"text": text, "page": frag, "mail": mail} {
				if has := strings.Contains(out, "Weitere Berichte:"); has != (len(tt.wantAlso) > 0) {
					t.Errorf("%s: \"Weitere Berichte:\" shown %v, want %v", name, has, len(tt.wantAlso) > 0)
				}
				for _, u := range tt.wantAlso {
					if !strings.Contains(out, u) {
						t.Errorf("%s lacks the uncited source %s", name, u)
					}
				}
			}
		})
	}
}

// renderHTML renders v as the page fragment and the HTML mail.
func renderHTML(t *testing.T, v render.View) (frag, mail string) {
	t.Helper()
	frag, err := render.Fragment(v)
	if err != nil {
		t.Fatal(err)
	}
	mail, err = render.EmailHTML(v, links)
	if err != nil {
		t.Fatal(err)
	}
	return frag, mail
}
