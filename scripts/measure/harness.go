package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
	"github.com/newsdesk/newsdesk/summarize"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

type harness struct {
	o        options
	dir      string
	newsdesk string
	url      string // every node, comma-separated
	nodes    []*child
	mailpit  *child
	smtpPort int
	mailAPI  string
	llm      *llmtest.Server
	llmCalls atomic.Int64
	site     *testbed.Site
	stages   []*child
	nc       *nats.Conn
	js       jetstream.JetStream
}

func newHarness(ctx context.Context, o options) (*harness, error) {
	h := &harness{o: o, dir: o.dir}
	var err error
	if h.dir == "" {
		if h.dir, err = os.MkdirTemp("", "newsdesk-measure-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(h.dir, 0o755); err != nil {
		return nil, err
	}
	logf("work directory %s (every process's config and log); load %s", h.dir, loadavg())
	if h.newsdesk, err = testbed.Build(ctx, h.dir); err != nil {
		return h, err
	}
	if err := h.startCluster(ctx); err != nil {
		return h, err
	}
	// The LLM TEST DOUBLE: summarizetest's editor over the real wire
	// protocol, every answer after the same latency.
	editor := summarizetest.Editor(summarizetest.WithStandIns())
	h.llm = llmtest.Start(func(req llmtest.ChatRequest) llmtest.Reply {
		h.llmCalls.Add(1)
		r := editor(req)
		r.Delay = o.llmLatency
		return r
	})
	if o.mode != "pipeline" {
		if err := h.startMailpit(ctx); err != nil {
			return h, err
		}
	}
	return h, nil
}

func (h *harness) startCluster(ctx context.Context) error {
	bin, err := testbed.Binary(h.o.natsServer, "nats-server", "docs/measurements.md: Cluster")
	if err != nil {
		return err
	}
	nodes, err := testbed.WriteCluster(h.dir, "measure", "4GB")
	if err != nil {
		return err
	}
	for _, n := range nodes {
		c, err := startChild(h.dir, "nats-"+n.Name, bin, "-c", n.Conf)
		if err != nil {
			return err
		}
		h.nodes = append(h.nodes, c)
	}
	h.url = testbed.URL(nodes)
	if h.nc, h.js, err = testbed.Connect(ctx, h.url, "measure", time.Minute); err != nil {
		return err
	}
	logf("three-node NATS cluster up: %s", h.url)
	return nil
}

func (h *harness) startMailpit(ctx context.Context) error {
	bin, err := testbed.Binary(h.o.mailpit, "mailpit", "docs/measurements.md: Cluster")
	if err != nil {
		return err
	}
	mp, args, err := testbed.NewMailpit(h.dir)
	if err != nil {
		return err
	}
	h.smtpPort, h.mailAPI = mp.SMTPPort, mp.API
	if h.mailpit, err = startChild(h.dir, "mailpit", bin, args...); err != nil {
		return err
	}
	return mp.Wait(ctx, 30*time.Second)
}

// mails is how many messages mailpit holds.
func (h *harness) mails(ctx context.Context) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.mailAPI+"/api/v1/messages?limit=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var page struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return 0, fmt.Errorf("mailpit: %w", err)
	}
	return page.Total, nil
}

