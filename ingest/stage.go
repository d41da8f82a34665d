package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/ingest/extract"
	"github.com/newsdesk/newsdesk/ingest/topic"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Deps are what the stage needs from outside.
type Deps struct {
	Bus *bus.Bus
	Log *slog.Logger
	// Metrics registers the stage's collectors; nil uses a private registry.
	Metrics prometheus.Registerer
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Profile overrides the topic profile file named by Config.Topic.
	Profile *topic.Profile
}

// Stage polls feeds and publishes relevant articles.
type Stage struct {
	cfg       Config
	bus       *bus.Bus
	log       *slog.Logger
	now       func() time.Time
	profile   *topic.Profile
	fetcher   *fetcher
	robots    *robotsCache
	extractor *extract.Extractor
	parser    *gofeed.Parser // safe to share from gofeed v1.4.0 on
	metrics   *metrics
}

// Stats counts what one PollOnce did.
type Stats struct {
	FeedsOK          int `json:"feeds_ok"`
	FeedsNotModified int `json:"feeds_not_modified"`
	FeedsFailed      int `json:"feeds_failed"`
	FeedsSkipped     int `json:"feeds_skipped"` // gone (410), host backed off, or polled elsewhere
	ItemsNew         int `json:"items_new"`     // claimed and processed in this poll
	ItemsSeen        int `json:"items_seen"`
	ItemsPublished   int `json:"items_published"`
	ItemsDuplicate   int `json:"items_duplicate"` // an article already published via another item
	ItemsIrrelevant  int `json:"items_irrelevant"`
	ItemsFailed      int `json:"items_failed"`   // given up: no usable page or description
	ItemsDeferred    int `json:"items_deferred"` // transient failure, retried next poll
	ItemsOld         int `json:"items_old"`      // older than max_item_age, not looked at
}

func (s *Stats) add(o Stats) {
	s.FeedsOK += o.FeedsOK
	s.FeedsNotModified += o.FeedsNotModified
	s.FeedsFailed += o.FeedsFailed
	s.FeedsSkipped += o.FeedsSkipped
	s.ItemsNew += o.ItemsNew
	s.ItemsSeen += o.ItemsSeen
	s.ItemsPublished += o.ItemsPublished
	s.ItemsDuplicate += o.ItemsDuplicate
	s.ItemsIrrelevant += o.ItemsIrrelevant
	s.ItemsFailed += o.ItemsFailed
	s.ItemsDeferred += o.ItemsDeferred
	s.ItemsOld += o.ItemsOld
}

