package summarize

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// EditionRequest says which slot of an edition to compose and which
// earlier outcome a run may replace.
//
// A slot's languages that went out with stories are final: no run replaces
// them but a forced one (recompose), and even that never replaces them by
// a digest without stories. A language whose digest had no stories, or a
// slot that failed or whose holder died, does not use up the slot.
type EditionRequest struct {
	Edition string
	// Slot is one of the edition's scheduled times; SlotAt finds the one a
	// run at a given time belongs to.
	Slot time.Time
	// Until ends the article window. Zero: now, or, for a slot that a later
	// slot of the edition has followed, where its last run ended (so an
	// old slot does not take the news of the newer ones).
	Until time.Time
	// Retry marks a later run in the slot (run --once, a restart): it
	// composes the languages that have not gone out with stories yet, and
	// retries a slot that failed however often it failed.
	Retry bool
	// Force recomposes every language (recompose); see above.
	Force bool
	// Wait: when a live replica is composing the slot, wait until it is
	// done or its lease runs out, instead of leaving the slot to it.
	Wait bool

	// startOnly: only take a slot that someone has started (the scheduler
	// outside the catch-up window).
	startedOnly bool
}

func (r EditionRequest) mode() takeMode {
	switch {
	case r.Force:
		return takeForce
	case r.Retry:
		return takeRetry
	}
	return takeScheduled
}

// SlotDigest is what a slot published in one language: the newest
// revision of its digest.
type SlotDigest struct {
	Lang     string `json:"lang"`
	ID       string `json:"id"`
	Revision int    `json:"revision"`
	Stories  int    `json:"stories"`
}

// EditionResult is what a run did with a slot.
type EditionResult struct {
	Edition string
	Slot    time.Time
	// Published are the digests this run published.
	Published []news.Digest
	// Duplicates are the message ids (Digest.MsgID) of published digests
	// the server already had from an earlier attempt, so no consumer sees
	// them again (a slot record lost with its bucket).
	Duplicates []string
	// Slot's digests after the run, one per language that has one.
	Digests []SlotDigest
	// Skipped says why the run composed nothing ("" when it composed).
	Skipped string
}

// Told reports whether lang has gone out with stories in this slot.
func (r EditionResult) Told(lang string) bool {
	for _, d := range r.Digests {
		if d.Lang == lang && d.Stories > 0 {
			return true
		}
	}
	return false
}

// Plan is a composed edition slot that is not published yet: what a run
// would publish. PlanEdition makes one without side effects;
// CommitEdition publishes it.
type Plan struct {
	Edition      string
	Slot         time.Time
	Since, Until time.Time
	// Articles is how many articles the window held.
	Articles int
	// Digests are what a commit publishes, their revisions set.
	Digests []news.Digest
	// Previous is what the slot has published so far.
	Previous []SlotDigest
	// Kept lists languages the plan leaves as they are, with the reason.
	Kept map[string]string

	ed  *EditionConfig
	rev uint64 // the slot record's revision when planned (0: no record)
	res composed
}

// SlotAt is the slot of edition name that a run at t belongs to: the
// latest scheduled time on t's local date at or before t, or the day's
// first one when t is earlier.
func (s *Stage) SlotAt(name string, t time.Time) (time.Time, error) {
	ed, ok := s.editions[name]
	if !ok {
		return time.Time{}, fmt.Errorf("summarize: no edition %q", name)
	}
	return ed.slotAt(t), nil
}

// SlotOn is the slot of edition name on date ("2026-11-29", in the
// edition's time zone) at clock ("19:00"). clock may be empty when the
// edition has one slot a day.
func (s *Stage) SlotOn(name, date, clock string) (time.Time, error) {
	ed, ok := s.editions[name]
	if !ok {
		return time.Time{}, fmt.Errorf("summarize: no edition %q", name)
	}
	return ed.slotOn(date, clock)
}

