package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize"
)

// Defaults for a single pass.
const (
	defaultPassTimeout = 15 * time.Minute
	idlePoll           = 50 * time.Millisecond
	// stallPolls idle polls in a row with publish's consumer full and no
	// delivery running mean every digest it holds waits on a retry timer.
	stallPolls = 4
)

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
}

// pass runs the pipeline once: poll every feed (when ingest runs in this
// process), compose each edition's current slot as a later run in it (an
// earlier run's empty or failed slot is composed again), and, when publish
// runs here, wait until it has handled the digests of this pass once. It
// never waits on a retry timer: a digest publish must retry later is
// reported in passResult.delivery. The demo and `run --once` use it.
func (a *app) pass(ctx context.Context, opts passOptions) (passResult, error) {
	res := passResult{delivery: map[string]error{}, dups: map[string]bool{}, publishHere: a.publish != nil}
	if opts.timeout <= 0 {
		opts.timeout = defaultPassTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()

	// publish runs as it does in production: a durable consumer on DIGESTS.
	events, unwatch := a.watch.watch()
	pubCtx, stopPublish := context.WithCancel(ctx)
	pubDone := make(chan error, 1)
	stop := func() error {
		unwatch() // before waiting for publish: it may be sending an event
		stopPublish()
		if a.publish == nil {
			return nil
		}
		err := <-pubDone
		pubDone <- err // stop may be called twice
		// Our own stop may catch publish still starting up (nothing was
		// left to deliver); only other errors count.
		if err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
	defer stop()
	if a.publish != nil {
		go func() { pubDone <- a.publish.Run(pubCtx) }()
	}

	if a.ingest != nil {
		stats, err := a.ingest.PollOnce(ctx)
		res.stats, res.feedErr = stats, err
		if ctx.Err() != nil {
			return res, fmt.Errorf("ingest: %w", ctx.Err())
		}
		if err != nil {
			// Feeds fail one by one (each error names its feed); the
			// edition goes out with what the others gave.
			a.log.Warn("some feeds failed", "failed", stats.FeedsFailed, "err", err)
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
		if err := a.awaitDelivery(ctx, &res, events, pubDone); err != nil {
			errs = append(errs, err)
		}
	}
	if err := stop(); err != nil {
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

// delivery is one verdict of publish's consumer, or the start of one.
type delivery struct {
	msgID string
	start bool
	err   error
}

// deliveryWatch is publish.Deps.Delivering for a pass: it forwards what
// the consumer does to the pass that waits for it.
type deliveryWatch struct {
	mu sync.Mutex
	ch chan delivery
}

func (w *deliveryWatch) hook(d news.Digest) func(error) {
	w.send(delivery{msgID: d.MsgID(), start: true})
	return func(err error) { w.send(delivery{msgID: d.MsgID(), err: err}) }
}

func (w *deliveryWatch) send(ev delivery) {
	w.mu.Lock()
	ch := w.ch
	w.mu.Unlock()
	if ch != nil {
		ch <- ev
	}
}

// watch starts forwarding to a new channel; the returned func stops it.
func (w *deliveryWatch) watch() (<-chan delivery, func()) {
	ch := make(chan delivery, 256)
	w.mu.Lock()
	w.ch = ch
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		w.ch = nil
		w.mu.Unlock()
		for {
			select {
			case <-ch: // unblock a sender caught between the lock and the send
			default:
				return
			}
		}
	}
}

// awaitDelivery waits until publish has nothing left to do now: no
// delivery running, a pull request waiting at the consumer, and nothing
// undelivered on the stream (or the consumer full), for stallPolls polls in
// a row. Whatever the consumer still holds then waits on a retry timer (an
// SMTP server that was down): a pass does not wait for those. It records
// each verdict publish gave, on this pass's digests and on earlier ones it
// retried.
func (a *app) awaitDelivery(ctx context.Context, res *passResult, events <-chan delivery, pubDone chan error) error {
	active, quiet := 0, 0
	tick := time.NewTicker(idlePoll)
	defer tick.Stop()
	for {
		select {
		case ev := <-events:
			if ev.start {
				active++
			} else {
				active = max(active-1, 0)
				res.delivery[ev.msgID] = ev.err
			}
			continue
		case err := <-pubDone:
			pubDone <- err
			if err == nil {
				err = errors.New("stopped")
			}
			return fmt.Errorf("publish: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("waiting for publish: %w", ctx.Err())
		case <-tick.C:
		}
		idle := false
		if c, err := a.bus.JS.Consumer(ctx, bus.StreamDigests, a.cfg.Publish.Durable); err == nil {
			if info, err := c.Info(ctx); err == nil {
				idle = active == 0 && info.NumWaiting > 0 &&
					(info.NumPending == 0 || info.NumAckPending >= info.Config.MaxAckPending)
			}
		}
		if !idle {
			quiet = 0
			continue
		}
		if quiet++; quiet >= stallPolls {
			for _, d := range res.digests {
				if _, ok := res.delivery[d.MsgID()]; !ok && !res.dups[d.MsgID()] {
					res.stalled = true
				}
			}
			return nil
		}
	}
}
