package ingest

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/mmcdole/gofeed"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/ingest/extract"
	"github.com/newsdesk/newsdesk/ingest/topic"
	"github.com/newsdesk/newsdesk/internal/bus"
)

// Deps are what the stage needs from outside.
type Deps struct {
	Bus *bus.Bus
	Log *slog.Logger
	// Metrics registers the stage's collectors; nil uses a private registry.
	Metrics prometheus.Registerer
	// Clock gives the time, and the timers of the poll rounds and the
	// member heartbeat. nil: the real clock; tests pass a fake one and
	// advance it instead of sleeping.
	Clock clockwork.Clock
	// Profile overrides the topic profile file named by Config.Topic.
	Profile *topic.Profile
}

// Stage polls feeds and publishes relevant articles.
type Stage struct {
	cfg       Config
	bus       *bus.Bus
	log       *slog.Logger
	clock     clockwork.Clock
	profile   *topic.Profile
	fetcher   *fetcher
	robots    *robotsCache
	extractor *extract.Extractor
	parser    *gofeed.Parser // safe to share from gofeed v1.4.0 on
	metrics   *metrics
	// member is this process's id among the ingest members.
	member string
	// due is when each feed is next due, as far as this process knows.
	dueMu sync.Mutex
	due   map[string]time.Time
	// firstPass is closed when Run's first round of polls is over.
	firstPass chan struct{}
	firstOnce sync.Once
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
	// The stage keeps its own feeds: Defaults writes into them, and the
	// caller's slice must not change under a stage already running from
	// it (the race detector caught two stages built from one config).
	cfg.Feeds = slices.Clone(cfg.Feeds)
	for i := range cfg.Feeds {
		cfg.Feeds[i].CanonicalDomains = slices.Clone(cfg.Feeds[i].CanonicalDomains)
	}
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
	if deps.Clock == nil {
		deps.Clock = clockwork.NewRealClock()
	}
	prof := deps.Profile
	if prof == nil {
		if cfg.Topic == "" {
			return nil, errors.New("ingest: config: ingest.topic: path of a topic profile is required")
		}
		p, err := topic.Load(cfg.Topic)
		if err != nil {
			return nil, fmt.Errorf("ingest: config: ingest.topic: %w", err)
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
		clock:     deps.Clock,
		profile:   prof,
		extractor: ex,
		parser:    newFeedParser(),
		metrics:   m,
		firstPass: make(chan struct{}),
		due:       map[string]time.Time{},
		member:    newMemberID(),
	}
	s.fetcher = newFetcher(&s.cfg, s.clock.Now, s.log, m)
	// The stage keeps host politeness in NATS KV, shared with every other
	// ingest process on the same bus.
	s.fetcher.hosts = &kvHosts{kv: deps.Bus.Hosts(), interval: cfg.PerHostInterval, now: s.clock.Now}
	s.robots = newRobotsCache(s.fetcher, cfg.UserAgent, cfg.RobotsTTL, cfg.RobotsErrorTTL)
	return s, nil
}
