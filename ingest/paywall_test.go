package ingest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPaywalledPageMarked: a page that shows a teaser and then a subscribe
// box becomes an article marked paywalled and truncated, with the teaser as
// its text and none of the box.
func TestPaywalledPageMarked(t *testing.T) {
	site := newSite(t)
	site.handle("/articles/locked.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><html lang="de"><head><title>Exportkontrollen für KI-Chips verschärft</title></head><body>
<article><h1>Exportkontrollen für KI-Chips verschärft</h1>
<p>Die US-Regierung verschärft die Exportkontrollen für Hochleistungschips nach China, Nvidia und AMD müssen Lizenzen beantragen.</p>
<p>Betroffen sind auch Chips, die eigens für den chinesischen Markt entwickelt wurden, heißt es aus Washington.</p>
<div class="paywall"><p>Jetzt weiterlesen mit Testpost+</p><a href="/abo">Abo abschließen</a> <a href="/login">Anmelden</a></div>
</article></body></html>`))
	})
	b := newTestBus(t)
	cfg := testConfig(FeedConfig{ID: "x", Name: "X", URL: site.URL("/feeds/x.xml"), Language: "de"})
	st := newStage(t, b, cfg)
	link := site.URL("/articles/locked.html")
	art, err := st.Process(t.Context(), cfg.Feeds[0], FeedItem{ID: link, Link: link, Title: "Exportkontrollen für KI-Chips verschärft"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !art.Paywalled || !art.Truncated {
		t.Errorf("paywalled=%v truncated=%v, want both", art.Paywalled, art.Truncated)
	}
	if !strings.Contains(art.Text, "Hochleistungschips") || strings.Contains(art.Text, "weiterlesen") {
		t.Errorf("text is not the teaser alone:\n%s", art.Text)
	}
}
