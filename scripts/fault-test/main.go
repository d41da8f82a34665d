// Command fault-test runs newsdesk as a cluster deployment runs it and
// breaks it while it works, then counts what came out (issue #10's fault
// test; docs/nats.md: Fault test).
//
// It starts a real three-node nats-server cluster on loopback (JetStream,
// R3), a local feed server with generated on-topic articles, mailpit as the
// SMTP server, the LLM TEST DOUBLE (summarize/llm/llmtest with
// summarizetest's editor answers: the only double newsdesk allows, since no
// model can run here), runs `newsdesk setup`, and then ingest, summarize
// and publish as separate processes, two replicas each. While they work it
// kill -9s random stage processes and restarts them, stops one NATS node
// and brings it back, stops and restarts the leader of the ARTICLES
// stream, makes mailpit refuse mail for a while and makes the LLM slow,
// then unavailable. The edition slot falls after the last article and
// under the faults. At the end it counts articles on ARTICLES against the
// feed site (lost, duplicated), digests per language on DIGESTS (each
// exactly once) and mails per subscriber and edition in mailpit (exactly
// one each). The last line is the tally; the exit status is 1 when any
// count is off, 2 when the harness itself failed.
//
//	go run ./scripts/fault-test          # full run, about 8 minutes
//	go run ./scripts/fault-test -short   # the .ci/run variant, about 4
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

type options struct {
	short       bool
	feeds       int
	items       int
	subscribers int
	kills       int
	phase       time.Duration
	converge    time.Duration
	dir         string
	keep        bool
	seed        uint64
	natsServer  string
	mailpit     string
}

func main() {
	var o options
	flag.BoolVar(&o.short, "short", false, "the short variant .ci/run runs: fewer feeds, subscribers and kills, a shorter ingest phase")
	flag.IntVar(&o.feeds, "feeds", 0, "number of feeds (default 300, -short 40)")
	flag.IntVar(&o.items, "items", 0, "articles per feed (default 4, -short 3)")
	flag.IntVar(&o.subscribers, "subscribers", 0, "newsletter subscribers: a third German, a third English, a third both (default 240, -short 30)")
	flag.IntVar(&o.kills, "kills", 0, "kill -9s of stage processes (default 30, -short 10)")
	flag.DurationVar(&o.phase, "phase", 0, "how long the feeds keep publishing new articles (default 4m, -short 75s)")
	flag.DurationVar(&o.converge, "converge", 0, "how long to wait after the faults for the counts to come right (default 5m, -short 4m)")
	flag.StringVar(&o.dir, "dir", "", "work directory for configs, stores and logs (default: a new temporary one)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (it is kept anyway when a count is off)")
	flag.Uint64Var(&o.seed, "seed", 0, "random seed for the fault schedule (default: from the clock; printed)")
	flag.StringVar(&o.natsServer, "nats-server", "", "nats-server binary (default: $PATH, then $(go env GOPATH)/bin)")
	flag.StringVar(&o.mailpit, "mailpit", "", "mailpit binary (default: $PATH, then $(go env GOPATH)/bin)")
	flag.Parse()
	o.defaults()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fault-test:", err)
		os.Exit(2)
	}
	fmt.Println(t)
	if !t.ok() {
		os.Exit(1)
	}
}

func (o *options) defaults() {
	pick := func(v *int, full, short int) {
		if *v == 0 {
			*v = full
			if o.short {
				*v = short
			}
		}
	}
	pickD := func(v *time.Duration, full, short time.Duration) {
		if *v == 0 {
			*v = full
			if o.short {
				*v = short
			}
		}
	}
	pick(&o.feeds, 300, 40)
	pick(&o.items, 4, 3)
	pick(&o.subscribers, 240, 30)
	pick(&o.kills, 30, 10)
	pickD(&o.phase, 4*time.Minute, 75*time.Second)
	pickD(&o.converge, 5*time.Minute, 4*time.Minute)
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
}

// subscriber is one newsletter reader in the generated config.
type subscriber struct {
	email string
	langs []string
}

func makeSubscribers(n int) []subscriber {
	var subs []subscriber
	for i := range n {
		langs := [][]string{{"de"}, {"en"}, {"de", "en"}}[i%3]
		subs = append(subs, subscriber{email: fmt.Sprintf("reader%03d@example.org", i), langs: langs})
	}
	return subs
}

