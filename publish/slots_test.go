package publish_test

import (
	"bytes"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish"
)

// slotDigest is testDigest for one slot of an edition that runs twice a day.
func slotDigest(lang, date, slot string) news.Digest {
	d := testDigest(lang, date)
	d.Slot = slot
	d.ID = news.DigestSlotID("daily", date, slot, lang, "p1")
	t, _ := time.Parse("15:04", slot)
	d.CreatedAt = d.CreatedAt.Add(time.Duration(t.Hour()) * time.Hour)
	d.Revision = 1
	return d
}

func mailSubjects(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	dec := new(mime.WordDecoder)
	for _, m := range e.smtp.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		s, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// TestSlotsAreSeparateEditions: the two slots of an edition that runs twice
// a day are two editions in publish: with a backlog (the evening digest
// delivered first) the morning one is still mailed, and archive and feed
// keep both, each title carrying its slot.
func TestSlotsAreSeparateEditions(t *testing.T) {
	var out string
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
		out = c.OutDir
	})
	evening, morning := slotDigest("de", "2026-11-29", "19:00"), slotDigest("de", "2026-11-29", "07:00")
	e.deliver(t, evening, morning)
	subjects := mailSubjects(t, e)
	if len(subjects) != 2 || !strings.Contains(subjects[0], "29. November, 07:00 Uhr: ") || !strings.Contains(subjects[1], "29. November, 19:00 Uhr: ") {
		t.Errorf("mail subjects %q, want one per slot, each with its slot", subjects)
	}
	for _, page := range []string{"2026-11-29-0700-daily.html", "2026-11-29-1900-daily.html"} {
		if _, err := os.Stat(filepath.Join(out, "archive", "de", page)); err != nil {
			t.Errorf("archive page: %v", err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "feeds", "de.xml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 2 || f.Items[0].GUID != evening.ID || f.Items[1].GUID != morning.ID ||
		!strings.Contains(f.Items[0].Title, "19:00") || !strings.Contains(f.Items[1].Title, "07:00") {
		var got []string
		for _, it := range f.Items {
			got = append(got, it.GUID+" "+it.Title)
		}
		t.Errorf("feed items %q, want the evening then the morning slot", got)
	}
	index, err := os.ReadFile(filepath.Join(out, "archive", "de", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), "0700-daily.html") || !strings.Contains(string(index), "1900-daily.html") {
		t.Error("the archive index does not list both slots")
	}
}

// TestRevisions: a later revision of a slot's digest replaces the earlier
// one in feed and archive; it is mailed to nobody who had an earlier
// revision with stories, and an older revision delivered late changes
// nothing.
func TestRevisions(t *testing.T) {
	var out string
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
		out = c.OutDir
	})
	page := filepath.Join(out, "archive", "de", "2026-11-29-daily.html")
	empty := testDigest("de", "2026-11-29")
	empty.Revision, empty.Stories, empty.Overview = 1, nil, "Keine neuen Meldungen."
	e.deliver(t, empty)
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("an empty revision was mailed (%d)", n)
	}
	full := testDigest("de", "2026-11-29")
	full.Revision, full.Overview = 2, "Zweite Fassung mit Meldungen."
	full.CreatedAt = empty.CreatedAt.Add(time.Hour)
	e.deliver(t, full)
	if n := len(e.smtp.Messages()); n != 1 {
		t.Fatalf("revision 2 with stories: %d mails, want 1", n)
	}
	again := full
	again.Revision, again.Overview = 3, "Dritte Fassung."
	again.CreatedAt = full.CreatedAt.Add(time.Hour)
	e.deliver(t, again)
	e.deliver(t, full) // late redelivery of revision 2
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d mails after revision 3 and a late revision 2, want still 1", n)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "Dritte Fassung.") {
		t.Error("the archive page does not show the newest revision")
	}
}
