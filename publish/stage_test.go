package publish_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish"
)

// fixedNow is the clock of every test: outputs must not depend on it.
var fixedNow = time.Date(2026, 11, 29, 7, 30, 0, 0, time.UTC)

func testDigest(lang, date string) news.Digest {
	created, _ := time.Parse(time.DateOnly, date)
	created = created.Add(6 * time.Hour)
	title := map[string]string{"de": "Tägliche Übersicht: KI-Wettlauf " + date, "en": "Daily brief: AI race " + date}[lang]
	return news.Digest{
		Schema:   news.DigestSchema,
		ID:       news.DigestID("daily", date, lang, "p1"),
		Edition:  "daily",
		Date:     date,
		Language: lang,
		Title:    title,
		Overview: "Zwei Meldungen zu Chips und Modellen.",
		Stories: []news.Story{{
			ID:       "s1",
			Headline: "Exportkontrollen für KI-Chips verschärft",
			Summary:  "Washington weitet die Regeln aus [1]. Peking kritisiert den Schritt [2].",
			Sources: []news.Source{
				{Outlet: "heise online", Title: "USA verschärfen Exportregeln", URL: "https://www.heise.de/news/1", Language: "de"},
				{Outlet: "Reuters", Title: "China criticises rules", URL: "https://www.reuters.com/2", Language: "en"},
			},
		}},
		CreatedAt: created,
		Generator: "extractive",
	}
}

func baseConfig(t *testing.T) publish.Config { return baseConfigB(t) }

func baseConfigB(t testing.TB) publish.Config {
	t.Helper()
	out := t.TempDir()
	return publish.Config{
		OutDir:  out,
		BaseURL: "https://news.example.org",
		Email: publish.EmailConfig{
			From:   "Newsdesk <digest@news.example.org>",
			ListID: "daily.news.example.org",
		},
	}
}

// startStage builds a stage from cfg and deps (with a fake clock at
// fixedNow when deps has none) and initializes it; an error ends the
// test.
func startStage(t *testing.T, cfg publish.Config, deps publish.Deps) *publish.Stage {
	t.Helper()
	if deps.Clock == nil {
		deps.Clock = clockwork.NewFakeClockAt(fixedNow)
	}
	st, err := publish.New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDeliverWritesFeedsAndOutbox(t *testing.T) {
	b := natstest.Start(t)
	cfg := baseConfig(t)
	cfg.Email.Subscribers = []publish.SeedSubscriber{{Email: "leser@example.net", Languages: []string{"de"}}}
	st := startStage(t, cfg, publish.Deps{Bus: b})
	ctx := t.Context()
	d := testDigest("de", "2026-11-29")
	for range 2 { // the second delivery is a redelivery: no second mail
		if err := st.Deliver(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"feeds/de.xml", "feeds/de.atom", "feeds/de.json", "digests/de.json", "archive/de/index.html", "archive/de/2026-11-29-daily.html"} {
		if _, err := os.Stat(filepath.Join(cfg.OutDir, f)); err != nil {
			t.Errorf("missing output %s: %v", f, err)
		}
	}
	emls, _ := filepath.Glob(filepath.Join(cfg.OutDir, "outbox", "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("outbox has %d mails, want 1", len(emls))
	}
	if os.Getenv("DUMP") != "" {
		raw, _ := os.ReadFile(emls[0])
		t.Logf("%s", raw)
	}
}
