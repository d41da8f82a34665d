package render_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

// bigDigest is a realistic edition: 10 stories, 4 sources each, ~120 words
// of summary per story with citations.
func bigDigest() news.Digest {
	d := digest()
	d.Stories = nil
	for i := range 10 {
		var srcs []news.Source
		for j := range 4 {
			srcs = append(srcs, news.Source{Outlet: "Outlet", Title: "Quelle mit Titel", URL: fmt.Sprintf("https://example.org/%d/%d", i, j)})
		}
		d.Stories = append(d.Stories, news.Story{
			Headline: "Exportkontrollen für KI-Chips verschärft",
			Summary:  strings.Repeat("Washington weitet die Regeln für Hochleistungschips aus [1]. Peking kritisiert den Schritt scharf [2, 3]. ", 8),
			Sources:  srcs,
		})
	}
	return d
}

func BenchmarkRenderDigest(b *testing.B) {
	d := bigDigest()
	lim := limits()
	b.ReportAllocs()
	for b.Loop() {
		v := render.Build(d, lim, testLang)
		if _, err := render.Fragment(v); err != nil {
			b.Fatal(err)
		}
		if _, err := render.EmailHTML(v, links); err != nil {
			b.Fatal(err)
		}
		_ = render.EmailText(v, links)
	}
}

// BenchmarkRenderMailBodies is the per-recipient part of a send: the view is
// built once per digest, the bodies once per recipient.
func BenchmarkRenderMailBodies(b *testing.B) {
	v := render.Build(bigDigest(), limits(), testLang)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render.EmailHTML(v, links); err != nil {
			b.Fatal(err)
		}
		_ = render.EmailText(v, links)
	}
}
