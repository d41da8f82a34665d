package extract

import (
	"strings"
	"testing"
)

// TestDatelineSpan: the place that opens a news paragraph is part of its
// first sentence even when a template wraps it in a span the cleaner would
// drop by class; a credit span in a caption paragraph still goes.
func TestDatelineSpan(t *testing.T) {
	tests := []struct {
		name, first string
		want, not   string
	}{
		{"dateline span", `<p><span class="dateline">KOBE – </span>A total of 6,000 bus tickets were stolen from a depot in the north, police said on Tuesday.</p>`, "KOBE – A total of 6,000", ""},
		{"location span", `<p><span class="story-location">BERLIN — </span>The city council voted on Tuesday to extend the night bus service to the north.</p>`, "BERLIN — The city council", ""},
		{"credit span in a paragraph", `<p><span class="copyright">Example Agency</span> The new night bus at the northern depot on its first run last week.</p>`, "The new night bus", "Example Agency"},
	}
	ex := newExtractor(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := strings.Replace(string(leadPage("")), `<div class="article-body">`, `<div class="article-body">`+tc.first, 1)
			res, err := ex.Extract([]byte(page), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Text, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, res.Text)
			}
			if tc.not != "" && strings.Contains(res.Text, tc.not) {
				t.Errorf("%q should be dropped:\n%s", tc.not, res.Text)
			}
		})
	}
}
