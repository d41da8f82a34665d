package extract

import (
	"strings"
	"testing"
)

// TestBuiltinCNBC checks the cnbc.com rule on markup shaped like the saved
// pages: key points and header outside the body, captions and video cards
// inside it.
func TestBuiltinCNBC(t *testing.T) {
	page := []byte(`<!doctype html><html lang="en"><head><title>Night buses for the north</title></head><body>
<header class="ArticleHeader-articleHeader"><h1 class="ArticleHeader-headline">Night buses for the north</h1></header>
<div class="RenderKeyPoints-list"><ul><li>The council extends the night service to four districts.</li><li>It costs two million euros a year.</li></ul></div>
<div class="ArticleBody-articleBody" data-module="ArticleBody">
<div class="InlineVideo-videoEmbed"><span class="InlineVideo-videoLabel">VIDEO</span><span>3:45</span><div class="InlineVideo-title">Why the night bus matters: Pro</div></div>
<div class="group"><p>` + story[0] + `</p><p>` + story[1] + `</p></div>
<div class="InlineImage-imageEmbed"><div class="InlineImage-imageEmbedCaption">A night bus leaves the depot in the northern district of the city on Monday, Nov. 18, 2019.</div><div class="InlineImage-imageEmbedCredit">Jane Example | Example Agency</div></div>
<div class="group"><p>` + story[2] + `</p></div></div>
<div class="RelatedContent"><a href="/other">Trams for the south</a></div></body></html>`)
	res, err := newExtractor(t, Options{}).Extract(page, mustURL(t, "https://www.cnbc.com/2026/01/05/night-buses.html"), "text/html")
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "rule" {
		t.Errorf("method %q, want rule", res.Method)
	}
	if want := strings.Join(story, "\n\n"); res.Text != want {
		t.Errorf("text:\n%s\nwant:\n%s", res.Text, want)
	}
}
