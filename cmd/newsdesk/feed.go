package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsdesk/newsdesk/ingest"
)

const feedParseSummary = "Print a feed's items (RSS 0.9x/1.0/2.0, Atom, JSON Feed) as JSON lines: title, link, guid, published, language.\nGiven the URL of a web page, it follows the feed the page advertises (<link rel=\"alternate\" type=\"application/rss+xml\">, atom+xml or feed+json)."

func cmdFeed(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "parse" {
		// "feed --help" is "feed parse --help": parse is the only subcommand.
		if len(args) > 0 && isHelp(args[0]) {
			args = []string{"parse", "--help"}
		} else {
			return usageErr("want: feed parse FILE|URL")
		}
	}
	fs := newFlags(e, "feed parse", "[--max-bytes N] FILE|URL", feedParseSummary)
	maxBytes := fs.Int64("max-bytes", ingest.DefaultMaxFeedBytes, "read at most `N` bytes")
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
	if err != nil && ingest.IsNotAFeed(err) && feedURL != "" {
		// A web page: follow the feed it advertises, as ingest does.
		links := ingest.DiscoverFeeds(src.data, feedURL)
		if len(links) == 0 {
			return fmt.Errorf("%s: %w (and the page advertises no feed)", fs.Arg(0), err)
		}
		fmt.Fprintf(e.stderr, "newsdesk feed: %s is a web page; following the feed it advertises: %s\n", feedURL, links[0].URL)
		if src, err = readSource(ctx, links[0].URL, *maxBytes); err != nil {
			return err
		}
		feedURL = src.url.String()
		items, err = ingest.ParseFeed(src.data, src.contentType, feedURL)
	}
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
