// Command newsdesk turns news feeds into German and English digests.
//
//	newsdesk run --config configs/default.yaml   all stages, embedded NATS
//	newsdesk demo --out DIR                        offline demo on bundled data
//	newsdesk extract FILE|URL                      print an article's main text
//	newsdesk feed parse FILE|URL                   print feed items as JSON lines
//	newsdesk feeds [import|export]                 feed status table; OPML import and export
//	newsdesk summarize --lang de FILE…             summarize text files
//	newsdesk check --config FILE                   validate a config
//	newsdesk ingest|summarize|publish --config F --nats nats://…
//	                                               one stage against external NATS
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
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
