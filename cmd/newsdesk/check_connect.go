package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// Resolving feed hosts in check --connect: how many at a time, and how
// long all of them may take.
const (
	feedHostsConcurrency = 16
	feedHostsTimeout     = 30 * time.Second
)

// checkConnections is check --connect: it reaches the LLM server and the
// SMTP relay the way run does, resolves the feeds' hosts, and prints a
// line for each. An operator's
// first week is where a wrong base URL, model name, TLS mode or password
// shows up; without this it shows up at the first edition (as a fallback
// to extractive summaries, or as mail that waits for retries).
func checkConnections(ctx context.Context, e *env, cfg *config.Config) error {
	fmt.Fprintln(e.stdout, "connect:")
	failed := 0
	if lc := cfg.Summarize.LLM; lc.Configured() {
		c, err := llm.New(lc, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
		if err == nil {
			err = pingLLM(ctx, c)
		}
		if err != nil {
			fmt.Fprintf(e.stdout, "  llm: FAILED: %v\n", err)
			failed++
		} else {
			fmt.Fprintf(e.stdout, "  llm: %s answers and serves %s\n", lc.BaseURL, lc.Model)
		}
	} else {
		fmt.Fprintln(e.stdout, "  llm: none configured (extractive summaries)")
	}
	switch where, err := publish.ProbeSMTP(ctx, cfg.Publish.Email); {
	case where == "" && err == nil:
		fmt.Fprintf(e.stdout, "  smtp: none configured (mail goes to the outbox %s)\n", cfg.Publish.Email.OutboxDir)
	case err != nil:
		fmt.Fprintf(e.stdout, "  smtp: %s FAILED: %v\n", where, err)
		failed++
	default:
		fmt.Fprintf(e.stdout, "  smtp: %s accepted the session; no mail sent\n", where)
	}
	// Feeds: resolve each host once (nothing is fetched: a check must not
	// poll thousands of feeds). A host that does not resolve or that the
	// fetcher would refuse fails the check.
	hctx, cancel := context.WithTimeout(ctx, feedHostsTimeout)
	problems := ingest.CheckFeedHosts(hctx, cfg.Ingest.Feeds, cfg.Ingest.AllowPrivateNetworks, nil, feedHostsConcurrency)
	cancel()
	if len(problems) == 0 {
		fmt.Fprintf(e.stdout, "  feeds: the hosts of all %d feeds resolve to addresses ingest may fetch\n", len(cfg.Ingest.Feeds))
	}
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "  feeds %s: %s %s\n", strings.Join(p.FeedIDs, ", "), p.Host, p.Problem)
		failed++
	}
	if failed > 0 {
		return fmt.Errorf("check --connect: %d problem(s) (above: what answered and what to change)", failed)
	}
	return nil
}
