package publish

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

var isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// slug names a digest's archive page: "<date>-<edition>", or
// "<date>-<HHMM>-<edition>" for an edition with several slots a day. One
// edition slot (date, slot, edition, language) has one page; a later
// revision of the slot's digest replaces the earlier one.
func slug(d news.Digest) string {
	date := d.Date
	if !isoDateRE.MatchString(date) {
		date = bus.Token(date)
	}
	if d.Slot != "" {
		date += "-" + bus.Token(strings.ReplaceAll(d.Slot, ":", ""))
	}
	return date + "-" + bus.Token(d.Edition)
}

// newer reports whether d replaces old in their slot: a higher revision,
// or the same revision created later (digests from before revisions have
// revision 0).
func newer(d, old news.Digest) bool {
	if d.Revision != old.Revision {
		return d.Revision > old.Revision
	}
	return !published(d).Before(published(old))
}

// published is the time a digest counts as published in feeds: when it was
// created, or the edition date when the digest carries no creation time.
func published(d news.Digest) time.Time {
	if !d.CreatedAt.IsZero() {
		return d.CreatedAt.UTC()
	}
	if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
		return t
	}
	return time.Unix(0, 0).UTC()
}

// library holds every digest the stage has seen, per language and slot.
type library struct {
	mu     sync.RWMutex
	byLang map[string]map[string]news.Digest
}

func newLibrary() *library { return &library{byLang: map[string]map[string]news.Digest{}} }

// add stores d and reports whether anything changed: an older revision for
// a slot never replaces a newer one, so a redelivery is a no-op.
func (l *library) add(lang string, d news.Digest) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.byLang[lang]
	if m == nil {
		m = map[string]news.Digest{}
		l.byLang[lang] = m
	}
	k := slug(d)
	if old, ok := m[k]; ok {
		if old.ID == d.ID && old.CreatedAt.Equal(d.CreatedAt) {
			return false
		}
		if !newer(d, old) {
			return false
		}
	}
	m[k] = d
	return true
}

// newest returns a language's digests newest first.
func (l *library) newest(lang string) []news.Digest {
	l.mu.RLock()
	out := make([]news.Digest, 0, len(l.byLang[lang]))
	for _, d := range l.byLang[lang] {
		out = append(out, d)
	}
	l.mu.RUnlock()
	slices.SortFunc(out, func(a, b news.Digest) int {
		if c := strings.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		if c := strings.Compare(b.Slot, a.Slot); c != 0 {
			return c
		}
		if c := published(b).Compare(published(a)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// languages returns the languages that have digests, sorted.
func (l *library) languages() []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]string, 0, len(l.byLang))
	for k := range l.byLang {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// digestLang is the language a digest is filed under.
func digestLang(d news.Digest) string { return render.LangTag(d.Language) }
