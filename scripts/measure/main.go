// Command measure runs newsdesk as a cluster deployment runs it and
// measures it (issue #10, "Measure it"; docs/measurements.md, "Cluster"):
// a three-node nats-server cluster on loopback with JetStream (R3), a
// local feed site, the LLM TEST DOUBLE (summarize/llm/llmtest with
// summarizetest's editor: the real wire protocol, no model) answering
// after a fixed latency, mailpit as the SMTP server, and `newsdesk
// ingest|summarize|publish` as separate processes, as many of each as the
// flags say. Nothing is faulted; scripts/fault-test does that.
//
// Modes:
//
//	-mode pipeline  all articles appear at once; prints articles per second
//	                onto ARTICLES (ingest) and briefed (summarize's consumer)
//	-mode mail      a small feed, one edition slot, -subscribers readers;
//	                prints mails per second into mailpit
//	-mode soak      a steady feed for -duration with edition slots every
//	                -every; prints each process's RSS and CPU over time
//
// Every report line carries the machine's load average: the numbers are
// only comparable between runs at similar load.
//
// Run it from the repository root: go run ./scripts/measure -mode pipeline
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	mode                                   string
	ingesters, summarizers, publishers     int
	feeds, items, subscribers              int
	llmLatency                             time.Duration
	llmConcurrency, workers, maxAckPending int
	rate                                   float64
	duration, every, timeout               time.Duration
	dir                                    string
	natsServer, mailpit                    string
}

func main() {
	var o options
	flag.StringVar(&o.mode, "mode", "pipeline", "pipeline | mail | soak")
	flag.IntVar(&o.ingesters, "ingesters", 1, "ingest processes")
	flag.IntVar(&o.summarizers, "summarizers", 1, "summarize processes")
	flag.IntVar(&o.publishers, "publishers", 1, "publish processes")
	flag.IntVar(&o.feeds, "feeds", 0, "feeds on the feed site (default per mode: pipeline 300, mail 10, soak 100)")
	flag.IntVar(&o.items, "items", 0, "articles per feed (default per mode: pipeline 4, mail 2, soak 12)")
	flag.IntVar(&o.subscribers, "subscribers", 0, "subscribers, half German, half English (default per mode: pipeline 0, mail 10000, soak 200)")
	flag.DurationVar(&o.llmLatency, "llm-latency", 250*time.Millisecond, "the LLM test double's fixed answer latency")
	flag.IntVar(&o.llmConcurrency, "llm-concurrency", 0, "summarize.llm.max_concurrency (0: the default)")
	flag.IntVar(&o.workers, "workers", 0, "summarize.workers (0: the default)")
	flag.IntVar(&o.maxAckPending, "max-ack-pending", 0, "summarize.max_ack_pending (0: the default)")
	flag.Float64Var(&o.rate, "rate", 0, "publish.email.rate_per_second (0: the default)")
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "soak: how long the feed keeps coming")
	flag.DurationVar(&o.every, "every", 3*time.Minute, "soak: edition slots this far apart")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Minute, "give up after this long")
	flag.StringVar(&o.dir, "dir", "", "work directory (default: a new temporary one, kept)")
	flag.StringVar(&o.natsServer, "nats-server", "", "nats-server binary (default: $PATH, then $(go env GOPATH)/bin)")
	flag.StringVar(&o.mailpit, "mailpit", "", "mailpit binary (default: $PATH, then $(go env GOPATH)/bin)")
	flag.Parse()
	def := func(v *int, pipeline, mail, soak int) {
		if *v == 0 {
			*v = map[string]int{"pipeline": pipeline, "mail": mail, "soak": soak}[o.mode]
		}
	}
	def(&o.feeds, 300, 10, 100)
	def(&o.items, 4, 2, 12)
	def(&o.subscribers, 0, 10000, 200)
	if o.feeds == 0 {
		fmt.Fprintf(os.Stderr, "measure: unknown -mode %q\n", o.mode)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	h, err := newHarness(ctx, o)
	if err == nil {
		switch o.mode {
		case "pipeline":
			err = h.pipeline(ctx)
		case "mail":
			err = h.mail(ctx)
		case "soak":
			err = h.soak(ctx)
		}
	}
	if h != nil {
		h.shutdown()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

func plural(n int, one string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	if strings.HasSuffix(one, "s") {
		return fmt.Sprintf("%d %ses", n, one)
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func join(xs []string) string { return strings.Join(xs, ", ") }
