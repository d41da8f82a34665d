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
	const long = "The council extends the night service to four districts from March, answering years of complaints from shift workers."
	// short is a standfirst in a header the cleaner removes (short, without
	// a long paragraph): it is the first text block after the headline,
	// whatever its class says.
	const short = "Night service reaches four districts from March, after years of complaints."
	tests := []struct {
		name, lead, header string
		wantLead           bool
	}{
		{"standfirst by class", long, `<p class="article-standfirst">` + long + `</p>`, true},
		{"intro inside a wrapper", long, `<div class="header-inner"><span class="byline">By Jane Example</span><div class="intro"><p>` + long + `</p></div></div>`, true},
		{"header without a lead", long, `<p class="byline">By Jane Example</p>`, false},
		{"a link list with a lead class is navigation", long, `<ul class="summary"><li><a href="/a">` + long[:60] + `</a></li><li><a href="/b">` + long[60:] + `</a></li></ul>`, false},
		{"after the headline, utility classes only", short, `<div class="flex gap-2"><span>Local</span></div><p class="text-xl leading-snug">` + short + `</p><p class="text-sm">By Jane Example</p>`, true},
		{"in a wrapper after the headline", short, `<div class="mt-4"><div class="text-lg">` + short + `</div></div>`, true},
		{"after a date line", short, `<p class="text-sm">Updated March 3, 2024, 10:15</p><p class="text-xl">` + short + `</p>`, true},
		{"a line that is no sentence", short, `<p class="text-xl">` + strings.TrimSuffix(short, ".") + `</p>`, false},
		{"a link", short, `<p><a href="/local/buses">` + short + `</a></p>`, false},
	}
	ex := newExtractor(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(leadPage(tc.header), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(res.Text, tc.lead); got != tc.wantLead {
				t.Errorf("text starts with the standfirst: %v, want %v\n%s", got, tc.wantLead, res.Text)
			}
			if n := strings.Count(res.Text, tc.lead[:40]); n > 1 {
				t.Errorf("standfirst appears %d times", n)
			}
			if !strings.Contains(res.Text, story[0]) {
				t.Errorf("lost the body:\n%s", res.Text)
			}
		})
	}
}

// TestStandfirstWithArticleBody covers pages whose DOM holds only a teaser
// and whose JSON-LD articleBody the text comes from: the DOM's standfirst
// stays in front when the page description opens it, and nothing else
// from before the body does.
func TestStandfirstWithArticleBody(t *testing.T) {
	const lead = "Night service reaches four districts from March, after years of complaints from shift workers."
	const bio = "Jane Example has reported on the city's transport for a decade and lives in the northern districts."
	body := strings.Join(story, `\n\n`) + `\n\n` + strings.Repeat("The timetable runs every thirty minutes between midnight and five in the morning on all four lines. ", 8)
	page := func(description, first string) []byte {
		return []byte(`<!doctype html><html lang="en"><head><title>Night buses for the north</title>
<meta property="og:description" content="` + description + `">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Night buses for the north","articleBody":"` + body + `"}</script>
</head><body><main><div class="story"><p class="kicker">Local</p><h1>Night buses for the north</h1>
<p class="text-xl">` + first + `</p><p>` + story[0][:80] + `…</p><div class="paywall">Subscribe to read on.</div></div></main></body></html>`)
	}
	ex := newExtractor(t, Options{})
	for _, tc := range []struct {
		name, description, first string
		want                     bool
	}{
		{"standfirst the description opens", lead, lead, true},
		{"a note that is not the description", lead, bio, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(page(tc.description, tc.first), mustURL(t, "https://news.example/local/night-buses"), "text/html")
			if err != nil {
				t.Fatal(err)
			}
			if res.Method != "jsonld" {
				t.Fatalf("method %q, want jsonld (the fixture's DOM holds only a teaser)", res.Method)
			}
			if got := strings.HasPrefix(res.Text, tc.first); got != tc.want {
				t.Errorf("text starts with %q: %v, want %v\n%s", tc.first[:30], got, tc.want, res.Text)
			}
			if !strings.Contains(res.Text, "every thirty minutes") {
				t.Errorf("lost the articleBody:\n%s", res.Text)
			}
		})
	}
}
