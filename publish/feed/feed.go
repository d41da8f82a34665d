package feed

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Content types to serve the documents with.
const (
	ContentTypeRSS  = "application/rss+xml; charset=utf-8"
	ContentTypeAtom = "application/atom+xml; charset=utf-8"
	ContentTypeJSON = "application/feed+json"
)

// Channel describes one feed (one language).
type Channel struct {
	Title       string
	Description string
	Language    string // "de", "en"
	HomeURL     string // the human-readable page for the feed (archive index)
	Authority   string // DNS name owning the tag: URIs, e.g. "news.example.org"
	Author      string // display name of the feed's author
	Generator   string
	// Hub is an optional WebSub hub URL, advertised as rel="hub".
	Hub string
}

// Item is one digest in a feed.
type Item struct {
	ID          string // stable: the digest id (and its revision, from the second)
	Title       string
	URL         string // the digest's archive page
	Date        string // the edition date, YYYY-MM-DD; used in the Atom tag: id
	Published   time.Time
	Updated     time.Time // zero means Published
	Summary     string    // plain text
	ContentHTML string
	Author      string // display name
}

func (it Item) updated() time.Time {
	if it.Updated.IsZero() {
		return it.Published
	}
	return it.Updated
}

// lastUpdated is the newest item update, the feed's modification time.
func lastUpdated(items []Item) time.Time {
	var t time.Time
	for _, it := range items {
		if u := it.updated(); u.After(t) {
			t = u
		}
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t
}

// LastModified is the time a feed over items last changed: the newest item
// update. Serve it as Last-Modified.
func LastModified(items []Item) time.Time { return lastUpdated(items) }

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TagURI is the permanent Atom id of an item (RFC 4151):
// tag:<authority>,<date>:digest/<id>, with characters outside the tag
// grammar percent-encoded so a hostile id cannot break the IRI.
func TagURI(authority string, it Item) string {
	date := it.Date
	if !dateRE.MatchString(date) {
		date = it.Published.UTC().Format(time.DateOnly)
	}
	return fmt.Sprintf("tag:%s,%s:digest/%s", tagEscape(authority), date, tagEscape(it.ID))
}

// feedTagURI is the Atom id of a whole feed; the year is fixed so the id
// never changes.
func feedTagURI(ch Channel) string {
	return fmt.Sprintf("tag:%s,2026:newsdesk/feed/%s", tagEscape(ch.Authority), tagEscape(ch.Language))
}

func tagEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}
