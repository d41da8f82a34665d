package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// FirstPass is closed when Run's first round is over: every feed that was
// due at start has been polled (or failed). summarize waits for it before
// composing a catch-up edition.
func (s *Stage) FirstPass() <-chan struct{} { return s.firstPass }

// Run polls every feed on its schedule until ctx ends. The schedule lives
// in the feed_state bucket, so restarts (and other replicas) keep it.
func (s *Stage) Run(ctx context.Context) error {
	tick := min(max(s.cfg.PollInterval/10, time.Second), time.Minute)
	s.log.Info("ingest running", "feeds", len(s.cfg.Feeds), "tick", tick)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		inFlight = map[string]bool{}
	)
	defer wg.Wait()
	t := time.NewTicker(tick)
	defer t.Stop()
	var first sync.WaitGroup
	for round := 0; ; round++ {
		for _, f := range s.cfg.Feeds {
			mu.Lock()
			busy := inFlight[f.ID]
			inFlight[f.ID] = true
			mu.Unlock()
			if busy {
				continue
			}
			wg.Add(1)
			if round == 0 {
				first.Add(1)
			}
			go func() {
				defer wg.Done()
				if round == 0 {
					defer first.Done()
				}
				defer func() { mu.Lock(); delete(inFlight, f.ID); mu.Unlock() }()
				var logged loggedError
				if _, err := s.pollFeed(ctx, f, false); err != nil && ctx.Err() == nil && !errors.As(err, &logged) {
					s.log.Warn("poll failed", "feed", f.ID, "err", err)
				}
			}()
		}
		if round == 0 {
			go func() {
				first.Wait()
				s.firstOnce.Do(func() { close(s.firstPass) })
			}()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollOnce polls every feed now, whatever its schedule (feeds gone with
// 410, on a host that asked us to wait, or being polled by another replica
// are skipped), and returns when all their items are done. The error joins
// the failures of single feeds, each naming its feed; the stats are valid
// either way.
func (s *Stage) PollOnce(ctx context.Context) (Stats, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total Stats
		errs  []error
	)
	for _, f := range s.cfg.Feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := s.pollFeed(ctx, f, true)
			mu.Lock()
			defer mu.Unlock()
			total.add(st)
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	return total, errors.Join(errs...)
}

// pollFeed polls one feed if it is due (or force) and processes its new
// items.
func (s *Stage) pollFeed(ctx context.Context, f FeedConfig, force bool) (Stats, error) {
	var stats Stats
	now := s.now()
	st, rev, err := s.loadState(ctx, f)
	if err != nil {
		return stats, err
	}
	if st.Gone {
		if force {
			stats.FeedsSkipped++
			s.metrics.polls.WithLabelValues(f.ID, "gone").Inc()
		}
		return stats, nil
	}
	if now.Before(st.NotBefore) {
		if force {
			stats.FeedsSkipped++
			s.metrics.polls.WithLabelValues(f.ID, "deferred").Inc()
		}
		return stats, nil
	}
	if !force && now.Before(st.NextPoll) {
		return stats, nil
	}
	// Take the poll: push next_poll past the poll's worst-case duration
	// with a compare-and-set, so a second replica (or a Run racing a
	// PollOnce) does not poll the same feed at the same time.
	st.NextPoll = now.Add(s.cfg.ClaimTimeout)
	_, err = s.saveState(ctx, f, st, int64(rev))
	if errors.Is(err, errLeaseLost) {
		stats.FeedsSkipped++
		return stats, nil
	}
	if err != nil {
		return stats, err
	}
	log := s.log.With("feed", f.ID)
	st.LastPoll = now
	resp, pf, ferr := s.fetchFeed(ctx, f, &st, log)
	if ferr != nil {
		return stats, s.pollFailed(ctx, f, st, resp, ferr, &stats)
	}
	if resp.MovedTo != "" && resp.MovedTo != st.URL {
		log.Info("feed moved permanently; polling the new URL from now on", "from", st.URL, "to", resp.MovedTo)
		st.URL = resp.MovedTo
	}
	st.Errors, st.LastError, st.LastStatus, st.LastSuccess = 0, "", resp.Status, now
	if pf != nil {
		st.TTL, st.Items, st.Repairs = pf.TTL, len(pf.Items), pf.Repairs
	}
	if resp.ETag != "" || !resp.NotModified {
		st.ETag = resp.ETag
	}
	if resp.LastModified != "" || !resp.NotModified {
		st.LastModified = resp.LastModified
	}
	if resp.NotModified {
		stats.FeedsNotModified++
		s.metrics.polls.WithLabelValues(f.ID, "not_modified").Inc()
	} else {
		stats.FeedsOK++
		s.metrics.polls.WithLabelValues(f.ID, "ok").Inc()
		items := s.processItems(ctx, f, pf.Items)
		stats.add(items)
		if items.ItemsDeferred > 0 {
			// Deferred items must be seen again on the next poll, which a
			// 304 would hide: forget the validators until all are done.
			st.ETag, st.LastModified = "", ""
		}
	}
	if stats.ItemsNew > 0 {
		st.Unchanged = 0
	} else {
		st.Unchanged++
	}
	st.NextPoll = s.nextPoll(s.now(), f, max(maxAge(resp.Header), st.TTL), st.Unchanged)
	if _, err := s.saveState(context.WithoutCancel(ctx), f, st, -1); err != nil {
		return stats, err
	}
	log.Debug("polled", "status", resp.Status, "next_poll", st.NextPoll, "stats", stats)
	return stats, nil
}

// feedAccept is the Accept header of feed requests.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"

// fetchFeed fetches and parses the feed at st.URL. When that URL answers
// with a web page instead of a feed, it follows the first feed the page
// advertises (autodiscovery) and, if that parses, polls the feed from then
// on: st.URL becomes the feed, st.DiscoveredFrom the page. pf is nil on a
// 304.
func (s *Stage) fetchFeed(ctx context.Context, f FeedConfig, st *feedState, log *slog.Logger) (*fetchResponse, *parsedFeed, error) {
	req := fetchRequest{
		URL: st.URL, Kind: "feed", Accept: feedAccept, ETag: st.ETag, LastModified: st.LastModified,
		MaxBytes: s.cfg.MaxFeedBytes, CapName: "max_feed_bytes",
	}
	resp, err := s.fetcher.fetch(ctx, req)
	if err != nil || resp.NotModified {
		return resp, nil, err
	}
	pf, err := s.parse(resp, f, log)
	if err == nil || !IsNotAFeed(err) || !looksLikeHTML(resp.Header.Get("Content-Type"), resp.Body) {
		return resp, pf, err
	}
	links := DiscoverFeeds(resp.Body, resp.FinalURL)
	if len(links) == 0 {
		return resp, nil, fmt.Errorf("%s is a web page that advertises no feed (no <link rel=\"alternate\" type=\"application/rss+xml\"> or atom+xml or feed+json): %w", resp.FinalURL, err)
	}
	page := resp.FinalURL
	req.URL, req.ETag, req.LastModified = links[0].URL, "", ""
	resp, err = s.fetcher.fetch(ctx, req)
	if err != nil {
		return resp, nil, fmt.Errorf("feed %s advertised by %s: %w", req.URL, page, err)
	}
	if pf, err = s.parse(resp, f, log); err != nil {
		return resp, nil, fmt.Errorf("feed %s advertised by %s: %w", req.URL, page, err)
	}
	log.Info("configured URL is a web page; polling the feed it advertises from now on", "page", page, "feed_url", req.URL, "type", links[0].Type)
	st.URL, st.DiscoveredFrom = req.URL, page
	if resp.MovedTo != "" {
		st.URL = resp.MovedTo
	}
	return resp, pf, nil
}

func (s *Stage) parse(resp *fetchResponse, f FeedConfig, log *slog.Logger) (*parsedFeed, error) {
	pf, err := parseFeed(s.parser, resp.Body, resp.Header.Get("Content-Type"), resp.FinalURL, f.Language)
	if err == nil && len(pf.Repairs) > 0 {
		log.Info("feed needed repairs", "repairs", pf.Repairs)
	}
	return pf, err
}

// pollFailed records a failed poll: backoff, Retry-After, 410.
func (s *Stage) pollFailed(ctx context.Context, f FeedConfig, st feedState, resp *fetchResponse, ferr error, stats *Stats) error {
	now := s.now()
	err := fmt.Errorf("feed %s (%s): %w", f.ID, st.URL, ferr)
	var (
		se        *StatusError
		hb        *HostBlockedError
		notBefore time.Time
		outcome   = "failed"
	)
	if resp != nil {
		st.LastStatus = resp.Status
	}
	switch {
	case errors.As(ferr, &hb):
		// Not the feed's fault: keep its error count, wait for the host.
		stats.FeedsSkipped++
		s.metrics.polls.WithLabelValues(f.ID, "deferred").Inc()
		st.NextPoll = hb.Until.Add(s.jitter(s.interval(f)))
		st.NotBefore = hb.Until
		s.log.Info("host backed off; feed deferred", "feed", f.ID, "until", hb.Until)
		if _, serr := s.saveState(context.WithoutCancel(ctx), f, st, -1); serr != nil {
			return serr
		}
		return nil
	case st.DiscoveredFrom != "" && errors.As(ferr, &se) && (se.Status == 404 || se.Status == 410):
		// The feed a page advertised is gone: ask the page again next time.
		s.log.Warn("discovered feed is gone; rediscovering from the page", "feed", f.ID, "url", st.URL, "page", st.DiscoveredFrom, "status", se.Status)
		st.URL, st.DiscoveredFrom, st.ETag, st.LastModified = st.ConfigURL, "", "", ""
	case errors.As(ferr, &se) && se.Status == 410:
		st.Gone = true
		outcome = "gone"
		s.log.Warn("feed is gone (410); it will not be polled again until its URL changes in the config", "feed", f.ID, "url", st.URL)
	case errors.As(ferr, &se) && se.RetryAfter > 0:
		notBefore = now.Add(se.RetryAfter)
		st.NotBefore = notBefore
	}
	st.Errors++
	st.LastError = truncateString(ferr.Error(), 500)
	st.NextPoll = s.retryPoll(now, f, st.Errors, notBefore)
	stats.FeedsFailed++
	s.metrics.polls.WithLabelValues(f.ID, outcome).Inc()
	s.log.Warn("feed poll failed", "feed", f.ID, "errors", st.Errors, "next_poll", st.NextPoll, "err", ferr)
	if _, serr := s.saveState(context.WithoutCancel(ctx), f, st, -1); serr != nil {
		return errors.Join(err, serr)
	}
	if err == nil {
		return nil
	}
	return loggedError{err}
}

// loggedError is a poll error already logged with the feed's state, so Run
// does not log it twice.
type loggedError struct{ error }

func (e loggedError) Unwrap() error { return e.error }
