package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// tally is what the run counted at its end.
type tally struct {
	articles, lost, dupArticles int
	editionsOnce, languages     int
	editionNotes                []string
	emailsOK, emailsWant        int
	dupEmails, wrongEmails      int
	emailNotes                  []string
}

func (t tally) ok() bool {
	return t.lost == 0 && t.dupArticles == 0 && t.editionsOnce == t.languages &&
		t.emailsOK == t.emailsWant && t.dupEmails == 0 && t.wrongEmails == 0
}

func (t tally) String() string {
	s := fmt.Sprintf("articles %d lost %d duplicated %d editions %d/%d emails %d/%d duplicated %d",
		t.articles, t.lost, t.dupArticles, t.editionsOnce, t.languages, t.emailsOK, t.emailsWant, t.dupEmails)
	if t.wrongEmails > 0 {
		s += fmt.Sprintf(" unexpected %d", t.wrongEmails)
	}
	return s
}

// readStream returns every message's data on stream, in order, read as
// the stages read (bus.ReadSince).
func readStream(ctx context.Context, b *bus.Bus, stream, subject string) ([][]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var out [][]byte
	err := b.ReadSince(ctx, stream, subject, time.Time{}, func(m jetstream.Msg) error {
		out = append(out, m.Data())
		return nil
	})
	return out, err
}

// countArticles compares the articles on ARTICLES with the feed site's.
func countArticles(ctx context.Context, b *bus.Bus, want map[string]bool, t *tally) error {
	data, err := readStream(ctx, b, bus.StreamArticles, bus.SubjectArticles)
	if err != nil {
		return fmt.Errorf("reading ARTICLES: %w", err)
	}
	got := map[string]int{}
	for _, d := range data {
		var a struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(d, &a); err != nil {
			return fmt.Errorf("an article on ARTICLES: %w", err)
		}
		got[a.URL]++
	}
	t.articles, t.lost, t.dupArticles = len(want), 0, 0
	for u := range want {
		if got[u] == 0 {
			t.lost++
		}
	}
	for u, n := range got {
		if !want[u] {
			t.dupArticles += n // not an article of the site at all
		} else if n > 1 {
			t.dupArticles += n - 1
		}
	}
	return nil
}

// digestInfo is what the tally reads from a digest.
type digestInfo struct {
	ID       string          `json:"id"`
	Language string          `json:"language"`
	Revision int             `json:"revision"`
	Stories  json.RawMessage `json:"stories"`
	Title    string          `json:"title"`
}

// countEditions: each language of the edition slot is on DIGESTS exactly
// once (one digest id, one revision, with stories).
func countEditions(ctx context.Context, b *bus.Bus, langs []string, t *tally) error {
	data, err := readStream(ctx, b, bus.StreamDigests, bus.SubjectDigests)
	if err != nil {
		return fmt.Errorf("reading DIGESTS: %w", err)
	}
	per := map[string][]digestInfo{}
	for _, d := range data {
		var di digestInfo
		if err := json.Unmarshal(d, &di); err != nil {
			return fmt.Errorf("a digest on DIGESTS: %w", err)
		}
		per[di.Language] = append(per[di.Language], di)
	}
	t.languages, t.editionsOnce, t.editionNotes = len(langs), 0, nil
	for _, l := range langs {
		ds := per[l]
		switch {
		case len(ds) == 1 && len(ds[0].Stories) > 4:
			t.editionsOnce++
		case len(ds) == 0:
			t.editionNotes = append(t.editionNotes, l+": no digest")
		default:
			var ids []string
			for _, d := range ds {
				ids = append(ids, fmt.Sprintf("%s r%d (%d bytes of stories)", d.ID, d.Revision, len(d.Stories)))
			}
			t.editionNotes = append(t.editionNotes, l+": "+strings.Join(ids, ", "))
		}
	}
	return nil
}

// countEmails: every subscriber has exactly one mail per language they
// read, the same mail as every other reader of that language.
func countEmails(ctx context.Context, m *mailpit, subs []subscriber, t *tally) error {
	mails, err := m.messages(ctx)
	if err != nil {
		return err
	}
	type key struct{ to, subject string }
	got := map[key]int{}
	bySub := map[string][]string{}
	for _, ml := range mails {
		for _, to := range ml.To {
			k := key{strings.ToLower(to), ml.Subject}
			if got[k] == 0 {
				bySub[k.to] = append(bySub[k.to], ml.Subject)
			}
			got[k]++
		}
	}
	t.emailsWant, t.emailsOK, t.dupEmails, t.wrongEmails, t.emailNotes = 0, 0, 0, 0, nil
	known := map[string]bool{}
	// The subject each language's single readers got: every reader of
	// the language must have that one.
	subjectOf := map[string]map[string]int{}
	for _, s := range subs {
		known[s.email] = true
		t.emailsWant += len(s.langs)
		if len(s.langs) == 1 {
			for _, subj := range bySub[s.email] {
				if subjectOf[s.langs[0]] == nil {
					subjectOf[s.langs[0]] = map[string]int{}
				}
				subjectOf[s.langs[0]][subj]++
			}
		}
	}
	// Each language's mail is the subject most of its single readers got;
	// anything else is unexpected.
	canonical := map[string]string{}
	for l, subjects := range subjectOf {
		best := ""
		for subj, n := range subjects {
			if best == "" || n > subjects[best] {
				best = subj
			}
		}
		canonical[l] = best
	}
	for _, s := range subs {
		var want []string
		for _, l := range s.langs {
			if c, ok := canonical[l]; ok {
				want = append(want, c)
			}
		}
		for _, subj := range bySub[s.email] {
			n := got[key{s.email, subj}]
			if slices.Contains(want, subj) {
				t.emailsOK++
				t.dupEmails += n - 1
			} else {
				t.wrongEmails += n
				t.emailNotes = append(t.emailNotes, fmt.Sprintf("%s (%v) got %q", s.email, s.langs, subj))
			}
		}
		if missing := len(s.langs) - len(bySub[s.email]); missing > 0 && len(t.emailNotes) < 20 {
			t.emailNotes = append(t.emailNotes, fmt.Sprintf("%s (%v) got %d of %d", s.email, s.langs, len(bySub[s.email]), len(s.langs)))
		}
	}
	for k, n := range got {
		if !known[k.to] {
			t.wrongEmails += n
		}
	}
	return nil
}
