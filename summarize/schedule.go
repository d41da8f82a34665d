package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// slotsAround returns the edition's scheduled times on the days around t,
// in order.
func (e *EditionConfig) slotsAround(t time.Time) []time.Time {
	loc := e.location()
	lt := t.In(loc)
	var out []time.Time
	for day := -2; day <= 2; day++ {
		y, m, d := lt.AddDate(0, 0, day).Date()
		for _, at := range e.At {
			hh, _ := strconv.Atoi(at[:2])
			mm, _ := strconv.Atoi(at[3:])
			out = append(out, time.Date(y, m, d, hh, mm, 0, 0, loc))
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// nextSlot is the first scheduled time strictly after t.
func (e *EditionConfig) nextSlot(t time.Time) time.Time {
	for _, s := range e.slotsAround(t) {
		if s.After(t) {
			return s
		}
	}
	return t.Add(24 * time.Hour) // unreachable with a validated config
}

// prevSlot is the last scheduled time at or before t.
func (e *EditionConfig) prevSlot(t time.Time) time.Time {
	var prev time.Time
	for _, s := range e.slotsAround(t) {
		if s.After(t) {
			break
		}
		prev = s
	}
	return prev
}

// schedule fires each edition at its times until ctx ends. On start it
// catches up an edition missed by at most catch_up.
func (s *Stage) schedule(ctx context.Context) error {
	now := s.now()
	for i := range s.cfg.Editions {
		ed := &s.cfg.Editions[i]
		if prev := ed.prevSlot(now); !prev.IsZero() && now.Sub(prev) <= s.cfg.CatchUp {
			s.fire(ctx, ed, prev)
		}
	}
	for {
		now := s.now()
		var next time.Time
		for i := range s.cfg.Editions {
			if n := s.cfg.Editions[i].nextSlot(now); next.IsZero() || n.Before(next) {
				next = n
			}
		}
		timer := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		for i := range s.cfg.Editions {
			ed := &s.cfg.Editions[i]
			for _, slot := range ed.slotsAround(next) {
				if slot.Equal(next) {
					s.fire(ctx, ed, slot)
				}
			}
		}
	}
}

// lockState is the value of an edition lock.
type lockState struct {
	Holder  string    `json:"holder"`
	State   string    `json:"state"` // started, done, failed
	Started time.Time `json:"started"`
	Error   string    `json:"error,omitempty"`
}

func lockKey(ed *EditionConfig, slot time.Time) string {
	return "lock." + bus.Token(ed.Name) + "." + slot.In(ed.location()).Format("2006-01-02.1504")
}

// fire composes one scheduled edition unless another replica has it: the
// first to create the lock key does the work. A lock whose holder failed,
// or started longer than lock_ttl ago without finishing, may be taken over.
// It reports whether this replica composed the edition.
func (s *Stage) fire(ctx context.Context, ed *EditionConfig, slot time.Time) bool {
	key := lockKey(ed, slot)
	host, _ := os.Hostname()
	mine := lockState{Holder: fmt.Sprintf("%s/%d", host, os.Getpid()), State: "started", Started: s.now().UTC()}
	val, _ := json.Marshal(mine)
	kv := s.bus.Editions
	err := bus.CreateOnce(ctx, kv, key, val)
	if errors.Is(err, bus.ErrKeyExists) {
		if !s.takeOver(ctx, kv, key, val) {
			s.log.Debug("edition taken by another replica", "edition", ed.Name, "slot", slot)
			return false
		}
	} else if err != nil {
		s.log.Error("edition lock failed", "edition", ed.Name, "slot", slot, "err", err)
		return false
	}
	_, err = s.Edition(ctx, ed.Name, slot)
	mine.State = "done"
	if err != nil {
		mine.State, mine.Error = "failed", err.Error()
		s.log.Error("edition failed", "edition", ed.Name, "slot", slot, "err", err)
	}
	val, _ = json.Marshal(mine)
	if _, perr := kv.Put(context.WithoutCancel(ctx), key, val); perr != nil {
		s.log.Warn("edition lock update failed", "key", key, "err", perr)
	}
	return err == nil
}

// takeOver replaces a failed or stale lock with ours, atomically: if two
// replicas try at once, the revision check lets only one through.
func (s *Stage) takeOver(ctx context.Context, kv jetstream.KeyValue, key string, val []byte) bool {
	e, err := kv.Get(ctx, key)
	if err != nil {
		return false
	}
	var cur lockState
	if json.Unmarshal(e.Value(), &cur) != nil {
		return false
	}
	stale := cur.State == "started" && s.now().Sub(cur.Started) > s.cfg.LockTTL
	if cur.State != "failed" && !stale {
		return false
	}
	if _, err := kv.Update(ctx, key, val, e.Revision()); err != nil {
		return false
	}
	s.log.Warn("took over edition lock", "key", key, "previous", cur.Holder, "state", cur.State)
	return true
}
