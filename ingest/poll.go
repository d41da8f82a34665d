package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/clip"
)

// FirstPass is closed when Run's first round is over: every feed that was
// due at start has been polled (or failed). summarize waits for it before
// composing a catch-up edition.
func (s *Stage) FirstPass() <-chan struct{} { return s.firstPass }

// Run polls, until ctx ends, the feeds this process owns (see members.go)
// as they come due. The schedule lives in the feed_state bucket, so
// restarts and other processes keep it; this process remembers when each
// feed it polled or looked at is due next, so a round touches only the
// feeds that are due. A fixed pool of workers polls them, so ten thousand
// feeds do not mean ten thousand goroutines.
func (s *Stage) Run(ctx context.Context) error {
	tick := min(max(s.cfg.PollInterval/10, time.Second), time.Minute, s.cfg.MemberTTL)
	m := newMembers(s.bus.Members(), s.member, s.cfg.MemberTTL, len(s.cfg.Feeds), s.clock.Now())
	if err := m.heartbeat(ctx); err != nil {
		s.log.Warn("ingest members: polling every feed until the heartbeat works", "err", err)
	}
	defer func() {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		m.leave(lctx)
	}()
	hctx, stopHeartbeat := context.WithCancel(ctx)
	defer stopHeartbeat()
	go m.run(hctx, s.clock, func(err error) { s.log.Warn("ingest members", "err", err) })
	s.log.Info("ingest running", "feeds", len(s.cfg.Feeds), "tick", tick, "member_id", m.rec.ID, "members", len(m.current()))

	type job struct {
		f     FeedConfig
		first bool
	}
	var (
		mu       sync.Mutex
		inFlight = map[string]bool{}
		first    sync.WaitGroup
		workers  sync.WaitGroup
		jobs     = make(chan job, len(s.cfg.Feeds)) // a feed is queued at most once
	)
	for range s.pollWorkers() {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				if ctx.Err() == nil {
					var logged loggedError
					if _, err := s.pollFeed(ctx, j.f, false); err != nil && ctx.Err() == nil && !errors.As(err, &logged) {
						s.log.Warn("poll failed", "feed_id", j.f.ID, "err", err)
					}
				}
				mu.Lock()
				delete(inFlight, j.f.ID)
				mu.Unlock()
				if j.first {
					first.Done()
				}
			}
		}()
	}
	defer func() {
		close(jobs)
		workers.Wait()
	}()
	t := s.clock.NewTicker(tick)
	defer t.Stop()
	lastOwners := 0
	for round := 0; ; round++ {
		live, now := m.current(), s.clock.Now()
		if len(live) != lastOwners {
			s.log.Info("ingest members changed; sharing the feeds", "members", len(live), "member_id", m.rec.ID)
			lastOwners = len(live)
		}
		for _, f := range s.cfg.Feeds {
			if owner(live, f.ID) != m.rec.ID || s.dueAt(f.ID).After(now) {
				continue
			}
			mu.Lock()
			busy := inFlight[f.ID]
			inFlight[f.ID] = true
			mu.Unlock()
			if busy {
				continue
			}
			if round == 0 {
				first.Add(1)
			}
			jobs <- job{f: f, first: round == 0}
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
		case <-t.Chan():
		}
	}
}

// pollWorkers is how many feeds are polled at once: twice the fetch
// concurrency, so that feeds busy with their new items' pages do not hold
// up the fetching of others (the fetcher's own limits apply underneath).
func (s *Stage) pollWorkers() int { return 2 * s.cfg.Concurrency }

// dueAt is when this process last learnt feed id is due; zero when it
// does not know (then the feed's state is read).
func (s *Stage) dueAt(id string) time.Time {
	s.dueMu.Lock()
	defer s.dueMu.Unlock()
	return s.due[id]
}

