package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newExtractor(t testing.TB, opts Options) *Extractor {
	t.Helper()
	ex, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestExtractArticle(t *testing.T) {
	ex := newExtractor(t, Options{HTML: true})
	res, err := ex.Extract(readFixture(t, "article.html"), mustURL(t, "https://zeitung.example/wirtschaft/chipexporte-123.html"), "text/html")
	if err != nil {
		t.Fatal(err)
	}
	wantIn := []string{
		"Die US-Regierung hat am Mittwoch neue Beschränkungen",
		"Chinesische Hersteller reagierten gelassen.",
		"Folgen für die Industrie",
		"Europäische Zulieferer von Belichtungsanlagen",
	}
	for _, w := range wantIn {
		if !strings.Contains(res.Text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
	wantOut := []string{
		"Chipexporte: Washington verschärft Regeln", // the title
		"Cookies", "Teilen", "Foto: Agentur", "Anzeige", "Mehr zum Thema", "Peking investiert",
		"Sprachmodelle im Vergleich", "Golfstaaten", "Alle Rechte vorbehalten", "Impressum", "window.tracking",
	}
	for _, w := range wantOut {
		if strings.Contains(res.Text, w) {
			t.Errorf("text holds furniture %q:\n%s", w, res.Text)
		}
	}
	if got := strings.Count(res.Text, "\n\n"); got != 4 {
		t.Errorf("want 5 paragraphs (4 breaks), got %d breaks:\n%s", got, res.Text)
	}
	checks := []struct{ name, got, want string }{
		{"title", res.Title, "Chipexporte: Washington verschärft Regeln"},
		{"language", res.Language, "de"},
		{"site", res.SiteName, "Beispielzeitung"},
		{"canonical", res.CanonicalURL, "https://zeitung.example/wirtschaft/chipexporte-123.html"},
		{"image", res.Image, "https://zeitung.example/img/chips.jpg"},
		{"authors", strings.Join(res.Authors, ";"), "Erika Muster;Max Beispiel"},
		{"method", res.Method, "generic"},
		{"charset", res.Charset, "utf-8"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if want := time.Date(2026, 11, 20, 7, 15, 0, 0, time.UTC); !res.Published.Equal(want) {
		t.Errorf("published = %v, want %v", res.Published, want)
	}
	if want := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC); !res.Modified.Equal(want) {
		t.Errorf("modified = %v, want %v", res.Modified, want)
	}
	if !strings.Contains(res.HTML, "<h2>Folgen für die Industrie</h2>") || !strings.Contains(res.HTML, "<p>Die US-Regierung") {
		t.Errorf("html lacks structure:\n%s", res.HTML)
	}
	if res, err := newExtractor(t, Options{}).Extract(readFixture(t, "article.html"), nil, ""); err != nil {
		t.Error(err)
	} else if res.HTML != "" {
		t.Errorf("without Options.HTML the result holds html %q", res.HTML)
	}
	if res.Paywalled || res.Truncated {
		t.Errorf("paywalled=%v truncated=%v, want false", res.Paywalled, res.Truncated)
	}
}

func TestCharsets(t *testing.T) {
	tests := []struct {
		file, contentType, want, charset string
	}{
		{"latin1.html", "", "Münchener Forscher haben ein neues Verfahren für die Übersetzung", "windows-1252"},
		{"latin1.html", "text/html; charset=ISO-8859-1", "heißt es in der Mitteilung", "windows-1252"},
		{"cp1252.html", "", "said “we will not back down” on the new rules", "windows-1252"},
		{"lying.html", "text/html; charset=iso-8859-1", "Grüße, Äpfel, Öl und Übermut", "utf-8"},
		{"lying.html", "", "Grüße, Äpfel, Öl und Übermut", "utf-8"},
	}
	ex := newExtractor(t, Options{MinTextRunes: 50})
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			res, err := ex.Extract(readFixture(t, tt.file), mustURL(t, "https://example.org/a/b.html"), tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, res.Text)
			}
			if res.Charset != tt.charset {
				t.Errorf("charset = %q, want %q", res.Charset, tt.charset)
			}
		})
	}
}

