package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
}

// errUsage marks an error the user fixes by reading --help; it exits 2.
var errUsage = errors.New("usage")

// exitError carries an exit status other than 1 (which every other error
// gets); the message is printed unless it is empty.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"run", "[--config FILE] [--nats URL]", "run all stages in one process (embedded NATS unless --nats)", cmdRun},
		{"demo", "--out DIR [--smtp HOST:PORT] [--webhook URL --webhook-secret S] [--llm-url URL --llm-model NAME]", "run the whole pipeline offline on bundled sample data", cmdDemo},
		{"extract", "[--json] FILE|URL", "print an article page's main text (--json: with metadata)", cmdExtract},
		{"feed", "parse FILE|URL", "print a feed's items as JSON lines", cmdFeed},
		{"feeds", "[import FILE.opml [--into CONFIG] | export] [--config FILE]", "feed status table (last fetch, HTTP status, items, errors, next poll); OPML import and export", cmdFeeds},
		{"summarize", "--lang de|en FILE… | --config FILE [--nats URL]", "summarize text files; without files: run the summarize stage", cmdSummarize},
		{"verify", "--lang de|en --source FILE… SUMMARY_FILE", "check a summary against its sources as the stage checks an LLM's text; findings as JSON lines", cmdVerify},
		{"check", "--config FILE", "validate a config file and exit", cmdCheck},
		{"ingest", "--config FILE [--nats URL]", "run only the ingest stage", cmdIngest},
		{"publish", "--config FILE [--nats URL]", "run only the publish stage", cmdPublish},
		{"recompose", "EDITION [--date YYYY-MM-DD] [--slot HH:MM] [--dry-run | --yes] [--config FILE] [--nats URL]", "compose an edition slot again on purpose, show what it would publish and mail, then publish it", cmdRecompose},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, &env{stdout: stdout, stderr: stderr}, args)
}

// runEnv runs the command line args with e and returns the exit status.
func runEnv(ctx context.Context, e *env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(stdout)
		if len(args) == 0 {
			return 2
		}
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
			fmt.Fprintf(stderr, "newsdesk %s: %v\nusage: newsdesk %s %s\n", c.name, err, c.name, c.usage)
			return 2
		default:
			fmt.Fprintf(stderr, "newsdesk %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "newsdesk: unknown command %q\n\n", args[0])
	printHelp(stderr)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "newsdesk turns news feeds into German and English digests.")
	fmt.Fprintln(w, "\nUsage: newsdesk COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'newsdesk COMMAND --help' for a command's flags.")
}

// newFlags makes a FlagSet that prints the command's usage on --help.
func newFlags(e *env, name, usage, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: newsdesk %s %s\n\n%s\n", name, usage, summary)
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
		if b.Len() > 0 {
			fmt.Fprintf(e.stderr, "\nflags:\n%s", b.String())
		}
	}
	return fs
}

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}
