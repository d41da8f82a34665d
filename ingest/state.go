package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"

	"github.com/newsdesk/newsdesk/internal/retry"
)

// feedState is the feed_state KV record of one feed (key = feed id). It
// survives restarts, so a restarted stage neither re-polls early nor
// forgets validators, moves or a 410.
type feedState struct {
	ConfigURL string `json:"config_url"` // the URL in the config when this state began
	URL       string `json:"url"`        // where to poll: ConfigURL, a 301/308 target or a discovered feed
	// DiscoveredFrom is the web page (the configured URL, or where it
	// moved) that advertised URL as its feed; empty when URL is a feed.
	DiscoveredFrom string    `json:"discovered_from,omitempty"`
	ETag           string    `json:"etag,omitempty"` // verbatim, quotes included
	LastModified   string    `json:"last_modified,omitempty"`
	NextPoll       time.Time `json:"next_poll"`
	LastPoll       time.Time `json:"last_poll,omitzero"`
	LastSuccess    time.Time `json:"last_success,omitzero"`
	Errors         int       `json:"errors"`    // consecutive failed polls
	Unchanged      int       `json:"unchanged"` // consecutive polls without new items
	LastError      string    `json:"last_error,omitempty"`
	LastStatus     int       `json:"last_status,omitempty"`
	// NotBefore is when the server's Retry-After (or a back-off of its
	// host) ends; even PollOnce does not poll before it.
	NotBefore time.Time `json:"not_before,omitzero"`
	Gone      bool      `json:"gone,omitempty"` // 410: not polled again until the config URL changes
	// TTL is the feed's own update hint (RSS <ttl>, sy:updatePeriod),
	// kept for polls answered with 304.
	TTL time.Duration `json:"ttl,omitempty"`
	// PolledBy is the ingest process (member id) that polled last.
	PolledBy string `json:"polled_by,omitempty"`
	// Items is how many items the feed held when last parsed, Repairs
	// what had to be fixed to parse it (for `newsdesk feeds`).
	Items   int      `json:"items"`
	Repairs []string `json:"repairs,omitempty"`
}

// loadState reads a feed's state and its KV revision (0 when absent). A
// state made for another config URL is replaced by a fresh one.
func (s *Stage) loadState(ctx context.Context, f FeedConfig) (feedState, uint64, error) {
	var st feedState
	e, err := s.bus.FeedState().Get(ctx, f.ID)
	switch {
	case errors.Is(err, bus.ErrNotFound):
		return feedState{ConfigURL: f.URL, URL: f.URL}, 0, nil
	case err != nil:
		return st, 0, fmt.Errorf("feed %s: reading state: %w", f.ID, err)
	}
	if err := json.Unmarshal(e.Value, &st); err != nil || st.ConfigURL != f.URL || st.URL == "" {
		if err != nil {
			s.log.Warn("discarding unreadable feed state", "feed_id", f.ID, "err", err)
		}
		return feedState{ConfigURL: f.URL, URL: f.URL}, e.Revision, nil
	}
	return st, e.Revision, nil
}

// errLeaseLost means another poller updated the feed's state first.
var errLeaseLost = errors.New("feed is being polled elsewhere")

// saveState writes st. With rev >= 0 it is a compare-and-set against that
// revision (0: the key must not exist), which is how pollers on several
// replicas agree on who polls a feed; rev < 0 writes unconditionally.
func (s *Stage) saveState(ctx context.Context, f FeedConfig, st feedState, rev int64) (uint64, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return 0, fmt.Errorf("feed %s: encoding state: %w", f.ID, err)
	}
	var nrev uint64
	if rev < 0 {
		nrev, err = s.bus.FeedState().Put(ctx, f.ID, data)
	} else {
		nrev, err = s.bus.FeedState().Update(ctx, f.ID, data, uint64(rev))
	}
	if err != nil {
		if errors.Is(err, bus.ErrConflict) {
			return 0, errLeaseLost
		}
		return 0, fmt.Errorf("feed %s: writing state: %w", f.ID, err)
	}
	s.setDue(f.ID, st)
	return nrev, nil
}

// interval is the feed's poll interval.
func (s *Stage) interval(f FeedConfig) time.Duration {
	if f.PollInterval > 0 {
		return f.PollInterval
	}
	return s.cfg.PollInterval
}

// nextPoll schedules the next poll after a success: the interval, raised
// to the feed's own hint (Cache-Control max-age, <ttl>), stretched for a
// feed that keeps having nothing new (by a quarter of the interval per
// unchanged poll, up to max_unchanged_factor), capped, plus jitter.
func (s *Stage) nextPoll(now time.Time, f FeedConfig, hint time.Duration, unchanged int) time.Time {
	stretch := min(1+float64(unchanged)/4, s.cfg.MaxUnchangedFactor)
	d := time.Duration(float64(s.interval(f)) * max(stretch, 1))
	d = min(max(d, hint), s.cfg.MaxPollInterval)
	return now.Add(d + s.jitter(d))
}

// retryPoll schedules the next poll after a failure: exponential backoff
// from Backoff.Initial, never sooner than the interval or a Retry-After.
func (s *Stage) retryPoll(now time.Time, f FeedConfig, errs int, notBefore time.Time) time.Time {
	d := max(retry.Exponential(s.cfg.Backoff.Initial, s.cfg.Backoff.Max, errs-1), s.interval(f))
	t := now.Add(d + s.jitter(d))
	if t.Before(notBefore) {
		t = notBefore
	}
	return t
}

func (s *Stage) jitter(d time.Duration) time.Duration {
	if s.cfg.PollJitter <= 0 || d <= 0 {
		return 0
	}
	return time.Duration(rand.Float64() * s.cfg.PollJitter * float64(d))
}
