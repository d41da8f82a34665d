package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// harness holds the run's parts.
type harness struct {
	o        options
	rng      *rand.Rand
	rngMu    sync.Mutex
	dir      string
	newsdesk string
	cluster  *cluster
	mail     *mailpit
	llm      *llmDouble
	site     *testbed.Site
	subs     []subscriber
	stages   []*proc
	procs    []*proc // every child, stopped at the end
	keep     bool

	mu     sync.Mutex
	events []string // the faults, for the report
	kills  map[string]int
}

func (h *harness) randN(n int) int {
	h.rngMu.Lock()
	defer h.rngMu.Unlock()
	return h.rng.IntN(n)
}

func (h *harness) event(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	logf("%s", msg)
	h.mu.Lock()
	h.events = append(h.events, msg)
	h.mu.Unlock()
}

// writeConfigs writes one config per stage process: the same pipeline,
// each publish replica with an output directory of its own.
func (h *harness) writeConfigs(edition time.Time) error {
	var b strings.Builder
	if err := testbed.WriteConfigHead(&b); err != nil {
		return err
	}
	b.WriteString(`  per_host_interval: 1ms         # one local server
  per_host_concurrency: 8
  request_timeout: 10s
  # A kill -9 between claiming an item and recording it leaves the claim;
  # the default 15m would outlast the run.
  claim_timeout: 1m
  feeds:
`)
	for f := range h.o.feeds {
		id := testbed.FeedID(f)
		fmt.Fprintf(&b, "    - {id: %s, name: Feed %s, url: %q, language: %s}\n", id, id, h.site.FeedURL(f), h.site.Langs[f])
	}
	fmt.Fprintf(&b, `summarize:
  llm:
    base_url: %q
    model: llmtest-model
    timeout: 30s
  editions:
    - name: daily
      at: [%q]
      time_zone: UTC
      languages: [de, en]
      max_stories: 6
      lookback: 24h
publish:
  out_dir: OUT_DIR
  base_url: https://digest.newsdesk.example
  email:
    from: "newsdesk fault test <digest@newsdesk.example>"
    list_id: digest.newsdesk.example
    smtp_host: 127.0.0.1
    smtp_port: %d
    tls: none
    rate_per_second: 50
    retry_after: 20s
    subscribers:
`, h.llm.URL, edition.Format("15:04"), h.mail.SMTPPort)
	for _, s := range h.subs {
		fmt.Fprintf(&b, "      - {email: %s, languages: [%s]}\n", s.email, strings.Join(s.langs, ", "))
	}
	for _, name := range []string{"setup", "ingest-1", "ingest-2", "summarize-1", "summarize-2", "publish-1", "publish-2"} {
		raw := strings.Replace(b.String(), "OUT_DIR", filepath.Join(h.dir, "out-"+name), 1)
		if err := os.WriteFile(filepath.Join(h.dir, name+".yaml"), []byte(raw), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// setup runs `newsdesk setup` on the cluster.
func (h *harness) setup(ctx context.Context) error {
	last, err := testbed.Setup(ctx, h.newsdesk, filepath.Join(h.dir, "setup.yaml"), h.cluster.url)
	if err != nil {
		return err
	}
	logf("newsdesk setup: %s", last)
	return nil
}

// startStages starts ingest, summarize and publish, two replicas each,
// under a supervisor that restarts them 1–4 s after they go down.
func (h *harness) startStages(ctx context.Context) {
	for _, stage := range []string{"ingest", "summarize", "publish"} {
		for i := 1; i <= 2; i++ {
			name := fmt.Sprintf("%s-%d", stage, i)
			p := newProc(name, h.dir, h.newsdesk, stage, "--config", filepath.Join(h.dir, name+".yaml"), "--nats", h.cluster.url)
			h.stages = append(h.stages, p)
			h.procs = append(h.procs, p)
			if err := p.start(); err != nil {
				logf("%v", err)
			}
		}
	}
	restartDelay := func() time.Duration { return time.Second + time.Duration(h.randN(3000))*time.Millisecond }
	for _, p := range h.procs {
		go p.supervise(ctx, restartDelay)
	}
	logf("stages up: %d processes", len(h.stages))
}

// faults schedules every fault and returns when the last one ends.
func (h *harness) faults(ctx context.Context, js jetstream.JetStream, start, edition time.Time) time.Time {
	p := h.o.phase
	down := 20 * time.Second
	if h.o.short {
		down = 15 * time.Second
	}
	at := func(d time.Time, f func()) {
		go func() {
			select {
			case <-ctx.Done():
			case <-time.After(time.Until(d)):
				f()
			}
		}()
	}
	// kill -9: at random times from the first articles to a minute past
	// the edition slot, three of them aimed: both summarize processes
	// while they compose, a publish process while it mails.
	h.kills = map[string]int{}
	killEnd := edition.Add(60 * time.Second)
	span := killEnd.Sub(start)
	for range max(0, h.o.kills-3) {
		at(start.Add(time.Duration(h.randN(int(span/time.Millisecond)))*time.Millisecond), func() { h.kill("") })
	}
	// Every summarize process at once while the edition is composed (the
	// LLM is slow then, so composing takes a while): a restarted one
	// must take the slot's lease over.
	at(edition.Add(6*time.Second), func() { h.killAll("summarize") })
	at(edition.Add(55*time.Second), func() { h.kill("publish") })

	// One NATS node stopped and brought back.
	at(start.Add(p/5), func() {
		n := h.cluster.nodes[h.randN(len(h.cluster.nodes))]
		h.stopNode(n, down, "NATS node", false)
	})
	// The LLM slow, then unavailable, then back.
	at(start.Add(p*3/10), func() { h.llm.mode.Store(llmSlow); h.event("LLM slow (3 s per answer)") })
	at(start.Add(p*45/100), func() { h.llm.mode.Store(llmDown); h.event("LLM unavailable (503)") })
	at(start.Add(p*65/100), func() { h.llm.mode.Store(llmUp); h.event("LLM back") })
	at(edition.Add(-5*time.Second), func() { h.llm.mode.Store(llmSlow); h.event("LLM slow for the edition") })
	at(edition.Add(45*time.Second), func() { h.llm.mode.Store(llmUp); h.event("LLM back") })
	// The leader of ARTICLES killed (kill -9: no clean shutdown, what it
	// had not synced to disk is gone) and restarted.
	at(start.Add(p*55/100), func() {
		leader, err := streamLeader(ctx, js, bus.StreamArticles)
		if err != nil {
			h.event("finding the ARTICLES leader: %v", err)
			return
		}
		h.stopNode(h.cluster.node(leader), down, "ARTICLES leader", true)
	})
	// SMTP refusing around the edition slot, when the mails go out.
	at(edition.Add(-10*time.Second), func() {
		if err := h.mail.refuse(true); err != nil {
			h.event("mailpit chaos: %v", err)
			return
		}
		h.event("SMTP refuses (451 to MAIL FROM)")
	})
	at(edition.Add(50*time.Second), func() {
		if err := h.mail.refuse(false); err != nil {
			h.event("mailpit chaos: %v", err)
			return
		}
		h.event("SMTP accepts again")
	})
	return killEnd.Add(5 * time.Second)
}

// kill kill -9s a running stage process (of stage, or any).
func (h *harness) kill(stage string) {
	var up []*proc
	for _, p := range h.stages {
		if p.running() && strings.HasPrefix(p.name, stage) {
			up = append(up, p)
		}
	}
	if len(up) == 0 {
		h.event("kill -9: no %s process up", cmpOr(stage, "stage"))
		return
	}
	p := up[h.randN(len(up))]
	p.kill9()
	h.mu.Lock()
	h.kills[strings.Split(p.name, "-")[0]]++
	h.mu.Unlock()
	logf("kill -9 %s", p.name)
}

// killAll kill -9s every running process of stage at once.
func (h *harness) killAll(stage string) {
	var names []string
	for _, p := range h.stages {
		if p.running() && strings.HasPrefix(p.name, stage+"-") {
			p.kill9()
			names = append(names, p.name)
		}
	}
	h.mu.Lock()
	h.kills[stage] += len(names)
	h.mu.Unlock()
	h.event("kill -9 %s at once", strings.Join(names, " and "))
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// stopNode takes a NATS node down for down: a clean stop (SIGTERM), or
// with kill a crash (kill -9).
func (h *harness) stopNode(n *proc, down time.Duration, what string, kill bool) {
	if n == nil {
		h.event("%s: no such node", what)
		return
	}
	n.hold(true)
	how := "stopped"
	if kill {
		n.kill9()
		how = "killed (kill -9)"
	} else {
		n.stop()
	}
	h.event("%s %s %s for %s", what, n.name, how, down)
	time.Sleep(down)
	n.hold(false)
	h.event("%s %s starting again", what, n.name)
}

// progress logs what is on the streams and in the mailbox every 30 s.
func (h *harness) progress(ctx context.Context, js jetstream.JetStream) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(30 * time.Second):
		}
		var parts []string
		for _, s := range []string{bus.StreamArticles, bus.StreamDigests} {
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			st, err := js.Stream(sctx, s)
			if err == nil {
				var info *jetstream.StreamInfo
				if info, err = st.Info(sctx); err == nil {
					parts = append(parts, fmt.Sprintf("%s %d", s, info.State.Msgs))
				}
			}
			cancel()
			if err != nil {
				parts = append(parts, fmt.Sprintf("%s ?", s))
			}
		}
		if ms, err := h.mail.messages(ctx); err == nil {
			parts = append(parts, fmt.Sprintf("mails %d", len(ms)))
		}
		logf("progress: %s", strings.Join(parts, ", "))
	}
}

func (h *harness) report(t tally) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var kills []string
	total := 0
	for _, s := range []string{"ingest", "summarize", "publish"} {
		kills = append(kills, fmt.Sprintf("%s %d", s, h.kills[s]))
		total += h.kills[s]
	}
	fmt.Printf("faults: kill -9 %d (%s); %s\n", total, strings.Join(kills, ", "), strings.Join(h.events, "; "))
	var crashes []string
	for _, p := range h.procs {
		if p.crashes > 0 {
			crashes = append(crashes, fmt.Sprintf("%s %d", p.name, p.crashes))
		}
	}
	if len(crashes) > 0 {
		fmt.Printf("processes that exited by themselves (logs in %s): %s\n", h.dir, strings.Join(crashes, ", "))
	}
	for _, n := range slices.Concat(t.editionNotes, t.emailNotes) {
		fmt.Println("  " + n)
	}
}

// shutdown stops every child: stages first, then mailpit and NATS.
func (h *harness) shutdown() {
	for _, p := range h.procs {
		p.hold(true)
	}
	var wg sync.WaitGroup
	for _, p := range h.stages {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
	for _, p := range h.procs {
		p.stop()
	}
	if h.keep || h.o.keep || h.o.dir != "" {
		fmt.Printf("work directory kept: %s\n", h.dir)
		return
	}
	_ = os.RemoveAll(h.dir)
}