// Edition composes one slot of an edition, if the slot's record allows it,
// and publishes each language's digest to bus.DigestSubject(name, lang)
// with message id Digest.MsgID(). It holds the slot's lease while it works,
// so replicas compose a slot once, and a replica that dies mid-compose is
// taken over when its lease runs out. The articles are those ingested
// since the edition's previous run (at most lookback before the slot) up
// to Until, read from the ARTICLES stream; the edition's story memory is
// updated.
func (s *Stage) Edition(ctx context.Context, req EditionRequest) (EditionResult, error) {
	res := EditionResult{Edition: req.Edition, Slot: req.Slot}
	if s.bus == nil {
		return res, fmt.Errorf("summarize: edition %s needs a bus", req.Edition)
	}
	ed, ok := s.editions[req.Edition]
	if !ok {
		return res, fmt.Errorf("summarize: no edition %q", req.Edition)
	}
	key := lockKey(ed, req.Slot)
	var (
		l   *lease
		rec slotRecord
		err error
	)
	for {
		if req.startedOnly {
			if _, rev, err := s.readSlot(ctx, key); err != nil || rev == 0 {
				res.Skipped = "missed: past the catch-up window"
				return res, err
			}
		}
		l, rec, err = s.acquire(ctx, ed, key, req.mode(), anyRev)
		var busy *errSlotBusy
		if !errors.As(err, &busy) {
			break
		}
		if !req.Wait {
			res.Skipped, res.Digests = busy.Error(), slices.Clone(busy.rec.Digests)
			return res, nil
		}
		s.log.Info("edition is being composed elsewhere; waiting", "edition", ed.Name, "slot", req.Slot, "holder", busy.rec.Holder)
		wait := s.clock.NewTimer(min(s.cfg.LockTTL/3, time.Second))
		select {
		case <-ctx.Done():
			wait.Stop()
			return res, fmt.Errorf("summarize: waiting for edition %s: %w", ed.Name, ctx.Err())
		case <-wait.Chan():
		}
	}
	if err != nil {
		return res, fmt.Errorf("summarize: edition %s: %w", ed.Name, err)
	}
	if l == nil {
		res.Digests = slices.Clone(rec.Digests)
		res.Skipped = skipReason(rec, ed, req)
		return res, nil
	}
	p, err := s.plan(l.ctx, ed, req, l.record(), 0)
	if err == nil {
		res.Published, res.Duplicates, err = s.commit(l.ctx, l, p)
	}
	if err != nil && l.ctx.Err() != nil && ctx.Err() == nil {
		err = errors.Join(err, errLeaseLost)
	}
	l.release(ctx, err)
	res.Digests = l.record().Digests
	if err != nil {
		s.log.Error("edition failed", "edition", ed.Name, "slot", req.Slot, "err", err)
		return res, fmt.Errorf("summarize: edition %s %s: %w", ed.Name, req.Slot.In(ed.location()).Format("2006-01-02 15:04"), err)
	}
	return res, nil
}

func skipReason(rec slotRecord, ed *EditionConfig, req EditionRequest) string {
	switch {
	case rec.State == stateFailed:
		return fmt.Sprintf("failed %d times (%s); run --once or recompose tries again", rec.Attempts, rec.Error)
	case rec.complete(ed.Languages):
		return "already published"
	}
	return "already published; languages without stories are composed again by a later run"
}

// PlanEdition composes a slot as req says without publishing or recording
// anything, so an operator can see what a recompose would publish.
func (s *Stage) PlanEdition(ctx context.Context, req EditionRequest) (*Plan, error) {
	if s.bus == nil {
		return nil, fmt.Errorf("summarize: edition %s needs a bus", req.Edition)
	}
	ed, ok := s.editions[req.Edition]
	if !ok {
		return nil, fmt.Errorf("summarize: no edition %q", req.Edition)
	}
	rec, rev, err := s.readSlot(ctx, lockKey(ed, req.Slot))
	if err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	if rec.composing() && !rec.expired(s.clock.Now(), s.cfg.LockTTL) {
		return nil, fmt.Errorf("summarize: edition %s: %w", ed.Name, &errSlotBusy{rec})
	}
	return s.plan(ctx, ed, req, rec, rev)
}

// CommitEdition publishes a plan made by PlanEdition under the slot's
// lease. It fails when the slot was run since the plan was made.
func (s *Stage) CommitEdition(ctx context.Context, p *Plan) ([]news.Digest, error) {
	l, _, err := s.acquire(ctx, p.ed, lockKey(p.ed, p.Slot), takeForce, int64(p.rev))
	if err == nil && l == nil {
		err = errSlotChanged
	}
	if err != nil {
		return nil, fmt.Errorf("summarize: edition %s: %w", p.Edition, err)
	}
	published, _, err := s.commit(l.ctx, l, p)
	l.release(ctx, err)
	if err != nil {
		return published, fmt.Errorf("summarize: edition %s: %w", p.Edition, err)
	}
	return published, nil
}