// writeConfig writes the one config every stage process reads; each
// publish process gets its own out_dir.
func (h *harness) writeConfig(slots []time.Time) error {
	var b strings.Builder
	if err := testbed.WriteConfigHead(&b); err != nil {
		return err
	}
	b.WriteString(`  per_host_interval: 1ms         # one local server stands for many hosts
  per_host_concurrency: 16
  feeds:
`)
	for f := range h.site.Feeds {
		fmt.Fprintf(&b, "    - {id: %s, name: Desk %d, url: %q, language: %s}\n", testbed.FeedID(f), f, h.site.FeedURL(f), h.site.Langs[f])
	}
	var at []string
	for _, s := range slots {
		at = append(at, fmt.Sprintf("%q", s.UTC().Format("15:04")))
	}
	if len(at) == 0 {
		at = []string{`"03:00"`}
	}
	fmt.Fprintf(&b, "summarize:\n  llm:\n    base_url: %q\n    model: llmtest-model\n    timeout: 1m\n", h.llm.URL)
	if h.o.llmConcurrency > 0 {
		fmt.Fprintf(&b, "    max_concurrency: %d\n", h.o.llmConcurrency)
	}
	if h.o.workers > 0 {
		fmt.Fprintf(&b, "  workers: %d\n", h.o.workers)
	}
	if h.o.maxAckPending > 0 {
		fmt.Fprintf(&b, "  max_ack_pending: %d\n", h.o.maxAckPending)
	}
	fmt.Fprintf(&b, `  editions:
    - name: daily
      at: [%s]
      time_zone: UTC
      languages: [de, en]
      lookback: 24h
publish:
  out_dir: OUT_DIR
  base_url: https://digest.newsdesk.example
  email:
    from: "newsdesk measure <digest@newsdesk.example>"
    list_id: digest.newsdesk.example
    smtp_host: 127.0.0.1
    smtp_port: %d
    tls: none
`, strings.Join(at, ", "), max(h.smtpPort, 1))
	if h.o.rate > 0 {
		fmt.Fprintf(&b, "    rate_per_second: %g\n", h.o.rate)
	}
	if h.o.subscribers > 0 {
		b.WriteString("    subscribers:\n")
		for i := range h.o.subscribers {
			fmt.Fprintf(&b, "      - {email: reader%05d@example.org, languages: [%s]}\n", i, []string{"de", "en"}[i%2])
		}
	}
	return os.WriteFile(filepath.Join(h.dir, "newsdesk.yaml"), []byte(b.String()), 0o644)
}

// startStages runs `newsdesk setup`, then the stage processes.
func (h *harness) startStages(ctx context.Context) error {
	cfg := filepath.Join(h.dir, "newsdesk.yaml")
	if _, err := testbed.Setup(ctx, h.newsdesk, cfg, h.url); err != nil {
		return err
	}
	raw, err := os.ReadFile(cfg)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		stage string
		n     int
	}{{"ingest", h.o.ingesters}, {"summarize", h.o.summarizers}, {"publish", h.o.publishers}} {
		for i := 1; i <= st.n; i++ {
			name := fmt.Sprintf("%s-%d", st.stage, i)
			path := filepath.Join(h.dir, name+".yaml")
			own := strings.Replace(string(raw), "OUT_DIR", filepath.Join(h.dir, "out-"+name), 1)
			if err := os.WriteFile(path, []byte(own), 0o644); err != nil {
				return err
			}
			c, err := startChild(h.dir, name, h.newsdesk, st.stage, "--config", path, "--nats", h.url)
			if err != nil {
				return err
			}
			h.stages = append(h.stages, c)
		}
	}
	logf("stages up: %d ingest, %d summarize, %d publish; LLM test double latency %s", h.o.ingesters, h.o.summarizers, h.o.publishers, h.o.llmLatency)
	return nil
}

// counts is what the pipeline has done so far: articles on ARTICLES and
// articles summarize's consumer has finished (neither pending nor awaiting
// an ack).
func (h *harness) counts(ctx context.Context) (onStream, briefed uint64, err error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := h.js.Stream(ctx, bus.StreamArticles)
	if err != nil {
		return 0, 0, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, 0, err
	}
	c, err := st.Consumer(ctx, summarize.Durable)
	if err != nil {
		return info.State.Msgs, 0, err
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return info.State.Msgs, 0, err
	}
	done := int64(info.State.Msgs) - int64(ci.NumPending) - int64(ci.NumAckPending)
	return info.State.Msgs, uint64(max(done, 0)), nil
}

// crashed names the stage processes that are gone.
func (h *harness) crashed() []string {
	var out []string
	for _, c := range h.stages {
		if c.exited() {
			out = append(out, c.name)
		}
	}
	return out
}

func (h *harness) shutdown() {
	for _, c := range h.stages {
		c.stop()
	}
	if h.mailpit != nil {
		h.mailpit.stop()
	}
	if h.nc != nil {
		h.nc.Close()
	}
	for _, c := range h.nodes {
		c.stop()
	}
	if h.llm != nil {
		h.llm.Close()
	}
	if h.site != nil && h.site.Srv != nil {
		_ = h.site.Srv.Close()
	}
	logf("work directory kept: %s", h.dir)
}
