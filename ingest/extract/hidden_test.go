package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHiddenProse checks which hidden elements the cleaner keeps: article
// text held back for a script to reveal (beside visible paragraphs) stays;
// dialogs, consent banners and calls to action go, hidden or not.
func TestHiddenProse(t *testing.T) {
	const rest = "The second half of the plan, published on Wednesday, moves the depot to the harbour and adds forty drivers to the night roster from April, the transport office said."
	const banner = "We use cookies and similar technologies to run this site, measure how it is used and show you content that matches your interests and settings."
	const pitch = "Join thousands of readers who get the best of our local reporting, from transport to schools, with a free new article in their inbox every week."
	page := func(extra string) []byte {
		var b strings.Builder
		b.WriteString(`<!doctype html><html lang="en"><head><title>Night buses for the north</title></head><body><main><article><h1>Night buses for the north</h1><div class="body">`)
		for _, p := range story {
			b.WriteString("<p>" + p + "</p>")
		}
		b.WriteString(extra + `</div></article></main>`)
		b.WriteString(`</body></html>`)
		return []byte(b.String())
	}
	tests := []struct {
		name, extra, text string
		keep              bool
	}{
		{"the rest of the article, hidden until 'read more'", `<div class="more" hidden><p>` + rest + `</p></div>`, rest, true},
		{"gallery steps hidden with an inline style", `<div class="step" style="display: none"><p>` + rest + `</p></div>`, rest, true},
		{"a hidden dialog beside the text", `<div role="dialog" hidden><p>` + banner + `</p></div>`, banner, false},
		{"a hidden call to action beside the text", `<div id="normal_cta" style="display:none"><p>` + pitch + `</p></div>`, pitch, false},
		{"a visible call to action", `<div class="cta"><p>` + pitch + `</p></div>`, pitch, false},
	}
	ex := newExtractor(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(page(tc.extra), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(res.Text, tc.text); got != tc.keep {
				t.Errorf("text holds %q: %v, want %v\n%s", tc.text[:30], got, tc.keep, res.Text)
			}
			if !strings.Contains(res.Text, story[2]) {
				t.Errorf("lost the story:\n%s", res.Text)
			}
		})
	}
}

// TestHiddenBannerAwayFromProse checks on the cleaned DOM (not only in the
// text, where the scorer would leave it out anyway) that a hidden banner
// beside the page's <main> goes, while hidden prose beside paragraphs stays.
func TestHiddenBannerAwayFromProse(t *testing.T) {
	const banner = "We use cookies and similar technologies to run this site, measure how it is used and show you content that matches your interests and settings."
	var b strings.Builder
	b.WriteString(`<html><body><main><article><div class="body">`)
	for _, p := range story {
		b.WriteString("<p>" + p + "</p>")
	}
	b.WriteString(`<div hidden><p>Hidden continuation: ` + banner + `</p></div></div></article></main>`)
	b.WriteString(`<div class="middle-center" style="display:none"><h3>Privacy settings</h3><p>` + banner + `</p></div></body></html>`)
	root, err := html.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	body := scanPage(root).body
	(&cleaner{}).clean(body)
	text := textOf(body)
	if strings.Contains(text, "Privacy settings") {
		t.Errorf("the hidden banner beside <main> survived cleaning:\n%s", text)
	}
	if !strings.Contains(text, "Hidden continuation") {
		t.Errorf("the hidden prose beside paragraphs was removed:\n%s", text)
	}
}