func TestUTF16BOM(t *testing.T) {
	src := `<html><body><div><p>Ein Absatz in UTF-16 mit Umlauten: Größe, Übung, Ärger und noch etwas mehr Text für die Länge.</p><p>Und ein zweiter Absatz, damit es ein Artikel wird, der lang genug ist.</p></div></body></html>`
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, r := range src {
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	res, err := newExtractor(t, Options{MinTextRunes: 50}).Extract(b.Bytes(), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "Größe, Übung, Ärger") {
		t.Errorf("text = %q", res.Text)
	}
}

func TestNoArticle(t *testing.T) {
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	tests := []struct {
		name string
		raw  []byte
		url  string
	}{
		{"homepage", readFixture(t, "homepage.html"), "https://news.example/"},
		{"404", readFixture(t, "notfound.html"), "https://news.example/missing/page.html"},
		{"binary", binary, "https://news.example/a.html"},
		{"png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), binary...), "https://news.example/a.html"},
		{"empty", nil, "https://news.example/a.html"},
		{"whitespace", []byte("   \n\t  "), "https://news.example/a.html"},
		{"text only", []byte("just a line"), "https://news.example/a.html"},
		{"script only", []byte("<html><body><script>" + strings.Repeat("var a = 1;", 1000) + "</script></body></html>"), ""},
	}
	ex := newExtractor(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u *url.URL
			if tt.url != "" {
				u = mustURL(t, tt.url)
			}
			res, err := ex.Extract(tt.raw, u, "text/html")
			if !errors.Is(err, ErrNoArticle) {
				t.Fatalf("err = %v, res = %+v; want ErrNoArticle", err, res)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	res, err := newExtractor(t, Options{}).Extract(readFixture(t, "malformed.html"), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"This paragraph is never closed", "with misnested inline tags and an unknown element", "Third paragraph inside an unclosed div"} {
		if !strings.Contains(res.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, res.Text)
		}
	}
}

// TestHugePage feeds a 50 MB page: it is cut at MaxBytes and flagged.
func TestHugePage(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("<html><body><article>")
	para := "<p>" + strings.Repeat("Ein langer Absatz über Rechenzentren und Chips. ", 20) + "</p>\n"
	for b.Len() < 50<<20 {
		b.WriteString(para)
	}
	ex := newExtractor(t, Options{MaxBytes: 1 << 20})
	res, err := ex.Extract(b.Bytes(), mustURL(t, "https://example.org/big.html"), "text/html")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated {
		t.Error("Truncated = false for a page cut at MaxBytes")
	}
	if len(res.Text) > 1<<20 {
		t.Errorf("text is %d bytes, more than MaxBytes", len(res.Text))
	}
}

func TestDeepNesting(t *testing.T) {
	var b strings.Builder
	for range 20000 {
		b.WriteString("<div>")
	}
	b.WriteString("<p>" + strings.Repeat("Deeply nested prose that should not crash the extractor. ", 5) + "</p>")
	_, err := newExtractor(t, Options{}).Extract([]byte(b.String()), nil, "")
	if err != nil && !errors.Is(err, ErrNoArticle) {
		t.Fatal(err)
	}
}

func TestRules(t *testing.T) {
	page := []byte(`<html><head><title>Site title</title></head><body>
<div class="main"><h1 class="hl">Rule headline</h1><span class="who">Ada Lovelace</span><time class="when" datetime="2026-01-02T03:04:05Z">2 Jan</time>
<div class="body"><p>First paragraph of the body chosen by the site rule, long enough to count as prose.</p>
<div class="promo">Subscribe to our premium plan today and save forty percent on everything we sell.</div>
<p>Second paragraph of the body chosen by the site rule, also long enough to count.</p></div></div>
<div class="elsewhere"><p>A much longer block of unrelated prose that the generic scorer might prefer over the rule body because it is long, long, long, long, long, long, long and longer still than the rule body is.</p></div>
</body></html>`)
	rule := SiteRule{Hosts: []string{"rules.example"}, Body: "div.body", Title: "h1.hl", Date: "time.when", Author: ".who", Drop: []string{".promo"}}
	ex := newExtractor(t, Options{Rules: []SiteRule{rule}, MinTextRunes: 50})

	res, err := ex.Extract(page, mustURL(t, "https://www.rules.example/a.html"), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "rule" || res.Title != "Rule headline" || strings.Join(res.Authors, ",") != "Ada Lovelace" ||
		!res.Published.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("rule metadata: %+v", res)
	}
	if strings.Contains(res.Text, "Subscribe") || strings.Contains(res.Text, "unrelated prose") || !strings.Contains(res.Text, "Second paragraph") {
		t.Errorf("rule text:\n%s", res.Text)
	}

	// Another host: the rule does not apply.
	res, err = ex.Extract(page, mustURL(t, "https://other.example/a.html"), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "generic" {
		t.Errorf("method = %q on a host without rule", res.Method)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"zero", Options{}, true},
		{"bad selector", Options{Rules: []SiteRule{{Hosts: []string{"a.example"}, Body: "div[[["}}}, false},
		{"no hosts", Options{Rules: []SiteRule{{Body: "div"}}}, false},
		{"negative", Options{MaxBytes: -1}, false},
		{"group selector", Options{Rules: []SiteRule{{Hosts: []string{"a.example"}, Body: "div.a, div.b", Drop: []string{".x", "aside"}}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts)
			if (err == nil) != tt.ok {
				t.Errorf("New: err = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	for _, r := range BuiltinRules() {
		if err := r.Validate(); err != nil {
			t.Errorf("built-in rule %v: %v", r.Hosts, err)
		}
	}
}

func TestPaywall(t *testing.T) {
	page := []byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Locked","isAccessibleForFree":false,
"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paid"}}</script></head>
<body><article><p>The free teaser paragraph of a paywalled story about chips, which ends before the story really starts and</p></article></body></html>`)
	res, err := newExtractor(t, Options{MinTextRunes: 50}).Extract(page, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Paywalled || !res.Truncated {
		t.Errorf("paywalled=%v truncated=%v, want both", res.Paywalled, res.Truncated)
	}
}

// TestGolden compares the full result for every fixture with a golden file;
// refresh with -update after a deliberate change.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	ex := newExtractor(t, Options{MinTextRunes: 50, HTML: true})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		t.Run(name, func(t *testing.T) {
			res, err := ex.Extract(readFixture(t, name+".html"), mustURL(t, "https://example.org/news/"+name+".html"), "")
			var got []byte
			if err != nil {
				got = []byte("error: " + err.Error() + "\n")
			} else if got, err = json.MarshalIndent(res, "", "  "); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("result differs from %s (run with -update after checking):\n%s", golden, got)
			}
		})
	}
}
