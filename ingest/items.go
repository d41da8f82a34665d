package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

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
			s.log.Info("max_items_per_poll reached", "feed_id", f.ID, "left", len(items)-i)
			break
		}
		now := s.clock.Now()
		if s.cfg.MaxItemAge > 0 && !it.Published.IsZero() && now.Sub(it.Published) > s.cfg.MaxItemAge {
			stats.ItemsOld++
			s.metrics.items.WithLabelValues("old").Inc()
			continue
		}
		c, ok, err := s.tryClaim(ctx, f.ID, it.ID, now)
		if err != nil {
			s.log.Warn("seen gate", "feed_id", f.ID, "item_id", it.ID, "err", err)
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
	log := s.log.With("feed_id", f.ID, "item_id", it.ID)
	// Outcomes are recorded even when ctx is cancelled mid-way, so a
	// shutdown does not leave claims to time out.
	rctx := context.WithoutCancel(ctx)
	record := func(state, articleID, reason string) string {
		if err := s.finish(rctx, c, state, articleID, reason, s.clock.Now()); err != nil {
			log.Warn("recording item outcome", "err", err)
		}
		if state == stateRetry {
			return "deferred"
		}
		return state
	}
	art, err := s.Process(ctx, f, it, c.rec.FirstSeen)
	if err != nil {
		// Waiting for a host's Retry-After, the shared host state being
		// unavailable or being shut down is not the item's fault and does
		// not use up its attempts.
		var hb *HostBlockedError
		var hs *HostStateError
		waiting := errors.As(err, &hb) || errors.As(err, &hs) || ctx.Err() != nil
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
	if err := s.markArticle(rctx, art.ID, f.ID, s.clock.Now()); err != nil {
		log.Warn("recording article", "err", err)
	}
	if dup {
		return record(stateDuplicate, art.ID, "bus duplicate")
	}
	log.Info("published", "article_id", art.ID, "lang", art.Language, "score", art.Relevance, "title", art.Title)
	return record(statePublished, art.ID, "")
}
