package ingest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// videoPage is a video page: a player and a caption, too little text for
// an article, and the page's own description when desc is not "".
func videoPage(desc string) string {
	meta := ""
	if desc != "" {
		meta = fmt.Sprintf(`<meta property="og:description" content="%s">`, desc)
	}
	return `<!doctype html><html lang="de"><head><title>Video: Exportkontrollen für KI-Chips</title>` + meta +
		`</head><body><main><h1>Video: Exportkontrollen für KI-Chips</h1><video src="/v.mp4"></video><p>Dauer 2:31 Min.</p></main></body></html>`
}

// TestShortPageDescriptionStandsIn: a video page (too little text for an
// article) whose feed item says only "Video" is published with the
// page's own description as its text when that is long enough; without
// one, the item fails as before, and a feed description longer than the
// page's wins.
func TestShortPageDescriptionStandsIn(t *testing.T) {
	const pageDesc = "Die USA verschärfen die Exportkontrollen für KI-Chips: Nvidia darf seinen H20 nicht mehr nach China liefern, und Huawei soll mit eigenen Ascend-Chips die Lücke schließen, sagen Fachleute in Peking."
	longFeed := "Ausfuhrregeln für KI-Chips: Die US-Regierung stoppt den Verkauf von Nvidias H20 nach China. " + pageDesc
	tests := []struct {
		name, feedDesc, pageDesc string
		want                     string // the article's text; "" for no article
	}{
		{"page description stands in", "Video", pageDesc, pageDesc},
		{"no page description", "Video", "", ""},
		{"the longer feed description wins", longFeed, pageDesc, longFeed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newSite(t)
			site.handle("/video.html", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write([]byte(videoPage(tt.pageDesc)))
			})
			site.handle("/feeds/video.xml", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Videos</title><link>%s</link><description>Videos</description>
<item><title>Video: Exportkontrollen für KI-Chips</title><link>%s</link><guid>v1</guid><description>%s</description></item></channel></rss>`,
					site.URL("/"), site.URL("/video.html"), tt.feedDesc)
			})
			b := newTestBus(t)
			cfg := testConfig(FeedConfig{ID: "video", Name: "Videos", URL: site.URL("/feeds/video.xml"), Language: "de"})
			cfg.MinDescriptionChars = 150
			if _, err := newStage(t, b, cfg).PollOnce(t.Context()); err != nil && tt.want != "" {
				t.Fatal(err)
			}
			arts := readArticles(t, b)
			if tt.want == "" {
				if len(arts) != 0 {
					t.Errorf("published %d articles from a video page without a description", len(arts))
				}
				return
			}
			if len(arts) != 1 {
				t.Fatalf("published %d articles, want 1", len(arts))
			}
			for _, a := range arts {
				if strings.TrimSpace(a.Text) != tt.want {
					t.Errorf("text = %q, want %q", a.Text, tt.want)
				}
			}
		})
	}
}