// plan composes the languages of the slot that req may replace. rec is the
// slot's record (held or read), rev its revision for a later commit.
func (s *Stage) plan(ctx context.Context, ed *EditionConfig, req EditionRequest, rec slotRecord, rev uint64) (*Plan, error) {
	slot := req.Slot.In(ed.location())
	p := &Plan{Edition: ed.Name, Slot: slot, Previous: slices.Clone(rec.Digests), Kept: map[string]string{}, ed: ed, rev: rev}
	var langs []string
	for _, l := range ed.Languages {
		if rec.told(l) && !req.Force {
			p.Kept[l] = "already published with stories"
			continue
		}
		langs = append(langs, l)
	}
	mem, err := s.loadMemory(ctx, ed.Name, slot)
	if err != nil {
		return nil, err
	}
	p.Since, p.Until = s.window(ed, req, rec, mem)
	if len(langs) == 0 {
		return p, nil
	}
	articles, err := s.readArticles(ctx, p.Since, p.Until)
	if err != nil {
		return nil, err
	}
	p.Articles = len(articles)
	// Compose only the languages to publish: a story told now in a
	// language that is not published would count as told in memory and
	// be missing from that language's next edition.
	sub := *ed
	sub.Languages = langs
	date := slot.Format(time.DateOnly)
	p.res, err = s.compose(ctx, &sub, date, ed.slotLabel(slot), p.Until, articles, mem)
	if err != nil {
		return nil, err
	}
	for _, d := range p.res.digests {
		if err := d.Validate(); err != nil {
			return nil, err
		}
		prev, had := rec.digest(d.Language)
		switch {
		case had && len(d.Stories) == 0 && prev.Stories > 0:
			p.Kept[d.Language] = fmt.Sprintf("the new composition has no stories; revision %d keeps its %d", prev.Revision, prev.Stories)
			continue
		case had && len(d.Stories) == 0:
			p.Kept[d.Language] = "still no stories"
			continue
		}
		d.Revision = prev.Revision + 1
		p.Digests = append(p.Digests, d)
	}
	return p, nil
}

// window is the slot's article window [since, until].
func (s *Stage) window(ed *EditionConfig, req EditionRequest, rec slotRecord, mem *memory) (since, until time.Time) {
	until = req.Until
	if until.IsZero() {
		until = s.clock.Now()
		if later := ed.prevSlot(until); later.After(req.Slot) {
			// A later slot has its own window: this one ends where its
			// last run ended, or at its own time.
			until = cmp.Or(rec.Until, req.Slot)
		}
	}
	if !rec.Since.IsZero() {
		return rec.Since, until
	}
	since = req.Slot.Add(-ed.Lookback)
	if mem.LastRun.After(since) && mem.LastRun.Before(until) {
		since = mem.LastRun
	}
	return since, until
}

// commit publishes a plan's digests under l, records each in the slot's
// record as it goes (so a successor knows what is out), and updates the
// story memory.
func (s *Stage) commit(ctx context.Context, l *lease, p *Plan) (published []news.Digest, dups []string, err error) {
	if err := l.update(ctx, func(r *slotRecord) { r.Since, r.Until = p.Since, p.Until }); err != nil {
		return nil, nil, err
	}
	for lang, why := range p.Kept {
		s.log.Info("digest kept as it is", "edition", p.Edition, "slot", p.Slot, "lang", lang, "reason", why)
	}
	for _, d := range p.Digests {
		if err := ctx.Err(); err != nil {
			return published, dups, err
		}
		dup, err := s.bus.Publish(ctx, bus.DigestSubject(p.Edition, d.Language), d.MsgID(), d, map[string]string{
			bus.HeaderSchema: news.DigestSchema, bus.HeaderLang: d.Language,
		})
		if err != nil {
			return published, dups, err
		}
		if dup {
			dups = append(dups, d.MsgID())
		}
		if err := l.update(ctx, func(r *slotRecord) {
			r.setDigest(SlotDigest{Lang: d.Language, ID: d.ID, Revision: d.Revision, Stories: len(d.Stories)})
		}); err != nil {
			return published, dups, err
		}
		s.log.Info("digest published", "digest_id", d.ID, "revision", d.Revision, "stories", len(d.Stories), "generator", d.Generator,
			"tokens", d.Usage.Total(), "notes", len(d.Notes), "duplicate", dup)
		published = append(published, d)
	}
	if len(p.Digests) > 0 {
		// Reload: another edition's run may have changed memory since the plan.
		mem, err := s.loadMemory(ctx, p.Edition, p.Slot)
		if err == nil {
			err = s.saveMemory(ctx, p.Edition, p.Slot, p.Until, mem, p.res.told, p.res.headlines)
		}
		if err != nil {
			// The digests are out; a lost memory only means a story may be
			// told again rather than as an update.
			s.log.Error("saving story memory failed", "edition", p.Edition, "err", err)
		}
		s.m.editionTokens.WithLabelValues(p.Edition).Set(float64(p.res.usage.Total()))
		s.m.stories.WithLabelValues(p.Edition).Set(float64(len(p.res.told)))
	}
	return published, dups, nil
}

// readArticles reads the articles stored on ARTICLES in [since, until].
// Undecodable messages are skipped: the consumer dead-letters them.
func (s *Stage) readArticles(ctx context.Context, since, until time.Time) ([]news.Article, error) {
	var out []news.Article
	err := s.bus.ReadSince(ctx, bus.StreamArticles, bus.SubjectArticles, since, func(m jetstream.Msg) error {
		if md, err := m.Metadata(); err == nil && md.Timestamp.After(until) {
			return nil
		}
		var a news.Article
		if err := json.Unmarshal(m.Data(), &a); err != nil {
			s.log.Warn("undecodable article skipped", "subject", m.Subject(), "err", err)
			return nil
		}
		out = append(out, a)
		return nil
	})
	return out, err
}
