package summarize

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/natstest"
	"github.com/newsdesk/newsdesk/internal/news"
)

func readDigests(t *testing.T, b *bus.Bus) []news.Digest {
	t.Helper()
	var out []news.Digest
	err := b.ReadSince(t.Context(), bus.StreamDigests, bus.SubjectDigests, time.Time{}, func(m jetstream.Msg) error {
		var d news.Digest
		if err := json.Unmarshal(m.Data(), &d); err != nil {
			t.Errorf("digest on %s: %v", m.Subject(), err)
		}
		if want := bus.DigestSubject(d.Edition, d.Language); m.Subject() != want {
			t.Errorf("digest on %s, want %s", m.Subject(), want)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEditionMemory: an edition publishes one digest per language; a re-run
// of the same edition is dropped as a duplicate and tells the same stories;
// the next edition marks a continuing story as an update and leaves out a
// story with nothing new.
func TestEditionMemory(t *testing.T) {
	b := natstest.Start(t)
	// Two days' lookback: the second edition, a day later, still reaches
	// back past the first; only memory keeps it from re-reading.
	s := newTestStage(t, Config{Editions: []EditionConfig{{Name: "daily", Lookback: 48 * time.Hour}}}, Deps{Bus: b, Now: time.Now})
	publishArticles(t, b, loadArticles(t, "articles.json"))
	at1 := time.Now()
	first, err := s.Edition(t.Context(), "daily", at1)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || len(first[0].Stories) != 5 || len(first[1].Stories) != 5 {
		t.Fatalf("first edition: %d digests", len(first))
	}
	again, err := s.Edition(t.Context(), "daily", at1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(storyIDs(again[1]), storyIDs(first[1])) {
		t.Errorf("re-run told %v, first run %v", storyIDs(again[1]), storyIDs(first[1]))
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests on the stream after a re-run, want 2", len(got))
	}
	// A manual re-run later the same day finds nothing new and must not
	// publish a second, empty digest under the same id.
	later := at1.Add(time.Millisecond)
	if _, err := s.Edition(t.Context(), "daily", later); err != nil {
		t.Fatal(err)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests on the stream after a later re-run the same day, want 2", len(got))
	}

	time.Sleep(10 * time.Millisecond)
	publishArticles(t, b, loadArticles(t, "followup.json")[:1])
	at2 := time.Now().Add(24 * time.Hour)
	second, err := s.Edition(t.Context(), "daily", at2)
	if err != nil {
		t.Fatal(err)
	}
	de, en := second[0], second[1]
	if len(de.Stories) != 0 {
		t.Errorf("German follow-up edition has %d stories: %v", len(de.Stories), storyIDs(de))
	}
	if len(en.Stories) != 1 {
		t.Fatalf("English follow-up edition has %d stories, want the H20 update", len(en.Stories))
	}
	st := en.Stories[0]
	if !st.Update {
		t.Errorf("continuing story not marked as an update: %q", st.Headline)
	}
	if len(st.Sources) != 1 || st.Sources[0].URL != "https://www.cnbc.example/2026/11/29/nvidia-h20-license-china-response.html" {
		t.Errorf("update draws on %v, want only the new article", st.Sources)
	}
	// Articles an earlier edition told (a window overlapping the last
	// edition) are not told again.
	at3 := at2.Add(24 * time.Hour)
	mem, err := s.loadMemory(t.Context(), "daily", at3)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.compose(t.Context(), s.editions["daily"], "2026-12-01", "", at3, loadArticles(t, "articles.json"), mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.digests {
		if len(d.Stories) != 0 {
			t.Errorf("%s: %d stories repeated from the first edition", d.Language, len(d.Stories))
		}
	}
	if de.Date == first[0].Date {
		t.Errorf("second edition has the first's date %s", de.Date)
	}
}

// TestEditionLock: two replicas firing the same scheduled edition compose
// and publish it once.
func TestEditionLock(t *testing.T) {
	b := natstest.Start(t)
	publishArticles(t, b, loadArticles(t, "articles.json"))
	r1 := newTestStage(t, Config{}, Deps{Bus: b, Now: time.Now})
	r2 := newTestStage(t, Config{}, Deps{Bus: b, Now: time.Now})
	ed := r1.editions["daily"]
	slot := ed.nextSlot(time.Now())
	var wg sync.WaitGroup
	var won [2]bool
	for i, r := range []*Stage{r1, r2} {
		wg.Go(func() { won[i] = r.fire(t.Context(), r.editions["daily"], slot) })
	}
	wg.Wait()
	if won[0] == won[1] {
		t.Fatalf("both or neither replica composed the edition: %v", won)
	}
	if got := readDigests(t, b); len(got) != 2 {
		t.Errorf("%d digests, want one per language", len(got))
	}
	// Firing again later does nothing: the lock says done.
	if r1.fire(t.Context(), ed, slot) {
		t.Error("a done edition was composed again")
	}
}

func TestSlots(t *testing.T) {
	ed := EditionConfig{At: []string{"07:00", "18:30"}, TimeZone: "Europe/Berlin"}
	ed.Defaults()
	if err := ed.Validate(); err != nil {
		t.Fatal(err)
	}
	berlin := ed.location()
	tests := []struct {
		now        time.Time
		next, prev time.Time
	}{
		{time.Date(2026, 11, 29, 5, 0, 0, 0, berlin), time.Date(2026, 11, 29, 7, 0, 0, 0, berlin), time.Date(2026, 11, 28, 18, 30, 0, 0, berlin)},
		{time.Date(2026, 11, 29, 7, 0, 0, 0, berlin), time.Date(2026, 11, 29, 18, 30, 0, 0, berlin), time.Date(2026, 11, 29, 7, 0, 0, 0, berlin)},
		{time.Date(2026, 11, 29, 23, 0, 0, 0, berlin), time.Date(2026, 11, 30, 7, 0, 0, 0, berlin), time.Date(2026, 11, 29, 18, 30, 0, 0, berlin)},
		// The night the clocks go back: 07:00 is still 07:00 local.
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 7, 0, 0, 0, berlin), time.Date(2026, 10, 24, 18, 30, 0, 0, berlin)},
	}
	for _, tt := range tests {
		if got := ed.nextSlot(tt.now); !got.Equal(tt.next) {
			t.Errorf("nextSlot(%v) = %v, want %v", tt.now, got, tt.next)
		}
		if got := ed.prevSlot(tt.now); !got.Equal(tt.prev) {
			t.Errorf("prevSlot(%v) = %v, want %v", tt.now, got, tt.prev)
		}
	}
}
