package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsdesk/newsdesk/ingest"
)

func cmdFeed(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "parse" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "usage: newsdesk feed parse FILE|URL\n\nPrint a feed's items (RSS 0.9x/1.0/2.0, Atom, JSON Feed) as JSON lines: title, link, guid, published, language.")
			return nil
		}
		return usageErr("want: feed parse FILE|URL")
	}
	fs := newFlags(e, "feed parse", "FILE|URL", "Print a feed's items (RSS 0.9x/1.0/2.0, Atom, JSON Feed) as JSON lines: title, link, guid, published, language.")
	maxBytes := fs.Int64("max-bytes", ingest.DefaultMaxFeedBytes, "read at most this many bytes")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("want exactly one FILE or URL")
	}
	src, err := readSource(ctx, fs.Arg(0), *maxBytes)
	if err != nil {
		return err
	}
	feedURL := ""
	if src.url != nil && src.url.Scheme != "file" {
		feedURL = src.url.String()
	}
	items, err := ingest.ParseFeed(src.data, src.contentType, feedURL)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}
