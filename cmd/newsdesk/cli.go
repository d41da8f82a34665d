package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/agnivade/levenshtein"
)

// command is one subcommand.
type command struct {
	name    string
	usage   string // one line: arguments
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: where to read and write.
type env struct {
	stdout, stderr io.Writer
	// stdin answers questions when interactive (a terminal); commands that
	// ask (recompose) refuse to go on without a flag otherwise.
	stdin       io.Reader
	interactive bool
	// onFlags, when set, sees every flag set a command makes (tests).
	onFlags func(*flags)
}

// exitError carries an exit status other than 1 (which every other error
// gets); the message is printed unless it is empty.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"run", stageUsage(allStages), "run all stages in one process (embedded NATS unless --nats)", cmdRun},
		{"demo", "--out DIR [--data DIR] [--smtp HOST:PORT] [--webhook URL --webhook-secret S] [--llm-url URL --llm-model NAME] [-v]", "run the whole pipeline offline on bundled sample data", cmdDemo},
		{"extract", "[--json] [--max-bytes N] FILE|URL", "print an article page's main text (--json: with metadata)", cmdExtract},
		{"feed", "parse [--max-bytes N] FILE|URL", "print a feed's items as JSON lines", cmdFeed},
		{"feeds", "[import FILE.opml [--into CONFIG] | export] [--config FILE] [--nats URL] [--json]", "feed status table (last fetch, HTTP status, items, errors, next poll); OPML import and export", cmdFeeds},
		{"summarize", "--lang de|en FILE… | --nats URL [--config FILE] [--once]", "summarize text files; without files: run only the summarize stage", cmdSummarize},
		{"verify", "--lang de|en --source FILE… SUMMARY_FILE", "check a summary against its sources as the stage checks an LLM's text; findings as JSON lines", cmdVerify},
		{"check", "[--config FILE]", "validate a config file and exit", cmdCheck},
		{"subscribers", subscribersUsage, "list, add, remove and export newsletter subscribers (CSV or JSON)", cmdSubscribers},
		{"ingest", stageUsage(stageSet{ingest: true}), "run only the ingest stage", cmdIngest},
		{"publish", stageUsage(stageSet{publish: true}), "run only the publish stage", cmdPublish},
		{"setup", "[--config FILE] [--nats URL] [--dry-run]", "declare or migrate streams, buckets and consumers on NATS and print what changed (before stage processes start)", cmdSetup},
		{"dlq", "list|replay [SEQ…|--all] [--stage S] [--json] [--config FILE] [--nats URL]", "list dead letters, or send them back to their stage", cmdDLQ},
		{"recompose", "EDITION [--date YYYY-MM-DD] [--slot HH:MM] [--dry-run | --yes] [--config FILE] [--nats URL]", "compose an edition slot again on purpose, show what it would publish and mail, then publish it", cmdRecompose},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, &env{stdout: stdout, stderr: stderr}, args)
}

// runEnv runs the command line args with e and returns the exit status.
func runEnv(ctx context.Context, e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		printHelp(stderr)
		return 2
	}
	switch {
	case isHelp(args[0]):
		printHelp(stdout)
		return 0
	case args[0] == "--version" || args[0] == "-version" || args[0] == "version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	case args[0] == "help" && len(args) > 1:
		// "newsdesk help run" is "newsdesk run --help".
		args = []string{args[1], "--help"}
	case args[0] == "help":
		printHelp(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var xe *exitError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &xe):
			if xe.msg != "" {
				fmt.Fprintf(stderr, "newsdesk %s: %s\n", c.name, xe.msg)
			}
			return xe.code
		case errors.Is(err, errUsage):
			msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
			fmt.Fprintf(stderr, "newsdesk %s: %s\nusage: newsdesk %s %s\nRun 'newsdesk %s --help' for every flag.\n", c.name, msg, c.name, c.usage, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "newsdesk %s: %v\n", c.name, err)
			return 1
		}
	}
	names := make([]string, 0, len(commands()))
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s := closestCommand(args[0], names); s != "" {
		fmt.Fprintf(stderr, "newsdesk: unknown command %q; did you mean %s?\n\n", args[0], s)
	} else {
		fmt.Fprintf(stderr, "newsdesk: unknown command %q\n\n", args[0])
	}
	printHelp(stderr)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "newsdesk turns news feeds into German and English digests.")
	fmt.Fprintln(w, "\nUsage: newsdesk COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'newsdesk COMMAND --help' (or 'newsdesk help COMMAND') for a command's flags;")
	fmt.Fprintln(w, "'newsdesk --version' prints the version. Docs: README.md and docs/ in the source tree.")
}

// closestCommand returns the command a mistyped name most likely meant.
func closestCommand(name string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := levenshtein.ComputeDistance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
