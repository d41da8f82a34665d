package summarize

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/summarize/extractive"
	"github.com/newsdesk/newsdesk/summarize/verify"
)

// TestThirdLanguageEdition proves that a language is data: French is
// registered from test data only (a language file, a catalog and a
// stopword list in internal/lang/testdata/fr, the definition the lang
// package tests too) and an edition runs in it through the extractive path,
// with no code that knows French.
func TestThirdLanguageEdition(t *testing.T) {
	langs := lang.Default()
	if err := langs.Load(os.DirFS("../internal/lang/testdata"), "fr"); err != nil {
		t.Fatal(err)
	}
	fr := langs.Get("fr")
	b := natstest.Start(t)
	cfg := Config{Editions: []EditionConfig{{Name: "daily", Languages: []string{"de", "en", "fr"}, Lookback: 48 * time.Hour}}}
	s := newTestStage(t, cfg, Deps{Bus: b, Clock: clockwork.NewRealClock(), Langs: langs})
	publishArticles(t, b, append(loadArticles(t, "articles.json"), loadArticles(t, "articles_fr.json")...))

	res, err := s.Edition(t.Context(), EditionRequest{Edition: "daily", Slot: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ds := res.Published
	var langsOut []string
	for _, d := range ds {
		langsOut = append(langsOut, d.Language)
	}
	if !slices.Equal(langsOut, []string{"de", "en", "fr"}) {
		t.Fatalf("digests in %v, want de, en, fr", langsOut)
	}
	d := ds[2]
	checkDigest(t, d, "fr")
	if d.Title != fr.T("title.default") || !strings.HasPrefix(d.Title, "Course à l'IA") {
		t.Errorf("title %q is not the French catalog's", d.Title)
	}
	if !strings.Contains(d.Overview, "Aussi dans cette édition : ") || !strings.Contains(d.Overview, "dans une autre langue (English)") {
		t.Errorf("overview %q is not the French catalog's", d.Overview)
	}
	// The two reports on the H20 licence are one story; the Ascend report
	// is another. Every sentence of a story told in French comes from a
	// French source; the other stories (no French source) are there too,
	// told by their own headline and link.
	var french []string
	for _, st := range d.Stories {
		if st.Language == "fr" {
			french = append(french, st.ID)
		} else if st.Summary != "" || len(st.Sources) != 1 || st.Sources[0].Language != st.Language {
			t.Errorf("story %q without a French source: language %s, summary %q, sources %v", st.Headline, st.Language, st.Summary, st.Sources)
		}
	}
	if len(french) != 2 || !slices.Equal(storyIDs(d), storyIDs(ds[0])) {
		t.Fatalf("%d French stories of %d, want 2 of the German edition's: %+v", len(french), len(d.Stories), d.Stories)
	}
	var h20 int
	for _, st := range d.Stories {
		if st.Language != "fr" {
			continue
		}
		for _, src := range st.Sources {
			if !strings.Contains(src.Outlet, "(exemple)") {
				t.Errorf("French story cites %s", src.Outlet)
			}
		}
		if len(st.Sources) == 2 {
			h20++
		}
		for _, sent := range verify.SplitCited(langs, st.Summary, "fr") {
			if !strings.Contains(strings.Join(frenchTexts(t), "\n"), sent.Text) {
				t.Errorf("sentence %q is not from a French source", sent.Text)
			}
		}
	}
	if h20 != 1 {
		t.Errorf("the two H20 reports are not one story: %+v", d.Stories)
	}
	// "janv." does not end a sentence: the French abbreviations from the
	// language file are in force (without them it would).
	text := frenchTexts(t)[2]
	if !slices.ContainsFunc(extractive.Sentences(text, fr), func(x string) bool { return strings.HasPrefix(x, "Pékin encourage depuis le 15 janv. 2026 les") }) {
		t.Errorf("French sentence rules not applied: %q", extractive.Sentences(text, fr))
	}
	if slices.ContainsFunc(extractive.Sentences(text, nil), func(x string) bool { return strings.HasPrefix(x, "Pékin encourage depuis le 15 janv. 2026 les") }) {
		t.Error("without the French rules the sentence is not cut either: the check above proves nothing")
	}
}

func frenchTexts(t *testing.T) []string {
	var out []string
	for _, a := range loadArticles(t, "articles_fr.json") {
		out = append(out, strings.Join(strings.Fields(a.Text), " "))
	}
	return out
}
