package summarize

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
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
			out = append(out, e.clock(y, m, d, at))
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// clock is the time at ("HH:MM", validated) on a local date.
func (e *EditionConfig) clock(y int, m time.Month, d int, at string) time.Time {
	hh, _ := strconv.Atoi(at[:2])
	mm, _ := strconv.Atoi(at[3:])
	return time.Date(y, m, d, hh, mm, 0, 0, e.location())
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

// slotAt is the slot a run at t belongs to: the latest one on t's local
// date at or before t, or the date's first one when t is earlier. So a
// cron job at 06:55 for a 07:00 edition composes that day's edition.
func (e *EditionConfig) slotAt(t time.Time) time.Time {
	lt := t.In(e.location())
	y, m, d := lt.Date()
	var first, last time.Time
	for _, at := range e.At {
		s := e.clock(y, m, d, at)
		if first.IsZero() || s.Before(first) {
			first = s
		}
		if !s.After(lt) && (last.IsZero() || s.After(last)) {
			last = s
		}
	}
	if last.IsZero() {
		return first
	}
	return last
}

// slotOn is the slot on a local date ("2026-11-29") at clock ("19:00");
// clock may be empty for an edition with one slot a day.
func (e *EditionConfig) slotOn(date, clock string) (time.Time, error) {
	day, err := time.ParseInLocation(time.DateOnly, date, e.location())
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD", date)
	}
	if clock == "" {
		if len(e.At) > 1 {
			return time.Time{}, fmt.Errorf("edition %s runs at %v: say which slot", e.Name, e.At)
		}
		clock = e.At[0]
	}
	if !slices.Contains(e.At, clock) {
		return time.Time{}, fmt.Errorf("edition %s has no slot at %q (it runs at %v)", e.Name, clock, e.At)
	}
	y, m, d := day.Date()
	return e.clock(y, m, d, clock), nil
}

// slotLabel is the slot's local time ("19:00") for an edition with several
// slots a day, which digest ids, pages and mails carry; "" otherwise.
func (e *EditionConfig) slotLabel(slot time.Time) string {
	if len(e.At) < 2 {
		return ""
	}
	return slot.In(e.location()).Format("15:04")
}

// schedule runs each edition at its times until ctx ends.
//
// It looks at each edition's latest slot at every slot time and every
// third of lock_ttl in between: a slot nobody started is composed when it
// is due (or, after a restart, when it was due at most catch_up ago); a
// started slot whose holder died (its lease ran out) or that failed is
// taken over. The first look after start is a later run in the slot
// (EditionRequest.Retry). A slot is left alone once the next one is due:
// the next edition's window starts where the last finished one ended, so
// it carries the articles.
func (s *Stage) schedule(ctx context.Context) error {
	if !s.waitIngest(ctx) {
		return nil
	}
	first := true
	var due time.Time // the slot time the timer woke for
	for {
		now := s.clock.Now()
		for i := range s.cfg.Editions {
			ed := &s.cfg.Editions[i]
			slot := ed.prevSlot(now)
			if slot.IsZero() {
				continue
			}
			req := EditionRequest{Edition: ed.Name, Slot: slot, Retry: first}
			req.startedOnly = now.Sub(slot) > s.cfg.CatchUp && !slot.Equal(due)
			res, err := s.Edition(ctx, req)
			switch {
			case err != nil:
				// Logged by Edition; a replica (this one included) retries.
			case res.Skipped == "":
				s.log.Info("edition done", "edition", ed.Name, "slot", slot, "published", len(res.Published))
			default:
				s.log.Debug("edition not composed here", "edition", ed.Name, "slot", slot, "reason", res.Skipped)
			}
		}
		first = false
		var next time.Time
		for i := range s.cfg.Editions {
			if n := s.cfg.Editions[i].nextSlot(now); next.IsZero() || n.Before(next) {
				next = n
			}
		}
		wake := next.Sub(now)
		due = next
		if recheck := s.cfg.LockTTL / 3; recheck < wake {
			wake, due = recheck, time.Time{}
		}
		timer := s.clock.NewTimer(wake)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.Chan():
		}
	}
}

// waitIngest waits for the first ingest pass of this process (when it runs
// ingest), at most ingest_wait, so a catch-up edition is not composed from
// an empty window. It reports false when ctx ended.
func (s *Stage) waitIngest(ctx context.Context) bool {
	if s.ingestDone == nil {
		return true
	}
	s.log.Info("waiting for the first ingest pass before composing editions", "ingest_wait", s.cfg.IngestWait)
	t := s.clock.NewTimer(s.cfg.IngestWait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-s.ingestDone:
	case <-t.Chan():
		s.log.Warn("the first ingest pass is still running; composing editions anyway", "ingest_wait", s.cfg.IngestWait)
	}
	return true
}