// New builds the stage. cfg is defaulted and validated here; the topic
// profile is Deps.Profile or loaded from cfg.Topic.
func New(cfg Config, deps Deps) (*Stage, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("ingest: config: %w", err)
	}
	if deps.Bus == nil {
		return nil, errors.New("ingest: Deps.Bus is required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	prof := deps.Profile
	if prof == nil {
		if cfg.Topic == "" {
			return nil, errors.New("ingest: config: ingest.topic: path of a topic profile is required")
		}
		p, err := topic.Load(cfg.Topic)
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		prof = p
	}
	m, err := newMetrics(deps.Metrics)
	if err != nil {
		return nil, err
	}
	ex, err := extract.New(cfg.Extract)
	if err != nil {
		return nil, fmt.Errorf("ingest: extractor: %w", err)
	}
	s := &Stage{
		cfg:       cfg,
		bus:       deps.Bus,
		log:       deps.Log.With("stage", "ingest"),
		now:       deps.Now,
		profile:   prof,
		extractor: ex,
		parser:    newFeedParser(),
		metrics:   m,
	}
	s.fetcher = newFetcher(&s.cfg, s.now, s.log, m)
	s.robots = newRobotsCache(s.fetcher, cfg.UserAgent, cfg.RobotsTTL, cfg.RobotsErrorTTL)
	return s, nil
}

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
	for {
		for _, f := range s.cfg.Feeds {
			mu.Lock()
			busy := inFlight[f.ID]
			inFlight[f.ID] = true
			mu.Unlock()
			if busy {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { mu.Lock(); delete(inFlight, f.ID); mu.Unlock() }()
				if _, err := s.pollFeed(ctx, f, false); err != nil && ctx.Err() == nil {
					s.log.Warn("poll failed", "feed", f.ID, "err", err)
				}
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
	resp, ferr := s.fetcher.fetch(ctx, fetchRequest{
		URL:          st.URL,
		Kind:         "feed",
		Accept:       "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
		ETag:         st.ETag,
		LastModified: st.LastModified,
		MaxBytes:     s.cfg.MaxFeedBytes,
		CapName:      "max_feed_bytes",
	})
	var pf *parsedFeed
	if ferr == nil && !resp.NotModified {
		pf, ferr = parseFeed(s.parser, resp.Body, resp.Header.Get("Content-Type"), resp.FinalURL, f.Language)
		if ferr == nil && len(pf.Repairs) > 0 {
			log.Info("feed needed repairs", "repairs", pf.Repairs)
		}
	}
	if ferr != nil {
		return stats, s.pollFailed(ctx, f, st, resp, ferr, &stats)
	}
	if resp.MovedTo != "" && resp.MovedTo != st.URL {
		log.Info("feed moved permanently; polling the new URL from now on", "from", st.URL, "to", resp.MovedTo)
		st.URL = resp.MovedTo
	}
	st.Errors, st.LastError, st.LastStatus, st.LastSuccess = 0, "", resp.Status, now
	if pf != nil {
		st.TTL = pf.TTL
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
	return err
}

// processItems runs the new items of one feed through the seen gate and
// Process, a few at a time (the fetcher's host and global limits apply
// underneath).
func (s *Stage) processItems(ctx context.Context, f FeedConfig, items []FeedItem) Stats {
	var (
		mu    sync.Mutex
		stats Stats
		wg    sync.WaitGroup
		sem   = make(chan struct{}, max(1, min(s.cfg.Concurrency, 2*s.cfg.PerHostConcurrency)))
		taken int
	)
	for i, it := range items {
		if ctx.Err() != nil {
			break
		}
		if taken >= s.cfg.MaxItemsPerPoll {
			// The rest wait for the next poll; their seen records do not
			// exist yet, so nothing is lost.
			s.log.Info("max_items_per_poll reached", "feed", f.ID, "left", len(items)-i)
			break
		}
		now := s.now()
		if s.cfg.MaxItemAge > 0 && !it.Published.IsZero() && now.Sub(it.Published) > s.cfg.MaxItemAge {
			stats.ItemsOld++
			s.metrics.items.WithLabelValues("old").Inc()
			continue
		}
		c, ok, err := s.tryClaim(ctx, f.ID, it.ID, now)
		if err != nil {
			s.log.Warn("seen gate", "feed", f.ID, "item", it.ID, "err", err)
			stats.ItemsDeferred++
			continue
		}
		if !ok {
			stats.ItemsSeen++
			s.metrics.items.WithLabelValues("seen").Inc()
			continue
		}
		taken++
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			outcome := s.handleItem(ctx, f, it, c)
			s.metrics.items.WithLabelValues(outcome).Inc()
			mu.Lock()
			defer mu.Unlock()
			stats.ItemsNew++
			switch outcome {
			case statePublished:
				stats.ItemsPublished++
			case stateDuplicate:
				stats.ItemsDuplicate++
			case stateIrrelevant:
				stats.ItemsIrrelevant++
			case stateFailed:
				stats.ItemsFailed++
			default:
				stats.ItemsDeferred++
			}
		}()
	}
	wg.Wait()
	return stats
}

// handleItem processes one claimed item and records its outcome; it
// returns the outcome ("published", "duplicate", "irrelevant", "failed",
// "deferred").
func (s *Stage) handleItem(ctx context.Context, f FeedConfig, it FeedItem, c claim) string {
	log := s.log.With("feed", f.ID, "item", it.ID)
	// Outcomes are recorded even when ctx is cancelled mid-way, so a
	// shutdown does not leave claims to time out.
	rctx := context.WithoutCancel(ctx)
	record := func(state, articleID, reason string) string {
		if err := s.finish(rctx, c, state, articleID, reason, s.now()); err != nil {
			log.Warn("recording item outcome", "err", err)
		}
		if state == stateRetry {
			return "deferred"
		}
		return state
	}
	art, err := s.Process(ctx, f, it, c.rec.FirstSeen)
	if err != nil {
		// Waiting for a host's Retry-After or being shut down is not the
		// item's fault and does not use up its attempts.
		var hb *HostBlockedError
		waiting := errors.As(err, &hb) || ctx.Err() != nil
		if !isPermanent(err) && (waiting || c.rec.Attempts+1 < s.cfg.MaxItemAttempts) {
			if !waiting {
				c.rec.Attempts++
			}
			log.Info("item deferred to the next poll", "attempts", c.rec.Attempts, "err", err)
			return record(stateRetry, "", err.Error())
		}
		log.Warn("item skipped", "reason", err)
		return record(stateFailed, "", err.Error())
	}
	if art.Relevance < s.cfg.MinRelevance {
		log.Debug("item off topic", "score", art.Relevance, "terms", art.Terms, "title", art.Title)
		return record(stateIrrelevant, art.ID, fmt.Sprintf("score %.2f", art.Relevance))
	}
	seen, err := s.articleSeen(ctx, art.ID)
	if err != nil {
		log.Warn("article gate", "err", err)
		return record(stateRetry, "", err.Error())
	}
	if seen {
		return record(stateDuplicate, art.ID, "article published before")
	}
	if err := art.Validate(); err != nil {
		return record(stateFailed, art.ID, err.Error())
	}
	dup, err := s.bus.Publish(ctx, bus.ArticleSubject(art.Language, art.Source), art.ID, art, map[string]string{
		bus.HeaderSchema: news.ArticleSchema,
		bus.HeaderLang:   art.Language,
		bus.HeaderSource: art.Source,
	})
	if err != nil {
		log.Warn("publish failed; retrying next poll", "err", err)
		return record(stateRetry, art.ID, err.Error())
	}
	if err := s.markArticle(rctx, art.ID, f.ID, s.now()); err != nil {
		log.Warn("recording article", "err", err)
	}
	if dup {
		return record(stateDuplicate, art.ID, "bus duplicate")
	}
	log.Info("published", "article", art.ID, "lang", art.Language, "score", art.Relevance, "title", art.Title)
	return record(statePublished, art.ID, "")
}
