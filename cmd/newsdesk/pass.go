package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Defaults for a single pass.
const (
	defaultPassTimeout = 15 * time.Minute
	idlePoll           = 50 * time.Millisecond
)

type passOptions struct {
	at      time.Time     // edition time; zero: now, after ingest
	timeout time.Duration // whole pass; zero: defaultPassTimeout
}

type passResult struct {
	stats   ingest.Stats
	digests []news.Digest
}

// pass runs the pipeline once: poll every feed (when ingest runs in this
// process), compose every configured edition now, and, when publish runs
// here, wait until it has delivered them. The demo and `run --once` use it.
func (a *app) pass(ctx context.Context, opts passOptions) (passResult, error) {
	var res passResult
	if opts.timeout <= 0 {
		opts.timeout = defaultPassTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, opts.timeout)
	defer cancel()

	// publish runs as it does in production: a durable consumer on DIGESTS.
	var (
		wg     sync.WaitGroup
		pubErr error
	)
	pubCtx, stopPublish := context.WithCancel(ctx)
	defer func() {
		stopPublish()
		wg.Wait()
	}()
	if a.publish != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pubErr = a.publish.Run(pubCtx)
		}()
	}

	if a.ingest != nil {
		stats, err := a.ingest.PollOnce(ctx)
		res.stats = stats
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
	for _, ed := range a.summarize.Config().Editions {
		ds, err := a.summarize.Edition(ctx, ed.Name, at)
		if err != nil {
			return res, err
		}
		res.digests = append(res.digests, ds...)
	}
	if a.publish != nil {
		if err := a.bus.WaitIdle(ctx, bus.StreamDigests, a.cfg.Publish.Durable, idlePoll); err != nil {
			if pubErr != nil {
				return res, fmt.Errorf("publish: %w", pubErr)
			}
			return res, err
		}
	}
	stopPublish()
	wg.Wait()
	// Our own stop may catch publish still starting up (nothing was left to
	// deliver); only other errors count.
	if pubErr != nil && !errors.Is(pubErr, context.Canceled) {
		return res, fmt.Errorf("publish: %w", pubErr)
	}
	return res, nil
}
