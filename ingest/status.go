package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// FeedStatus is what the feed_state bucket knows about one feed: the
// `newsdesk feeds` table.
type FeedStatus struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// InConfig is false for a feed the bucket remembers but the config no
	// longer lists.
	InConfig bool `json:"in_config"`
	// Polled is false for a configured feed never polled yet (or polled
	// under another config URL).
	Polled         bool      `json:"polled"`
	ConfigURL      string    `json:"config_url"`
	URL            string    `json:"url,omitempty"` // where it is polled: moved (301/308) or discovered
	DiscoveredFrom string    `json:"discovered_from,omitempty"`
	LastPoll       time.Time `json:"last_poll,omitzero"`
	LastSuccess    time.Time `json:"last_success,omitzero"`
	LastStatus     int       `json:"last_status,omitempty"`
	Items          int       `json:"items"`
	Errors         int       `json:"errors"` // consecutive failed polls
	LastError      string    `json:"last_error,omitempty"`
	NextPoll       time.Time `json:"next_poll,omitzero"`
	NotBefore      time.Time `json:"not_before,omitzero"` // a server's Retry-After
	Gone           bool      `json:"gone,omitempty"`
	Repairs        []string  `json:"repairs,omitempty"`
}

// FeedStatuses reads the state of every configured feed, then of every
// other feed the bucket remembers, in config order then by id.
func FeedStatuses(ctx context.Context, b *bus.Bus, feeds []FeedConfig) ([]FeedStatus, error) {
	var out []FeedStatus
	inConfig := map[string]bool{}
	for _, f := range feeds {
		inConfig[f.ID] = true
		st, ok, err := readState(ctx, b, f.ID)
		if err != nil {
			return nil, err
		}
		fs := FeedStatus{ID: f.ID, Name: f.Name, InConfig: true, ConfigURL: f.URL}
		if ok && st.ConfigURL == f.URL {
			fs.fill(st)
		}
		out = append(out, fs)
	}
	keys, err := b.FeedState().Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("feed_state: listing keys: %w", err)
	}
	var others []string
	for _, k := range keys {
		if !inConfig[k] {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	for _, id := range others {
		st, ok, err := readState(ctx, b, id)
		if err != nil || !ok {
			continue // deleted meanwhile, or not a feed record
		}
		fs := FeedStatus{ID: id, ConfigURL: st.ConfigURL}
		fs.fill(st)
		out = append(out, fs)
	}
	return out, nil
}

func (fs *FeedStatus) fill(st feedState) {
	fs.Polled = !st.LastPoll.IsZero()
	fs.URL, fs.DiscoveredFrom = st.URL, st.DiscoveredFrom
	fs.LastPoll, fs.LastSuccess, fs.LastStatus = st.LastPoll, st.LastSuccess, st.LastStatus
	fs.Items, fs.Errors, fs.LastError = st.Items, st.Errors, st.LastError
	fs.NextPoll, fs.NotBefore, fs.Gone, fs.Repairs = st.NextPoll, st.NotBefore, st.Gone, st.Repairs
}

func readState(ctx context.Context, b *bus.Bus, id string) (feedState, bool, error) {
	var st feedState
	e, err := b.FeedState().Get(ctx, id)
	switch {
	case errors.Is(err, bus.ErrNotFound):
		return st, false, nil
	case err != nil:
		return st, false, fmt.Errorf("feed_state %s: %w", id, err)
	}
	if err := json.Unmarshal(e.Value, &st); err != nil {
		return st, false, nil
	}
	return st, true, nil
}
