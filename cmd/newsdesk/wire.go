package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/ingest/topic"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/natsembed"
	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// stageSet says which stages a process runs.
type stageSet struct{ ingest, summarize, publish bool }

var allStages = stageSet{true, true, true}

// app is one wired process: a bus and the stages it runs.
type app struct {
	cfg       *config.Config
	log       *slog.Logger
	reg       *prometheus.Registry
	bus       *bus.Bus
	closeBus  func()
	ingest    *ingest.Stage
	summarize *summarize.Stage
	publish   *publish.Stage
	// watch follows publish's deliveries for a single pass.
	watch deliveryWatch
}

// newApp connects to NATS (embedded unless cfg.NATS.URL is set) and builds
// the stages in set. profile overrides the topic file (the demo's embedded
// profile); nil loads cfg.Ingest.Topic.
func newApp(ctx context.Context, cfg *config.Config, log *slog.Logger, set stageSet, profile *topic.Profile) (*app, error) {
	a := &app{cfg: cfg, log: log, reg: prometheus.NewRegistry()}
	a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	b, closeBus, err := openBus(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	a.bus, a.closeBus = b, closeBus
	fail := func(err error) (*app, error) {
		a.close()
		return nil, err
	}
	if set.ingest {
		if a.ingest, err = ingest.New(cfg.Ingest, ingest.Deps{Bus: b, Log: log, Metrics: a.reg, Profile: profile}); err != nil {
			return fail(err)
		}
	}
	if set.summarize {
		client, err := newLLM(ctx, cfg.Summarize.LLM, log, a.reg)
		if err != nil {
			return fail(err)
		}
		deps := summarize.Deps{Bus: b, Log: log, Metrics: a.reg, Langs: cfg.Langs}
		if a.ingest != nil {
			// Compose no catch-up edition before this process's first
			// ingest pass (the window would miss what it brings).
			deps.IngestDone = a.ingest.FirstPass()
		}
		if client != nil {
			deps.LLM = client
		}
		if a.summarize, err = summarize.New(cfg.Summarize, deps); err != nil {
			return fail(err)
		}
	}
	if set.publish {
		if a.publish, err = publish.New(cfg.Publish, publish.Deps{Bus: b, Log: log, Metrics: a.reg, Langs: cfg.Langs, Delivering: a.watch.hook}); err != nil {
			return fail(err)
		}
	}
	return a, nil
}

// llmPingTimeout bounds the startup check of the LLM server.
const llmPingTimeout = 15 * time.Second

// newLLM builds the LLM client when one is configured and checks it at
// startup (summarize/llm/BACKENDS.md, "At startup"): a server that
// answers but does not serve the model is a configuration error and stops
// the process; a server that cannot be reached only logs a warning,
// because editions fall back to extractive summaries and the server may
// come back.
func newLLM(ctx context.Context, cfg llm.Config, log *slog.Logger, reg prometheus.Registerer) (*llm.OpenAI, error) {
	if !cfg.Configured() {
		return nil, nil
	}
	c, err := llm.New(cfg, log, reg)
	if err != nil {
		return nil, err
	}
	switch err := pingLLM(ctx, c); {
	case err == nil:
		log.Info("LLM ready", "base_url", cfg.BaseURL, "model", cfg.Model, "thinking", c.Thinking())
	case errors.Is(err, llm.ErrUnavailable), errors.Is(err, llm.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		log.Warn("LLM not reachable at startup; editions fall back to extractive summaries until it is", "base_url", cfg.BaseURL, "err", err)
	default:
		return nil, err
	}
	return c, nil
}

// pingLLM asks c's server whether it serves the model, within
// llmPingTimeout (run at start, check --connect).
func pingLLM(ctx context.Context, c *llm.OpenAI) error {
	pctx, cancel := context.WithTimeout(ctx, llmPingTimeout)
	defer cancel()
	return c.Ping(pctx)
}

func (a *app) close() {
	if a.closeBus != nil {
		a.closeBus()
	}
}

// openBus returns a ready bus and a function that drains the connection
// and, for the embedded server, shuts it down (in the order nats.go's
// drain documentation gives). A process that starts the embedded server
// owns it and declares streams and buckets; a process on nats.url binds to
// what `newsdesk setup` declared.
func openBus(ctx context.Context, cfg *config.Config, log *slog.Logger) (*bus.Bus, func(), error) {
	nc, embedded, closeFn, err := connectNATS(cfg, log)
	if err != nil {
		return nil, nil, err
	}
	mode := bus.Bind
	if embedded {
		mode = bus.Declare
	}
	b, err := bus.Open(ctx, nc, cfg.NATS, log, mode)
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	return b, closeFn, nil
}

// connectNATS connects to nats.url, or starts the embedded server on
// nats.data_dir and connects in-process (embedded true). closeFn drains
// the connection and stops the embedded server.
func connectNATS(cfg *config.Config, log *slog.Logger) (nc *nats.Conn, embedded bool, closeFn func(), err error) {
	var srv *natsembed.Server
	if cfg.NATS.URL != "" {
		opts := append([]nats.Option{nats.Name("newsdesk"), nats.MaxReconnects(-1)}, cfg.NATS.ClientOptions()...)
		if nc, err = nats.Connect(cfg.NATS.URL, opts...); err != nil {
			return nil, false, nil, fmt.Errorf("connect %s: %w", cfg.NATS.URL, err)
		}
		log.Info("connected to NATS", "url", nc.ConnectedUrlRedacted())
	} else {
		srv, err = natsembed.Start(natsembed.Options{
			StoreDir:     cfg.NATS.DataDir,
			Listen:       cfg.NATS.Listen,
			NKeys:        cfg.NATS.ListenNKeys,
			TLS:          natsembed.TLSFiles{CertFile: cfg.NATS.ListenTLS.CertFile, KeyFile: cfg.NATS.ListenTLS.KeyFile, CAFile: cfg.NATS.ListenTLS.CAFile},
			SyncInterval: cfg.NATS.SyncInterval,
			MaxStore:     cfg.NATS.MaxStore,
			StartTimeout: cfg.NATS.StartupTimeout,
		})
		if err != nil {
			return nil, false, nil, err
		}
		if nc, err = srv.Connect("newsdesk"); err != nil {
			srv.Shutdown()
			return nil, false, nil, err
		}
		log.Info("embedded NATS started", "data_dir", cfg.NATS.DataDir, "url", srv.ClientURL())
	}
	closeFn = func() {
		_ = nc.Drain()
		deadline := time.Now().Add(cfg.ShutdownTimeout)
		for !nc.IsClosed() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		nc.Close()
		if srv != nil {
			srv.Shutdown()
		}
	}
	return nc, srv != nil, closeFn, nil
}

// runStages runs every built stage (and the metrics endpoint) until ctx ends
// or one fails; then it cancels the rest and waits for them.
func (a *app) runStages(ctx context.Context) error {
	var rs []runner
	if a.ingest != nil {
		rs = append(rs, runner{"ingest", a.ingest.Run})
	}
	if a.summarize != nil {
		rs = append(rs, runner{"summarize", a.summarize.Run})
	}
	if a.publish != nil {
		rs = append(rs, runner{"publish", a.publish.Run})
	}
	if a.cfg.Metrics.Listen != "" {
		rs = append(rs, runner{"metrics", a.serveMetrics})
	}
	return a.runAll(ctx, rs)
}

// runner is one thing a process runs until its context ends.
type runner struct {
	name string
	run  func(context.Context) error
}

// runAll runs rs until ctx ends or one fails, then cancels the rest and
// waits for them at most shutdown_timeout.
func (a *app) runAll(ctx context.Context, rs []runner) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for _, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := r.run(ctx)
			if err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("stage stopped", "stage", r.name, "err", err)
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("%s: %w", r.name, err)
				}
				mu.Unlock()
			}
			cancel()
		}()
	}
	stopped := make(chan struct{})
	go func() {
		wg.Wait()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-ctx.Done():
		// Stages finish in-flight work (a mail, an edition's outcome) but
		// get at most shutdown_timeout for it.
		t := time.NewTimer(a.cfg.ShutdownTimeout)
		defer t.Stop()
		select {
		case <-stopped:
		case <-t.C:
			a.log.Error("stages did not stop within shutdown_timeout; exiting anyway", "shutdown_timeout", a.cfg.ShutdownTimeout)
			mu.Lock()
			defer mu.Unlock()
			return errors.Join(first, fmt.Errorf("stages did not stop within shutdown_timeout (%v)", a.cfg.ShutdownTimeout))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	return first
}

func (a *app) serveMetrics(ctx context.Context) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Addr: a.cfg.Metrics.Listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	a.log.Info("metrics listening", "addr", a.cfg.Metrics.Listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadSendingConfig is loadConfig for a process that runs the publish
// stage, which sends mail and webhooks: the secrets the config names by
// environment variable must be set. Commands that send nothing use
// loadConfig and work in a shell without the service's environment.
func loadSendingConfig(path, natsURL string) (*config.Config, error) {
	cfg, err := loadConfig(path, natsURL)
	if err != nil {
		return nil, err
	}
	if err := cfg.Publish.CheckSecrets(); err != nil {
		return nil, &config.FileError{Path: path, Err: err}
	}
	return cfg, nil
}

// loadConfig reads the file and applies --nats (before validation: what
// is valid depends on whether the server is embedded).
func loadConfig(path, natsURL string) (*config.Config, error) {
	return config.Load(path, func(c *config.Config) {
		if natsURL != "" {
			c.NATS.URL = natsURL
		}
	})
}
