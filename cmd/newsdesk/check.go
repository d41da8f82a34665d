package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/ingest/topic"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
)

func cmdCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check", "[--config FILE] [--nats URL] [--env] [--connect]", "Validate a configuration file (strict: unknown keys are errors), its topic profile and the NATS credential and certificate files it names, then exit. "+
		"With --connect, also connect to the LLM server and the SMTP relay the config names, as run would, resolve every feed's host, and say what answered; nothing is sent or fetched.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	natsURL := fs.String("nats", "", "check as a process given this NATS `URL` would run (overrides nats.url)")
	env := fs.Bool("env", false, "also fail when a secret the config names by environment variable (SMTP password, webhook secret) is not set here, as run would; without it, check warns")
	connect := fs.Bool("connect", false, "also connect to the LLM server (GET /models: is the model served?) and the SMTP relay (TLS, EHLO, login, then QUIT: no mail is sent), and resolve every feed's host (a name that does not resolve, or an address ingest refuses); fail on any of these")
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
	if err := cfg.NATS.CheckFiles(); err != nil {
		return fmt.Errorf("config %s: %w", *cfgPath, err)
	}
	if _, err := topic.Load(cfg.Ingest.Topic); err != nil {
		return fmt.Errorf("config %s: ingest.topic: %w", *cfgPath, err)
	}
	llmState := "none (extractive summaries)"
	if cfg.Summarize.LLM.Configured() {
		llmState = cfg.Summarize.LLM.Model + " at " + cfg.Summarize.LLM.BaseURL
	}
	if *env {
		if err := cfg.Publish.CheckSecrets(); err != nil {
			return &config.FileError{Path: *cfgPath, Err: err}
		}
	}
	for _, err := range cfg.Publish.MissingSecrets() {
		// The operator's shell rarely has the service's environment file.
		fmt.Fprintf(e.stderr, "warning: %v (run and recompose need it; check --env makes this an error)\n", err)
	}
	for _, w := range cfg.Publish.Warnings() {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	fmt.Fprintf(e.stdout, "%s: ok\n  feeds: %d\n  editions: %d\n  llm: %s\n  nats: %s\n",
		*cfgPath, len(cfg.Ingest.Feeds), len(cfg.Summarize.Editions), llmState, natsState(cfg.NATS))
	if *connect {
		return checkConnections(ctx, e, cfg)
	}
	return nil
}

// natsState says in one line how a process would reach NATS.
func natsState(c bus.Config) string {
	var parts []string
	if c.URL == "" {
		s := "embedded, store " + c.DataDir
		if c.Listen != "" {
			s += ", listening on " + c.Listen
			if len(c.ListenNKeys) > 0 {
				s += fmt.Sprintf(" for %d nkey users", len(c.ListenNKeys))
			}
			if c.ListenTLS.CertFile != "" {
				s += " over TLS"
				if c.ListenTLS.CAFile != "" {
					s += " with client certificates"
				}
			}
		}
		return s
	}
	parts = append(parts, c.URL, fmt.Sprintf("replicas %d", c.Replicas))
	switch {
	case c.CredsFile != "":
		parts = append(parts, "creds file")
	case c.NKeySeedFile != "":
		parts = append(parts, "nkey seed")
	default:
		parts = append(parts, "no credentials")
	}
	if c.TLS.CAFile != "" || c.TLS.CertFile != "" {
		tls := "TLS"
		if c.TLS.CertFile != "" {
			tls += " with a client certificate"
		}
		parts = append(parts, tls)
	}
	if c.Placement.Cluster != "" || len(c.Placement.Tags) > 0 {
		parts = append(parts, fmt.Sprintf("placement %s%v", c.Placement.Cluster, c.Placement.Tags))
	}
	if c.SubjectPrefix != bus.DefaultSubjectPrefix {
		parts = append(parts, "subjects under "+c.SubjectPrefix+".")
	}
	return strings.Join(parts, ", ")
}
