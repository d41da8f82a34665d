package main

import (
	"context"
	"fmt"
	"os"
)

// defaultConfigPath is used when --config is not given.
const defaultConfigPath = "configs/default.yaml"

func cmdRun(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "run", args, allStages,
		"Run ingest, summarize and publish in one process. Without --nats (or nats.url) it starts an embedded NATS server with JetStream on nats.data_dir.")
}

func cmdIngest(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "ingest", args, stageSet{ingest: true},
		"Run only the ingest stage: poll feeds, extract, score and publish articles to NATS.")
}

func cmdPublish(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "publish", args, stageSet{publish: true},
		"Run only the publish stage: consume digests, send email, serve feeds and the archive.")
}

// runStagesCmd is the long-running mode shared by run and the stage-only
// commands: they differ only in which stages the process builds.
func runStagesCmd(ctx context.Context, e *env, name string, args []string, set stageSet, summary string) error {
	fs := newFlags(e, name, "[--config FILE] [--nats URL]", summary)
	cfgPath := fs.String("config", defaultConfigPath, "configuration file")
	natsURL := fs.String("nats", "", "external NATS server or cluster URL(s), comma-separated (overrides nats.url)")
	once := fs.Bool("once", false, "with the summarize stage: compose every configured edition now, publish it and exit after publish caught up")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	if set != allStages && *natsURL == "" && os.Getenv("NATS_URL") != "" {
		*natsURL = os.Getenv("NATS_URL")
	}
	cfg, err := loadConfig(*cfgPath, *natsURL)
	if err != nil {
		return err
	}
	if set != allStages && cfg.NATS.URL == "" {
		return usageErr("a stage-only process needs an external NATS: --nats nats://… (or nats.url, or NATS_URL)")
	}
	log := cfg.NewLogger(e.stderr)
	a, err := newApp(ctx, cfg, log, set, nil)
	if err != nil {
		return err
	}
	defer a.close()
	if *once {
		if a.summarize == nil {
			return usageErr("--once needs the summarize stage")
		}
		return a.once(ctx, e)
	}
	log.Info("newsdesk running", "command", name)
	err = a.runStages(ctx)
	log.Info("newsdesk stopped", "command", name, "err", err)
	return err
}

// once polls (when ingest runs here), composes every edition now and waits
// for publish to catch up: a cron-friendly single pass.
func (a *app) once(ctx context.Context, e *env) error {
	res, err := a.pass(ctx, passOptions{})
	if err != nil {
		return err
	}
	for _, d := range res.digests {
		fmt.Fprintf(e.stdout, "published %s (%d stories)\n", d.ID, len(d.Stories))
	}
	return nil
}
