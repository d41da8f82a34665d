package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/clip"
)

// The seen gate. Each feed item has a record in the "seen" bucket keyed by
// itemKey. The record is created with bus.CreateOnce *before* the item is
// processed, as a claim, and finished *after* the article is published:
//
//	(none) ──CreateOnce──▶ claimed ──publish ok──▶ published / irrelevant /
//	                          │                    failed / duplicate (final)
//	                          ├─transient error──▶ retry (next poll reclaims)
//	                          └─poller died──────▶ claimed, older than
//	                                               claim_timeout: reclaimed
//
// So an item is processed by one poller at a time (the claim is a
// compare-and-set, which also holds across replicas), a crash between fetch
// and publish does not lose it (the stale claim is taken over on a later
// poll), and a crash between publish and the final record re-publishes
// with the same message id inside the bus duplicate window (claim_timeout
// is kept below it), which JetStream drops.
//
// Articles also get a record keyed by their article id, so the same story
// reached through two feeds (or two GUIDs) is published once.

// Seen record states.
const (
	stateClaimed    = "claimed"
	stateRetry      = "retry"
	statePublished  = "published"
	stateIrrelevant = "irrelevant"
	stateFailed     = "failed"
	stateDuplicate  = "duplicate"
)

type seenRecord struct {
	State     string    `json:"state"`
	Attempts  int       `json:"attempts,omitempty"`
	At        time.Time `json:"at"`
	FirstSeen time.Time `json:"first_seen"`
	Feed      string    `json:"feed,omitempty"`
	Article   string    `json:"article,omitempty"`
	Reason    string    `json:"reason,omitempty"`
}

// itemKey is the seen-bucket key of an item: a hash, since GUIDs and links
// are not valid KV keys.
func itemKey(feedID, itemID string) string {
	sum := sha256.Sum256([]byte(feedID + "\n" + itemID))
	return "i-" + hex.EncodeToString(sum[:16])
}

// claim is an item's claim: the record as claimed and its KV revision.
type claim struct {
	key string
	rec seenRecord
	rev uint64
}

// tryClaim claims an item for processing; ok is false when it was seen
// already (finished, or claimed by a live poller).
func (s *Stage) tryClaim(ctx context.Context, feedID, itemID string, now time.Time) (c claim, ok bool, err error) {
	key := itemKey(feedID, itemID)
	rec := seenRecord{State: stateClaimed, At: now, FirstSeen: now, Feed: feedID}
	e, err := s.bus.Seen().Get(ctx, key)
	if errors.Is(err, bus.ErrNotFound) {
		data, _ := json.Marshal(rec)
		rev, err := s.bus.Seen().Create(ctx, key, data)
		if errors.Is(err, bus.ErrConflict) {
			return c, false, nil
		}
		if err != nil {
			return c, false, fmt.Errorf("seen gate %s: %w", key, err)
		}
		return claim{key: key, rec: rec, rev: rev}, true, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("seen gate %s: %w", key, err)
	}
	var old seenRecord
	if err := json.Unmarshal(e.Value, &old); err != nil {
		return c, false, fmt.Errorf("seen gate %s: decoding: %w", key, err)
	}
	switch {
	case old.State == stateRetry:
	case old.State == stateClaimed && now.Sub(old.At) >= s.cfg.ClaimTimeout:
		s.log.Warn("taking over a stale claim", "feed_id", feedID, "item_id", itemID, "claimed_at", old.At)
	default:
		return c, false, nil
	}
	rec.FirstSeen, rec.Attempts = old.FirstSeen, old.Attempts
	data, _ := json.Marshal(rec)
	rev, err := s.bus.Seen().Update(ctx, key, data, e.Revision)
	if err != nil {
		if errors.Is(err, bus.ErrConflict) {
			return c, false, nil // someone else took it
		}
		return c, false, fmt.Errorf("seen gate %s: %w", key, err)
	}
	return claim{key: key, rec: rec, rev: rev}, true, nil
}

// finish records the item's outcome, conditional on our claim still being
// the latest revision.
func (s *Stage) finish(ctx context.Context, c claim, state, articleID, reason string, now time.Time) error {
	c.rec.State, c.rec.At, c.rec.Article, c.rec.Reason = state, now, articleID, clip.Bytes(reason, 300)
	data, _ := json.Marshal(c.rec)
	if _, err := s.bus.Seen().Update(ctx, c.key, data, c.rev); err != nil {
		return fmt.Errorf("seen gate %s: recording %s: %w", c.key, state, err)
	}
	return nil
}

// articleSeen reports whether an article id was published before.
func (s *Stage) articleSeen(ctx context.Context, articleID string) (bool, error) {
	_, err := s.bus.Seen().Get(ctx, articleID)
	switch {
	case errors.Is(err, bus.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("seen gate %s: %w", articleID, err)
	}
	return true, nil
}

func (s *Stage) markArticle(ctx context.Context, articleID, feedID string, now time.Time) error {
	data, _ := json.Marshal(seenRecord{State: statePublished, At: now, FirstSeen: now, Feed: feedID, Article: articleID})
	if _, err := s.bus.Seen().Put(ctx, articleID, data); err != nil {
		return fmt.Errorf("seen gate %s: %w", articleID, err)
	}
	return nil
}
