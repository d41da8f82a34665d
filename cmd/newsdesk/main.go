// Command newsdesk turns news feeds into German and English digests.
//
//	newsdesk run --config configs/default.yaml   all stages, embedded NATS
//	newsdesk demo --out DIR                        offline demo on bundled data
//	newsdesk extract FILE|URL                      print an article's main text
//	newsdesk feed parse FILE|URL                   print feed items as JSON lines
//	newsdesk feeds [import|export]                 feed status table; OPML import and export
//	newsdesk summarize --lang de FILE…             summarize text files
//	newsdesk check --config FILE                   validate a config
//	newsdesk subscribers [list|add|remove|export]  manage the newsletter's subscribers
//	newsdesk recompose EDITION [--date D] [--slot HH:MM] [--dry-run|--yes]
//	                                               compose an edition slot again
//	newsdesk verify --lang de --source F… SUMMARY  check a summary against its sources
//	newsdesk ingest|summarize|publish --config F --nats nats://…
//	                                               one stage against external NATS
//	newsdesk --version                             module version and VCS revision
//	newsdesk help COMMAND                          a command's flags (= COMMAND --help)
//
// Flags may come before or after a command's arguments; --help lists every
// flag a command accepts and marks the required ones.
//
// This package only parses flags and wires the stages together; the work is
// done in ingest, summarize and publish.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	// Editions are scheduled in named time zones (Europe/Berlin); embed the
	// zone database so minimal images without /usr/share/zoneinfo work.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, interactive: isTerminal(os.Stdin)}
	code := runEnv(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// isTerminal reports whether f is a character device (a terminal), where a
// person can answer a question.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