func run(ctx context.Context, o options) (tally, error) {
	var t tally
	rng := rand.New(rand.NewPCG(o.seed, o.seed^0x5eed))
	natsBin, err := testbed.Binary(o.natsServer, "nats-server", "docs/nats.md: Fault test")
	if err != nil {
		return t, err
	}
	mailpitBin, err := testbed.Binary(o.mailpit, "mailpit", "docs/nats.md: Fault test")
	if err != nil {
		return t, err
	}
	dir := o.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "newsdesk-fault-"); err != nil {
			return t, err
		}
	}
	logf("seed %d, work directory %s (logs of every process there)", o.seed, dir)
	logf("%d feeds × %d articles over %s, %d subscribers, %d kills", o.feeds, o.items, o.phase, o.subscribers, o.kills)

	newsdesk, err := testbed.Build(ctx, dir)
	if err != nil {
		return t, err
	}

	h := &harness{o: o, rng: rng, dir: dir, newsdesk: newsdesk}
	defer h.shutdown()
	if h.cluster, err = startCluster(dir, natsBin); err != nil {
		return t, err
	}
	h.procs = append(h.procs, h.cluster.nodes...)
	nc, js, err := testbed.Connect(ctx, h.cluster.url, "fault-test", time.Minute)
	if err != nil {
		return t, err
	}
	defer nc.Close()
	bcfg := bus.Config{URL: h.cluster.url, Replicas: 3}
	bcfg.Defaults()
	logf("three-node NATS cluster up: %s", h.cluster.url)
	if h.mail, err = startMailpit(ctx, dir, mailpitBin); err != nil {
		return t, err
	}
	h.procs = append(h.procs, h.mail.proc)
	h.llm = startLLM(3 * time.Second)
	defer h.llm.Close()

	start := time.Now().Add(20 * time.Second) // the first articles appear once the stages run
	h.site = newFeedSite(o.feeds, o.items, start, o.phase)
	if err := h.site.Start(); err != nil {
		return t, err
	}
	defer h.site.Srv.Close()
	settle := 45 * time.Second
	if o.short {
		settle = 30 * time.Second
	}
	edition := start.Add(o.phase + settle).UTC().Truncate(time.Minute).Add(time.Minute)
	h.subs = makeSubscribers(o.subscribers)
	if err := h.writeConfigs(edition); err != nil {
		return t, err
	}
	logf("edition slot %s UTC; LLM test double %s; mailpit SMTP 127.0.0.1:%d", edition.Format("15:04"), h.llm.URL, h.mail.SMTPPort)
	if err := h.setup(ctx); err != nil {
		return t, err
	}
	// The harness reads the streams as the stages do, bound to what
	// setup declared.
	b, err := bus.Open(ctx, nc, bcfg, slog.New(slog.DiscardHandler), bus.Bind)
	if err != nil {
		return t, err
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	h.startStages(runCtx)

	faultsEnd := h.faults(runCtx, js, start, edition)
	go h.progress(runCtx, js)
	select {
	case <-ctx.Done():
		return t, ctx.Err()
	case <-time.After(time.Until(faultsEnd)):
	}
	logf("faults over; waiting up to %s for the counts", o.converge)
	deadline := time.Now().Add(o.converge)
	langs := []string{"de", "en"}
	count := func() error {
		if err := countArticles(ctx, b, expected(h.site), &t); err != nil {
			return err
		}
		if err := countEditions(ctx, b, langs, &t); err != nil {
			return err
		}
		return countEmails(ctx, h.mail, h.subs, &t)
	}
	for {
		err := count()
		if err == nil && t.ok() {
			// Late duplicates would show within a redelivery or two.
			logf("counts right (%s); counting again in 20s", t)
			time.Sleep(20 * time.Second)
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		if err != nil {
			logf("counting: %v", err)
		} else {
			logf("not yet: %s", t)
		}
		time.Sleep(10 * time.Second)
	}
	if err := count(); err != nil {
		return t, err
	}
	cancelRun()
	h.report(t)
	if !t.ok() {
		h.keep = true
	}
	return t, nil
}
