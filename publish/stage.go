package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
)

// Deps are the stage's collaborators.
type Deps struct {
	Bus     *bus.Bus
	Log     *slog.Logger
	Metrics prometheus.Registerer // nil: a private registry
	// Clock gives the time of everything the stage stamps or judges by
	// the time (delivery and sink records, signups, their tokens and
	// expiry, the signup rate limit, webhook timestamps and signatures,
	// outbox file names), the ticker that purges expired signups and the
	// pause between attempts to record a mail's outcome. nil: the real
	// clock; tests pass a fake one and advance it instead of sleeping.
	// Deadlines on I/O (SMTP, webhooks, WebSub, HTTP shutdown, a record's
	// write) and the pacing of sends to an SMTP relay
	// (email.rate_per_second) stay on the wall clock: they are about a
	// real peer, which a fake clock would never let time out or keep
	// waiting. The bus's redelivery delays are the NATS server's.
	Clock clockwork.Clock
	// Langs give pages, mails and labels their words (the catalogs of
	// internal/lang). nil: lang.Default().
	Langs *lang.Registry
	// Delivering, when set, is called as the consumer starts delivering a
	// digest; the function it returns gets the verdict (nil, a retry, a
	// permanent error). The single-pass mode (run --once) follows its
	// digests with it.
	Delivering func(d news.Digest) func(err error)
	// Sinks are more outputs, handed every digest after the built-in ones
	// and kept to the same records (an embedder's CMS, a chat bridge).
	Sinks []Sink
}

// Stage is the publish stage. Its outputs are sinks: files (feeds and
// archive) first, then mail, the NATS event, the WebSub ping and each
// webhook, every one with its own delivery record.
type Stage struct {
	*shared
	bus  *bus.Bus
	post *postman
	// files renders and serves feeds and archive; the other outputs come
	// after it, in order.
	files *files
	mail  *mailSink
	sinks []Sink
	// subs is opened by Init.
	subs    *subscribers
	ipLimit *windowLimiter
	handler http.Handler
	// initDone is set once Init has opened the subscriber store; it
	// publishes s.subs to the HTTP handlers.
	initDone atomic.Bool
	// rebuiltTo is the last DIGESTS sequence the start-up rebuild covered;
	// the follower picks up after it.
	rebuiltTo uint64
	// delivering: see Deps.Delivering.
	delivering func(d news.Digest) func(err error)
}

// New builds the stage; cfg is defaulted and validated here.
func New(cfg Config, deps Deps) (*Stage, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.CheckSecrets(); err != nil {
		return nil, err
	}
	if deps.Bus == nil {
		return nil, errors.New("publish: Deps.Bus is required")
	}
	sh := &shared{cfg: &cfg, langs: deps.Langs, log: deps.Log, clock: deps.Clock}
	if sh.langs == nil {
		sh.langs = lang.Default()
	}
	if err := cfg.CheckLanguages(sh.langs); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if sh.log == nil {
		sh.log = slog.New(slog.DiscardHandler)
	}
	sh.log = sh.log.With("stage", "publish")
	if sh.clock == nil {
		sh.clock = clockwork.NewRealClock()
	}
	reg := deps.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	var err error
	if sh.met, err = newMetrics(reg); err != nil {
		return nil, fmt.Errorf("publish: metrics: %w", err)
	}
	for _, w := range cfg.Warnings() {
		sh.log.Warn("configuration: " + w)
	}
	sh.base, _ = url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if sh.base.Scheme != "https" {
		sh.log.Warn("base_url is not https: emails get List-Unsubscribe without one-click POST", "base_url", cfg.BaseURL)
	}
	s := &Stage{shared: sh, bus: deps.Bus, delivering: deps.Delivering}
	if s.post, err = newPostman(sh); err != nil {
		return nil, err
	}
	s.files = newFiles(sh)
	s.mail = &mailSink{shared: sh, post: s.post, deliveries: deps.Bus.Deliveries()}
	client := newOutboundClient()
	s.sinks = []Sink{s.mail, &natsSink{shared: sh, bus: deps.Bus}}
	if cfg.WebSubHub != "" {
		s.sinks = append(s.sinks, &websubSink{shared: sh, client: client})
	}
	for _, h := range cfg.Webhooks {
		w, err := newWebhookSink(sh, client, h)
		if err != nil {
			return nil, err
		}
		s.sinks = append(s.sinks, w)
	}
	for _, k := range deps.Sinks {
		if !sinkNameRE.MatchString(k.Name()) {
			return nil, fmt.Errorf("publish: sink name %q: want a-z, 0-9 and '-'", k.Name())
		}
		s.sinks = append(s.sinks, k)
	}
	s.ipLimit = newWindowLimiter(cfg.Subscriptions.MaxSignupsPerIPPerHour, time.Hour)
	s.handler = s.routes()
	return s, nil
}

