package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsdesk/newsdesk/ingest/extract"
	"github.com/newsdesk/newsdesk/internal/lang"
)

func cmdExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--json] [--max-bytes N] FILE|URL", "Print an article page's main text: paragraphs separated by blank lines, title not included.")
	asJSON := fs.Bool("json", false, "print text and metadata (title, authors, dates, language, canonical URL, …) as JSON")
	maxBytes := fs.Int64("max-bytes", extract.DefaultMaxBytes, "read at most `N` bytes of the page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("want exactly one FILE or URL")
	}
	src, err := readSource(ctx, fs.Arg(0), *maxBytes)
	if err != nil {
		return err
	}
	x, err := extract.New(extract.Options{MaxBytes: *maxBytes, HTML: *asJSON})
	if err != nil {
		return err
	}
	res, err := x.Extract(src.data, src.url, src.contentType)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if !*asJSON {
		_, err = fmt.Fprintln(e.stdout, res.Text)
		return err
	}
	if res.Language == "" {
		res.Language = lang.Detect(res.Title + "\n" + res.Text)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}
