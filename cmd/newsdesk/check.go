package main

import (
	"context"
	"fmt"

	"github.com/newsdesk/newsdesk/ingest/topic"
)

func cmdCheck(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", "[--config FILE]", "Validate a configuration file (strict: unknown keys are errors) and its topic profile, then exit.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	cfg, err := loadConfig(*cfgPath, "")
	if err != nil {
		return err
	}
	if _, err := topic.Load(cfg.Ingest.Topic); err != nil {
		return fmt.Errorf("config %s: ingest.topic: %w", *cfgPath, err)
	}
	llmState := "none (extractive summaries)"
	if cfg.Summarize.LLM.Configured() {
		llmState = cfg.Summarize.LLM.Model + " at " + cfg.Summarize.LLM.BaseURL
	}
	natsState := "embedded, store " + cfg.NATS.DataDir
	if cfg.NATS.URL != "" {
		natsState = cfg.NATS.URL
	}
	for _, w := range cfg.Publish.Warnings() {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(e.stdout, "%s: ok\n  feeds: %d\n  editions: %d\n  llm: %s\n  nats: %s\n",
		*cfgPath, len(cfg.Ingest.Feeds), len(cfg.Summarize.Editions), llmState, natsState)
	return nil
}
