package summarize

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize/cluster"
	"github.com/newsdesk/newsdesk/summarize/extractive"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// Durable is the name of the stage's consumer on ARTICLES, shared by all
// replicas.
const Durable = "summarize"

// Deps are the stage's collaborators.
type Deps struct {
	// Bus is the NATS bus; nil is allowed for Compose and Brief without a
	// cache (tests, the CLI), but Run and Edition need it.
	Bus *bus.Bus
	// LLM writes briefs and digests. nil: when cfg.LLM.base_url is set, New
	// builds the OpenAI-compatible client from it; otherwise the stage is
	// extractive only.
	LLM     llm.Client
	Log     *slog.Logger
	Metrics prometheus.Registerer // nil: a private registry
	// Clock gives the time and the timers of the edition scheduler and
	// the lease renewal. nil: the real clock; tests pass a fake one and
	// advance it instead of sleeping.
	Clock clockwork.Clock
	// Langs are the languages editions may be in: their stopwords,
	// stemmers, sentence rules and messages. nil: lang.Default().
	Langs *lang.Registry
	// IngestDone, when not nil, is closed when the first ingest pass of
	// this process is over (every feed polled or failed): the scheduler
	// composes no edition before it (at most summarize.ingest_wait).
	IngestDone <-chan struct{}
}

// Stage is the summarize stage.
type Stage struct {
	cfg      Config
	bus      *bus.Bus
	llm      llm.Client
	log      *slog.Logger
	clock    clockwork.Clock
	m        *metrics
	editions map[string]*EditionConfig
	flights  flights
	langs    *lang.Registry
	// ingestDone: see Deps.IngestDone.
	ingestDone <-chan struct{}
	clusterer  *cluster.Clusterer
	// summarizers are the extractive summarizers, one per language: each
	// remembers the stems of the words it has met.
	summarizers map[string]*extractive.Summarizer
}

// New builds the stage. cfg is defaulted and validated here.
func New(cfg Config, deps Deps) (*Stage, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	s := &Stage{cfg: cfg, bus: deps.Bus, llm: deps.LLM, log: deps.Log, clock: deps.Clock, langs: deps.Langs, ingestDone: deps.IngestDone}
	if s.langs == nil {
		s.langs = lang.Default()
	}
	if err := s.cfg.CheckLanguages(s.langs); err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	s.cfg.titles(s.langs)
	s.clusterer = cluster.New(s.cfg.Cluster, s.langs, s.cfg.Glossary.concepts)
	s.summarizers = map[string]*extractive.Summarizer{}
	for _, code := range s.langs.Codes() {
		s.summarizers[code] = extractive.New(s.langs.Get(code))
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("stage", "summarize")
	if s.clock == nil {
		s.clock = clockwork.NewRealClock()
	}
	reg := deps.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("summarize: metrics: %w", err)
	}
	s.m = m
	if s.llm == nil && cfg.LLM.Configured() {
		c, err := llm.New(cfg.LLM, s.log, reg)
		if err != nil {
			return nil, fmt.Errorf("summarize: %w", err)
		}
		s.llm = c
	}
	s.editions = map[string]*EditionConfig{}
	for i := range s.cfg.Editions {
		s.editions[s.cfg.Editions[i].Name] = &s.cfg.Editions[i]
	}
	return s, nil
}

// Config returns the defaulted configuration the stage runs with.
func (s *Stage) Config() Config { return s.cfg }

// model is the name that goes into cache keys and Generator fields.
func (s *Stage) model() string {
	if s.llm == nil {
		return generatorExtractive
	}
	return s.llm.Model()
}

// Run consumes articles to brief them ahead of editions and runs the
// edition scheduler, until ctx ends.
func (s *Stage) Run(ctx context.Context) error {
	if s.bus == nil {
		return errors.New("summarize: Run needs a bus")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- s.consume(ctx) }()
	go func() { errc <- s.schedule(ctx) }()
	var first error
	for range 2 {
		err := <-errc
		if err != nil && first == nil {
			first = err
		}
		cancel()
	}
	if ctx.Err() != nil && first == nil {
		return nil
	}
	return first
}
