package publish_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsdesk/newsdesk/publish"
)

// TestRevisionIsANewFeedItem: a feed reader keeps an item by its id and
// shows it once. When a run left a slot without stories and a later run
// publishes the edition with its news, the reader must see the news as a
// new item, not keep the empty one it already has: every format's item id
// changes with the revision, stays the same when a revision is delivered
// again, and the feed holds one item for the slot.
func TestRevisionIsANewFeedItem(t *testing.T) {
	var out string
	e := newEnv(t, func(c *publish.Config) { out = c.OutDir })
	ids := func() map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, ext := range []string{"xml", "atom", "json"} {
			f, err := os.Open(filepath.Join(out, "feeds", "de."+ext))
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := gofeed.NewParser().Parse(f)
			f.Close()
			if err != nil {
				t.Fatalf("de.%s: %v", ext, err)
			}
			if len(parsed.Items) != 1 {
				t.Fatalf("de.%s: %d items for one slot, want 1", ext, len(parsed.Items))
			}
			got[ext] = parsed.Items[0].GUID
		}
		return got
	}
	empty := testDigest("de", "2026-11-29")
	empty.Revision, empty.Stories, empty.Overview = 1, nil, "Keine neuen Meldungen."
	e.deliver(t, empty)
	first := ids()

	full := testDigest("de", "2026-11-29")
	full.Revision = 2
	full.CreatedAt = empty.CreatedAt.Add(time.Hour)
	e.deliver(t, full)
	second := ids()
	for ext, id := range second {
		if id == first[ext] {
			t.Errorf("de.%s: revision 2 keeps revision 1's item id %q: a reader that has the empty edition never shows the news", ext, id)
		}
	}
	e.deliver(t, full)
	for ext, id := range ids() {
		if id != second[ext] {
			t.Errorf("de.%s: delivering revision 2 again changed its id %q → %q", ext, second[ext], id)
		}
	}
}