// Handler is the stage's HTTP interface: pages, feeds, archive, the
// subscription endpoints and /healthz.
func (s *Stage) Handler() http.Handler { return s.handler }

// Init opens the subscriber store, adds the operator's seed subscribers and
// rebuilds feeds and archive from the DIGESTS stream. Run calls it; tests
// and embedders that drive Deliver themselves call it first.
func (s *Stage) Init(ctx context.Context) error {
	if s.subs == nil {
		subs, err := openSubscribers(ctx, s.bus.Subscribers())
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		s.subs = subs
		s.mail.subs = subs
		s.initDone.Store(true)
	}
	if err := s.seed(ctx); err != nil {
		return err
	}
	s.purge(ctx)
	return s.rebuild(ctx)
}

// purge drops expired pending signups; a failure is logged and retried at
// the next tick.
func (s *Stage) purge(ctx context.Context) {
	n, err := s.subs.purgeExpired(ctx, s.now().UTC())
	if err != nil {
		s.log.Warn("purging expired signups", "err", err)
		return
	}
	if n > 0 {
		s.log.Info("purged expired signups", "purged", n)
		s.met.subscriptions.WithLabelValues("expired").Add(float64(n))
	}
}

// Run rebuilds state, then consumes digests and (when listen is set)
// serves HTTP until ctx ends.
func (s *Stage) Run(ctx context.Context) error {
	if err := s.Init(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	errc := make(chan error, 4)
	var wg sync.WaitGroup
	if s.cfg.Listen != "" {
		srv := &http.Server{
			Addr:              s.cfg.Listen,
			Handler:           s.handler,
			ReadHeaderTimeout: s.cfg.HTTP.ReadHeaderTimeout,
			ReadTimeout:       s.cfg.HTTP.ReadTimeout,
			WriteTimeout:      s.cfg.HTTP.WriteTimeout,
			IdleTimeout:       s.cfg.HTTP.IdleTimeout,
			MaxHeaderBytes:    16 << 10,
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.log.Info("http listening", "addr", s.cfg.Listen)
			if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("publish: http: %w", err)
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.HTTP.ShutdownTimeout)
			defer cancel()
			_ = srv.Shutdown(sctx)
			wg.Wait()
		}()
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		errc <- s.bus.Consume(cctx, ConsumerConfig(*s.cfg), s.handle)
	}()
	go func() {
		errc <- s.bus.Consume(cctx, SignupConsumerConfig(*s.cfg), s.handleSignup)
	}()
	go func() {
		if err := s.follow(cctx); err != nil {
			errc <- err
		}
	}()
	go func() {
		t := s.clock.NewTicker(s.cfg.Subscriptions.PurgeInterval)
		defer t.Stop()
		for {
			select {
			case <-cctx.Done():
				return
			case <-t.Chan():
				s.purge(cctx)
			}
		}
	}()
	select {
	case <-ctx.Done():
		<-errc // both consumers finish their message in hand
		<-errc
		return nil
	case err := <-errc:
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			return errors.New("publish: consumer stopped")
		}
		return err
	}
}

// ConsumerConfig is the durable consumer the stage's replicas share on
// DIGESTS, as `newsdesk setup` declares it and Run binds to it.
func ConsumerConfig(cfg Config) bus.ConsumerConfig {
	return bus.ConsumerConfig{
		Stream:        bus.StreamDigests,
		Durable:       cfg.Durable,
		Subjects:      []string{bus.SubjectDigests},
		Workers:       cfg.Workers,
		MaxAckPending: cfg.MaxAckPending,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		Backoff:       cfg.Backoff,
		Stage:         "publish",
	}
}

