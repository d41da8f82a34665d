package publish_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/publish"
)

// TestEmptyDigestNotMailed: a day without news reaches the feed and the
// archive but nobody's inbox.
func TestEmptyDigestNotMailed(t *testing.T) {
	var out string
	e := newEnv(t, func(c *publish.Config) {
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
		out = c.OutDir
	})
	d := testDigest("de", "2026-11-30")
	d.Stories = nil
	d.Overview = "Zu diesem Thema gab es in diesem Zeitraum keine neuen Meldungen."
	if err := e.st.Deliver(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Errorf("an empty digest was mailed %d times", n)
	}
	feed, err := os.ReadFile(filepath.Join(out, "feeds", "de.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(feed), "keine neuen Meldungen") {
		t.Error("the empty digest is missing from the feed")
	}
	// The next real digest is mailed as usual.
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-12-01")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 1 {
		t.Errorf("%d mails after a digest with stories, want 1", n)
	}
}
