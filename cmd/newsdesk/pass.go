package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize"
)

// defaultPassTimeout bounds a single pass.
const defaultPassTimeout = 15 * time.Minute

type passOptions struct {
	at      time.Time     // edition time; zero: now, after ingest
	timeout time.Duration // whole pass; zero: defaultPassTimeout
}

type passResult struct {
	stats    ingest.Stats
	feedErr  error // the feeds that failed, each named
	editions []summarize.EditionResult
	digests  []news.Digest // published by this pass
	// dups are message ids of digests the server already had (an earlier
	// attempt's): publish does not see them again.
	dups map[string]bool
	// delivery is publish's verdict per digest it handled in this pass (by
	// message id: this pass's and earlier ones it retried), when publish
	// runs in this process (publishHere).
	delivery    map[string]error
	publishHere bool
	// stalled: publish held digests waiting on retry timers and this pass
	// did not wait for them.
	stalled bool
	// mailed says, per message id of this pass's digests that publish
	// delivered, whom they reached; via where mail goes.
	mailed map[string]mailReach
	via    string
}

// mailReach is how far one delivered digest reached its subscribers.
type mailReach struct {
	lang    string
	stories int
	publish.MailCount
}

// pass runs the pipeline once: poll every feed (when ingest runs in this
// process), compose each edition's current slot as a later run in it (an
// earlier run's empty or failed slot is composed again), and, when publish
// runs here, wait until it has handled the digests of this pass once. It
// never waits on a retry timer: a digest publish must retry later is
// reported in passResult.delivery. The demo and `run --once` use it.
func (a *app) pass(ctx context.Context, opts passOptions) (passResult, error) {
	res := passResult{dups: map[string]bool{}, publishHere: a.publish != nil}
	if opts.timeout <= 0 {
		opts.timeout = defaultPassTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()

	// publish runs as it does in production: a durable consumer on DIGESTS.
	pub := a.startPublish(ctx)
	defer pub.stop()

	if a.ingest != nil {
		stats, err := a.ingest.PollOnce(ctx)
		res.stats, res.feedErr = stats, err
		if ctx.Err() != nil {
			return res, fmt.Errorf("ingest: %w", ctx.Err())
		}
		if err != nil {
			// Feeds fail one by one (each error names its feed); the
			// edition goes out with what the others gave.
			a.log.Warn("some feeds failed", "feeds_failed", stats.FeedsFailed, "err", err)
		}
		a.log.Info("ingest pass done", "published", stats.ItemsPublished, "irrelevant", stats.ItemsIrrelevant,
			"seen", stats.ItemsSeen, "failed", stats.ItemsFailed, "feeds_failed", stats.FeedsFailed)
	}
	at := opts.at
	if at.IsZero() {
		at = time.Now() // after ingest, so the window holds what it published
	}
	var errs []error
	for _, ed := range a.summarize.Config().Editions {
		slot, err := a.summarize.SlotAt(ed.Name, at)
		if err != nil {
			return res, err
		}
		er, err := a.summarize.Edition(ctx, summarize.EditionRequest{Edition: ed.Name, Slot: slot, Until: at, Retry: true, Wait: true})
		res.editions = append(res.editions, er)
		res.digests = append(res.digests, er.Published...)
		for _, id := range er.Duplicates {
			res.dups[id] = true
		}
		if err != nil {
			errs = append(errs, err) // the other editions still go out
		}
	}
	if a.publish != nil {
		v, err := pub.await(ctx, res.digests, res.dups)
		res.delivery, res.stalled = v.verdicts, v.stalled
		if err != nil {
			errs = append(errs, err)
		}
		res.mailed, res.via = map[string]mailReach{}, a.publish.Via()
		for _, d := range res.digests {
			if err, ok := res.delivery[d.MsgID()]; !ok || err != nil {
				continue
			}
			c, err := a.publish.Mailed(ctx, d)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			res.mailed[d.MsgID()] = mailReach{lang: d.Language, stories: len(d.Stories), MailCount: c}
		}
	}
	if err := pub.stop(); err != nil {
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

// deliveryErr says which digests publish did not deliver in this pass:
// those it must retry later (of this pass or earlier ones), and this
// pass's own that it never got to.
func (r passResult) deliveryErr() error {
	if !r.publishHere {
		return nil
	}
	var errs []error
	for _, d := range r.digests {
		if _, ok := r.delivery[d.MsgID()]; !ok && !r.dups[d.MsgID()] {
			errs = append(errs, fmt.Errorf("%s waits behind digests publish retries later", d.ID))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(r.delivery)) {
		if err := r.delivery[id]; err != nil {
			errs = append(errs, fmt.Errorf("delivering %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}
