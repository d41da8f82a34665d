package extract

import (
	"fmt"
	"strings"
	"testing"
)

// leadPage is an article whose standfirst sits in the header, outside the
// body element; header is inserted before the body.
func leadPage(header string) []byte {
	var body strings.Builder
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&body, "<p>%s Paragraph %d of the report continues with more detail about the timetable and the cost.</p>\n", story[i%len(story)], i)
	}
	return []byte(`<!doctype html><html lang="en"><head><title>Night buses for the north - Example Times</title></head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><header><h1>Night buses for the north</h1>` + header + `</header>
<div class="article-body">` + body.String() + `</div></article>
<footer><a href="/imprint">Imprint</a></footer></body></html>`)
}

func TestStandfirst(t *testing.T) {
	const lead = "The council extends the night service to four districts from March, answering years of complaints from shift workers."
	tests := []struct {
		name, header string
		wantLead     bool
	}{
		{"standfirst by class", `<p class="article-standfirst">` + lead + `</p>`, true},
		{"intro inside a wrapper", `<div class="header-inner"><span class="byline">By Jane Example</span><div class="intro"><p>` + lead + `</p></div></div>`, true},
		{"header without a lead", `<p class="byline">By Jane Example</p>`, false},
		{"a link list with a lead class is navigation", `<ul class="summary"><li><a href="/a">` + lead[:60] + `</a></li><li><a href="/b">` + lead[60:] + `</a></li></ul>`, false},
	}
	ex := newExtractor(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(leadPage(tc.header), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(res.Text, lead); got != tc.wantLead {
				t.Errorf("text starts with the standfirst: %v, want %v\n%s", got, tc.wantLead, res.Text)
			}
			if n := strings.Count(res.Text, lead[:40]); n > 1 {
				t.Errorf("standfirst appears %d times", n)
			}
			if !strings.Contains(res.Text, story[0]) {
				t.Errorf("lost the body:\n%s", res.Text)
			}
		})
	}
}
