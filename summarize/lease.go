package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/clip"
)

// An edition slot's record lives in the editions bucket under
// lock.<edition>.<date>.<HHMM>. It is the lock that lets one replica
// compose the slot, a lease its holder renews while composing, and what the
// slot has published so far, per language.
type slotRecord struct {
	Holder   string    `json:"holder"`
	State    string    `json:"state"`
	Attempts int       `json:"attempts,omitempty"`
	Started  time.Time `json:"started"`
	// Renewed is when the holder last renewed the lease (its clock).
	Renewed time.Time `json:"renewed,omitzero"`
	// Since and Until are the article window of the last attempt; a later
	// attempt reuses Since, so the slot keeps its window start.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	Error string    `json:"error,omitempty"`
	// Digests are what the slot published, one per language: the newest
	// revision of each.
	Digests []SlotDigest `json:"digests,omitempty"`
}

// Slot record states. "started" is what records written before leases
// said for composing; it reads as composing.
const (
	stateComposing = "composing"
	stateDone      = "done"
	stateFailed    = "failed"
	stateLegacy    = "started"
)

// digest returns the slot's published digest in lang, if any.
func (r *slotRecord) digest(lang string) (SlotDigest, bool) {
	i := slices.IndexFunc(r.Digests, func(d SlotDigest) bool { return d.Lang == lang })
	if i < 0 {
		return SlotDigest{}, false
	}
	return r.Digests[i], true
}

// told reports whether lang went out with stories: such a digest is never
// replaced except on purpose (recompose).
func (r *slotRecord) told(lang string) bool {
	d, ok := r.digest(lang)
	return ok && d.Stories > 0
}

// complete reports whether every language went out with stories. A done
// record from before per-language records counts as complete.
func (r *slotRecord) complete(langs []string) bool {
	if r.State == stateDone && len(r.Digests) == 0 {
		return true
	}
	for _, l := range langs {
		if !r.told(l) {
			return false
		}
	}
	return true
}

func (r *slotRecord) setDigest(d SlotDigest) {
	if i := slices.IndexFunc(r.Digests, func(x SlotDigest) bool { return x.Lang == d.Lang }); i >= 0 {
		r.Digests[i] = d
		return
	}
	r.Digests = append(r.Digests, d)
}

// expired reports whether a composing record's holder stopped renewing it
// more than ttl before now.
func (r *slotRecord) expired(now time.Time, ttl time.Duration) bool {
	last := r.Renewed
	if last.IsZero() {
		last = r.Started
	}
	return now.Sub(last) > ttl
}

func (r *slotRecord) composing() bool { return r.State == stateComposing || r.State == stateLegacy }

// takeMode says when a run may take a slot.
type takeMode int

const (
	// takeScheduled: the scheduler's run. It starts a slot nobody has
	// started, takes over an abandoned one (lease expired), and retries a
	// failed one up to edition_attempts.
	takeScheduled takeMode = iota
	// takeRetry: a later run in the slot (run --once, a restart's
	// catch-up). As scheduled, and it also composes again a slot whose
	// languages are not all out with stories, and retries a failed slot
	// however often it failed.
	takeRetry
	// takeForce: recompose. It takes any slot no live replica holds.
	takeForce
)

// errLeaseLost means another replica took the slot over: the holder's
// lease had run out (it was too slow to renew, or its clock is off).
var errLeaseLost = errors.New("edition lease lost to another replica")

// errSlotBusy means a live replica holds the slot.
type errSlotBusy struct{ rec slotRecord }

func (e *errSlotBusy) Error() string {
	return fmt.Sprintf("being composed by %s since %s", e.rec.Holder, e.rec.Started.Format(time.RFC3339))
}

// lease is a held slot record: its holder renews it until stop, and every
// change to the record goes through update, a compare-and-set that fails
// with errLeaseLost once another replica has taken the slot over.
type lease struct {
	s      *Stage
	key    string
	mu     sync.Mutex
	rec    slotRecord
	rev    uint64
	ctx    context.Context // canceled when the lease is lost or stopped
	cancel context.CancelFunc
	done   chan struct{}
}

// holder names this process in slot records.
func holder() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

