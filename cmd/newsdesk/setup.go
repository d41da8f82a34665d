package main

import (
	"context"
	"fmt"
	"io"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize"
)

const setupSummary = "Declare newsdesk's streams, KV buckets and durable consumers on NATS as the config says " +
	"(or migrate them to it) and print what changed. Processes on nats.url only bind to them and stop when " +
	"something is missing or differs: run setup before the first start and after changing nats.* or the " +
	"consumer settings (summarize and publish workers' max_ack_pending, ack_wait, max_deliver). Its NATS user " +
	"needs the rights to manage streams; the stages' users do not. Without --nats it sets up the embedded " +
	"store of nats.data_dir (which `run` also declares by itself)."

func cmdSetup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "setup", "[--config FILE] [--nats URL] [--dry-run]", setupSummary)
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	natsURL := fs.String("nats", "", "NATS server or cluster `URL`s, comma-separated (overrides nats.url; default: the embedded store)")
	dry := fs.Bool("dry-run", false, "only print what would change")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	cfg, err := loadConfig(*cfgPath, *natsURL)
	if err != nil {
		return err
	}
	changes, err := setupNATS(ctx, cfg, *dry)
	printChanges(e.stdout, changes, *dry)
	return err
}

// setupNATS declares (or with dry, plans) cfg's streams, buckets and the
// stages' durable consumers.
func setupNATS(ctx context.Context, cfg *config.Config, dry bool) ([]bus.Change, error) {
	nc, _, closeNATS, err := connectNATS(cfg, cfg.NewLogger(io.Discard))
	if err != nil {
		return nil, err
	}
	defer closeNATS()
	consumers := []bus.ConsumerConfig{summarize.ConsumerConfig(cfg.Summarize), publish.ConsumerConfig(cfg.Publish), publish.SignupConsumerConfig(cfg.Publish)}
	return bus.Setup(ctx, nc, cfg.NATS, consumers, dry)
}

// printChanges prints one line per stream, bucket and consumer and a
// count at the end.
func printChanges(w io.Writer, changes []bus.Change, dry bool) {
	created, updated := "created", "updated"
	if dry {
		created, updated = "would be created", "would be updated"
	}
	var nc, nu int
	for _, c := range changes {
		switch c.Action {
		case "create":
			nc++
			fmt.Fprintf(w, "%s %s: %s\n", c.Kind, c.Name, created)
		case "update":
			nu++
			fmt.Fprintf(w, "%s %s: %s:", c.Kind, c.Name, updated)
			for _, d := range c.Diffs {
				fmt.Fprintf(w, " %s;", d)
			}
			fmt.Fprintln(w)
		default:
			fmt.Fprintf(w, "%s %s: as configured\n", c.Kind, c.Name)
		}
	}
	fmt.Fprintf(w, "%d %s, %d %s, %d as configured\n", nc, created, nu, updated, len(changes)-nc-nu)
}