// handle decodes one DIGESTS message and delivers it.
func (s *Stage) handle(ctx context.Context, msg jetstream.Msg) (err error) {
	var d news.Digest
	if err := json.Unmarshal(msg.Data(), &d); err != nil {
		s.met.digests.WithLabelValues("invalid").Inc()
		return bus.Permanent(fmt.Errorf("publish: decoding digest on %s: %w", msg.Subject(), err))
	}
	if s.delivering != nil {
		done := s.delivering(d)
		defer func() { done(err) }()
	}
	return s.Deliver(ctx, d)
}

// rebuild loads every digest still in the stream and renders all outputs.
// It sends no mail: mail goes out only from the durable consumer.
func (s *Stage) rebuild(ctx context.Context) error {
	n := 0
	if last, err := s.bus.LastSeq(ctx, bus.StreamDigests); err == nil {
		s.rebuiltTo = last
	}
	err := s.bus.ReadSince(ctx, bus.StreamDigests, bus.SubjectDigests, time.Time{}, func(m jetstream.Msg) error {
		var d news.Digest
		if err := json.Unmarshal(m.Data(), &d); err != nil {
			s.log.Warn("skipping undecodable digest in stream", "subject", m.Subject(), "err", err)
			return nil
		}
		if err := d.Validate(); err != nil {
			s.log.Warn("skipping invalid digest in stream", "err", err)
			return nil
		}
		s.files.lib.add(digestLang(d), d)
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("publish: rebuilding from %s: %w", bus.StreamDigests, err)
	}
	langs := s.files.lib.languages()
	for l := range s.cfg.SiteTitle {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	for _, l := range langs {
		if err := s.files.render(l, ""); err != nil {
			return err
		}
	}
	s.log.Info("rebuilt feeds and archive", "digests", n, "languages", langs)
	return nil
}

// Deliver publishes one digest: it renders the language's feeds, latest
// digest and archive pages, then hands the digest to every other output
// that has not taken it yet (mail, NATS event, WebSub, webhooks). The
// error is a bus verdict: Permanent for a digest that can never be
// published, Retry when some output must be tried again later.
func (s *Stage) Deliver(ctx context.Context, d news.Digest) error {
	if !s.initDone.Load() {
		return errors.New("publish: Deliver called before Init")
	}
	if err := d.Validate(); err != nil {
		s.met.digests.WithLabelValues("invalid").Inc()
		return bus.Permanent(err)
	}
	log := s.log.With("digest_id", d.ID, "lang", digestLang(d), "revision", max(d.Revision, 1))
	if err := s.files.Deliver(ctx, d); err != nil {
		s.met.digests.WithLabelValues("failed").Inc()
		return err
	}
	// A digest older than the one already filed for its slot goes nowhere
	// else: its successor has been or will be.
	if cur := s.files.current(d); cur.ID != d.ID || cur.Revision > d.Revision {
		log.Info("digest superseded for its slot; not delivering", "current_digest_id", cur.ID)
		s.met.digests.WithLabelValues("superseded").Inc()
		return nil
	}
	if err := s.deliverSinks(ctx, log, d); err != nil {
		s.met.digests.WithLabelValues("retry").Inc()
		return err
	}
	s.met.digests.WithLabelValues("published").Inc()
	return nil
}

// seed stores the operator's subscribers as confirmed, consent "operator".
// An address that unsubscribed stays unsubscribed: the seed list must not
// override the recipient's choice.
func (s *Stage) seed(ctx context.Context) error {
	now := s.now().UTC()
	for _, ss := range s.cfg.Email.Subscribers {
		a, _ := mail.ParseAddress(ss.Email)
		_, err := s.subs.addOperator(ctx, normalizeEmail(a.Address), s.cleanLangs(ss.Languages), now, s.cfg.Subscriptions.ConsentTextVersion)
		if err != nil && !errors.Is(err, ErrUnsubscribed) {
			return fmt.Errorf("publish: seeding subscriber: %w", err)
		}
	}
	return nil
}