func (s *Stage) setDue(id string, st feedState) {
	t := st.NextPoll
	if st.NotBefore.After(t) {
		t = st.NotBefore
	}
	if st.Gone {
		t = s.clock.Now().Add(s.cfg.MaxPollInterval) // looked at again now and then
	}
	s.dueMu.Lock()
	defer s.dueMu.Unlock()
	s.due[id] = t
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
		jobs  = make(chan FeedConfig)
	)
	for range min(s.pollWorkers(), len(s.cfg.Feeds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				st, err := s.pollFeed(ctx, f, true)
				mu.Lock()
				total.add(st)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range s.cfg.Feeds {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	return total, errors.Join(errs...)
}

// pollFeed polls one feed if it is due (or force) and processes its new
// items.
func (s *Stage) pollFeed(ctx context.Context, f FeedConfig, force bool) (Stats, error) {
	var stats Stats
	now := s.clock.Now()
	st, rev, err := s.loadState(ctx, f)
	if err != nil {
		return stats, err
	}
	if st.Gone {
		s.setDue(f.ID, st)
		if force {
			stats.FeedsSkipped++
			s.metrics.polls.WithLabelValues(f.ID, "gone").Inc()
		}
		return stats, nil
	}
	if now.Before(st.NotBefore) {
		s.setDue(f.ID, st)
		if force {
			stats.FeedsSkipped++
			s.metrics.polls.WithLabelValues(f.ID, "deferred").Inc()
		}
		return stats, nil
	}
	if !force && now.Before(st.NextPoll) {
		s.setDue(f.ID, st) // polled by another member meanwhile, or learnt after a restart
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
	log := s.log.With("feed_id", f.ID)
	st.LastPoll, st.PolledBy = now, s.member
	resp, pf, ferr := s.fetchFeed(ctx, f, &st, log)
	if ferr != nil {
		return stats, s.pollFailed(ctx, f, st, resp, ferr, &stats)
	}
	if resp.MovedTo != "" && resp.MovedTo != st.URL {
		log.Info("feed moved permanently; polling the new URL from now on", "url", st.URL, "new_url", resp.MovedTo)
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
	st.NextPoll = s.nextPoll(s.clock.Now(), f, max(maxAge(resp.Header), st.TTL), st.Unchanged)
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
	log.Info("configured URL is a web page; polling the feed it advertises from now on", "page_url", page, "feed_url", req.URL, "content_type", links[0].Type)
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
	now := s.clock.Now()
	err := fmt.Errorf("feed %s (%s): %w", f.ID, st.URL, ferr)
	var (
		se        *StatusError
		hb        *HostBlockedError
		hs        *HostStateError
		notBefore time.Time
		outcome   = "failed"
	)
	if resp != nil {
		st.LastStatus = resp.Status
	}
	// deferFeed puts the poll off to next without counting an error: the
	// cause is not the feed's fault.
	deferFeed := func(next time.Time) error {
		stats.FeedsSkipped++
		s.metrics.polls.WithLabelValues(f.ID, "deferred").Inc()
		st.NextPoll = next
		_, serr := s.saveState(context.WithoutCancel(ctx), f, st, -1)
		return serr
	}
	switch {
	case errors.As(ferr, &hb):
		// The host asked to wait.
		st.NotBefore = hb.Until
		s.log.Info("host backed off; feed deferred", "feed_id", f.ID, "until", hb.Until)
		return deferFeed(hb.Until.Add(s.jitter(s.interval(f))))
	case errors.As(ferr, &hs):
		// The shared host state is unavailable: poll at the regular
		// interval.
		next := now.Add(s.jitter(s.interval(f)))
		s.log.Warn("shared host state unavailable; feed deferred", "feed_id", f.ID, "next_poll", next, "err", ferr)
		return deferFeed(next)
	case st.DiscoveredFrom != "" && errors.As(ferr, &se) && (se.Status == 404 || se.Status == 410):
		// The feed a page advertised is gone: ask the page again next time.
		s.log.Warn("discovered feed is gone; rediscovering from the page", "feed_id", f.ID, "url", st.URL, "page_url", st.DiscoveredFrom, "status", se.Status)
		st.URL, st.DiscoveredFrom, st.ETag, st.LastModified = st.ConfigURL, "", "", ""
	case errors.As(ferr, &se) && se.Status == 410:
		st.Gone = true
		outcome = "gone"
		s.log.Warn("feed is gone (410); it will not be polled again until its URL changes in the config", "feed_id", f.ID, "url", st.URL)
	case errors.As(ferr, &se) && se.RetryAfter > 0:
		notBefore = now.Add(se.RetryAfter)
		st.NotBefore = notBefore
	}
	st.Errors++
	st.LastError = clip.Bytes(ferr.Error(), 500)
	st.NextPoll = s.retryPoll(now, f, st.Errors, notBefore)
	stats.FeedsFailed++
	s.metrics.polls.WithLabelValues(f.ID, outcome).Inc()
	s.log.Warn("feed poll failed", "feed_id", f.ID, "failures", st.Errors, "next_poll", st.NextPoll, "err", ferr)
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