// readSlot returns the slot's record and its revision (0: none).
func (s *Stage) readSlot(ctx context.Context, key string) (slotRecord, uint64, error) {
	var rec slotRecord
	e, err := s.bus.Editions().Get(ctx, key)
	if errors.Is(err, bus.ErrNotFound) {
		return rec, 0, nil
	}
	if err != nil {
		return rec, 0, fmt.Errorf("reading %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value, &rec); err != nil {
		rec = s.unreadable(key, err)
	}
	return rec, e.Revision, nil
}

// unreadable is what a record nobody can read counts as: failed, so it
// does not block the slot forever.
func (s *Stage) unreadable(key string, err error) slotRecord {
	s.log.Warn("undecodable edition lock; treating it as failed", "lease", key, "err", err)
	return slotRecord{State: stateFailed, Error: "undecodable record"}
}

// acquire takes the slot's lease as c allows. It returns (nil, rec, nil)
// when the slot needs no run (rec says why), *errSlotBusy when a live
// replica holds it, and errSlotChanged when wantRev is not anyRev and the
// record's revision is another (0: no record), that is, the slot was run
// since a recompose plan.
func (s *Stage) acquire(ctx context.Context, ed *EditionConfig, key string, c takeMode, wantRev int64) (*lease, slotRecord, error) {
	var (
		cur       slotRecord // the record as last read
		skip      bool
		decideErr error
	)
	decide := func(r *bus.Record[slotRecord]) (bool, error) {
		// A stop before the write takes nothing.
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if r.Corrupt != nil {
			r.Value = s.unreadable(key, r.Corrupt)
		}
		cur, skip = r.Value, false
		if wantRev != anyRev && int64(r.Revision) != wantRev {
			return false, errSlotChanged
		}
		now := s.clock.Now().UTC()
		if r.Revision != 0 {
			switch {
			case cur.composing() && !cur.expired(now, s.cfg.LockTTL):
				return false, &errSlotBusy{cur}
			case cur.composing():
				s.log.Warn("taking over an abandoned edition", "lease", key, "holder", cur.Holder, "renewed", cur.Renewed)
			case c == takeForce:
			case cur.State == stateFailed:
				if c == takeScheduled && cur.Attempts >= s.cfg.EditionAttempts {
					skip = true
					return false, nil
				}
				s.log.Warn("retrying a failed edition", "lease", key, "holder", cur.Holder, "attempts", cur.Attempts, "last_error", cur.Error)
			case c == takeRetry && !cur.complete(ed.Languages):
			default:
				skip = true
				return false, nil
			}
		}
		next := cur
		next.Holder, next.State, next.Error = holder(), stateComposing, ""
		next.Attempts++
		next.Started, next.Renewed = now, now
		r.Value = next
		return true, nil
	}
	// Not cancelled with ctx: a stop that lands after the server took the
	// write but before its answer would leave a lease nobody holds for
	// lock_ttl. Stopped once it is ours, the lease is given back.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.LockTTL)
	defer cancel()
	r, err := bus.UpdateJSON(wctx, s.bus.Editions(), key, func(r *bus.Record[slotRecord]) (bool, error) {
		write, err := decide(r)
		decideErr = err
		return write, err
	})
	switch {
	case err != nil && decideErr != nil:
		return nil, cur, err
	case err != nil:
		return nil, cur, fmt.Errorf("taking %s: %w", key, err)
	case skip:
		return nil, cur, nil
	}
	l := &lease{s: s, key: key, rec: r.Value, rev: r.Revision, done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(ctx)
	go l.renew()
	if err := ctx.Err(); err != nil {
		l.release(ctx, err)
		return nil, r.Value, err
	}
	return l, r.Value, nil
}

// anyRev tells acquire to take the slot whatever its record's revision.
const anyRev = -1

// errSlotChanged: the slot was run again between a recompose's plan and
// its commit.
var errSlotChanged = errors.New("the edition slot changed since it was planned; plan again")

// renew keeps the lease until stop or loss.
func (l *lease) renew() {
	defer close(l.done)
	t := l.s.clock.NewTicker(l.s.cfg.LockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.Chan():
		}
		err := l.update(l.ctx, func(r *slotRecord) { r.Renewed = l.s.clock.Now().UTC() })
		switch {
		case errors.Is(err, errLeaseLost):
			return
		case err != nil && l.ctx.Err() == nil:
			// NATS may be back before the lease runs out; the next
			// renewal or the final update tells.
			l.s.log.Warn("renewing edition lease", "lease", l.key, "err", err)
		}
	}
}

// update changes the held record with a compare-and-set. A conflict means
// another replica took the slot: the lease is lost and its context ends.
func (l *lease) update(ctx context.Context, f func(*slotRecord)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.rec
	next.Digests = slices.Clone(l.rec.Digests)
	f(&next)
	val, err := json.Marshal(next)
	if err != nil {
		return err
	}
	rev, err := l.s.bus.Editions().Update(ctx, l.key, val, l.rev)
	if errors.Is(err, bus.ErrConflict) {
		l.s.log.Error("edition lease lost: another replica took the slot over", "lease", l.key)
		l.cancel()
		return errLeaseLost
	}
	if err != nil {
		return fmt.Errorf("updating %s: %w", l.key, err)
	}
	l.rec, l.rev = next, rev
	return nil
}

// record returns a copy of the held record.
func (l *lease) record() slotRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.rec
	r.Digests = slices.Clone(l.rec.Digests)
	return r
}

// release stops renewing and writes the outcome: done, or failed with err.
// It writes even when ctx has ended (shutdown), so the next replica need not
// wait for the lease to run out.
func (l *lease) release(ctx context.Context, err error) {
	l.cancel()
	<-l.done
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.s.cfg.LockTTL)
	defer cancel()
	uerr := l.update(wctx, func(r *slotRecord) {
		r.State, r.Error = stateDone, ""
		if err != nil {
			r.State, r.Error = stateFailed, clip.Runes(err.Error(), 500)
		}
	})
	if uerr != nil && !errors.Is(uerr, errLeaseLost) {
		l.s.log.Warn("writing the edition outcome", "lease", l.key, "err", uerr)
	}
}

// lockKey names a slot's record.
func lockKey(ed *EditionConfig, slot time.Time) string {
	return "lock." + bus.Token(ed.Name) + "." + slot.In(ed.location()).Format("2006-01-02.1504")
}
