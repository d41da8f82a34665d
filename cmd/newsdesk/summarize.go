package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize"
)

// cmdSummarize summarizes text files, or, given no files, runs the
// summarize stage against an external NATS. Both modes share one flag set,
// so --help lists every flag either accepts.
func cmdSummarize(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "summarize", "--lang de|en [--config FILE] [--llm-url URL --llm-model NAME] FILE…\n   or: newsdesk summarize --nats URL [--config FILE] [--once]",
		"With FILE arguments: summarize article text files (plain text; a first line followed by a blank line is the title). Extractive unless an LLM is configured "+
			"(summarize.llm in --config, or --llm-url/--llm-model); the extractive summarizer keeps the text's own language.\n"+
			"Without: run only the summarize stage against the NATS the other stages use: brief articles and compose the scheduled editions.")
	stage := stageFlags(fs, stageSet{summarize: true})
	fs.require("nats", "without FILE arguments, unless nats.url or $NATS_URL is set")
	want := fs.String("lang", "", "write the summary in `LANG`, a registered language: de or en")
	fs.require("lang", "with FILE arguments")
	llmURL := fs.String("llm-url", "", "with FILE arguments: OpenAI-compatible base `URL` (overrides the config)")
	llmModel := fs.String("llm-model", "", "`MODEL` name for --llm-url")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		for _, f := range []string{"lang", "llm-url", "llm-model"} {
			if fs.isSet(f) {
				return usageErr("--%s is for summarizing FILEs, and no FILE was given", f)
			}
		}
		return runStages(ctx, e, "summarize", stageSet{summarize: true}, stage)
	}
	for _, f := range []string{"nats", "once"} {
		if fs.isSet(f) {
			return usageErr("--%s runs the summarize stage, which takes no FILE arguments", f)
		}
	}
	langs := lang.Default()
	if err := langs.Check(*want); err != nil {
		return usageErr("--lang: %v", err)
	}
	cfgPath := stage.config
	if !fs.isSet("config") {
		cfgPath = "" // files are summarized with the built-in settings unless a config is named
	}
	var cfg summarize.Config
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			return err
		}
		cfg = c.Summarize
	}
	if *llmURL != "" {
		cfg.LLM.BaseURL, cfg.LLM.Model = *llmURL, *llmModel
	}
	st, err := summarize.New(cfg, summarize.Deps{Langs: langs})
	if err != nil {
		return err
	}
	for i, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		a := articleFromText(path, string(data))
		b, err := st.Brief(ctx, a, *want)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		if fs.NArg() > 1 {
			fmt.Fprintf(e.stdout, "== %s\n", path)
		}
		if b.Language != *want {
			fmt.Fprintf(e.stderr, "newsdesk summarize: %s is %s and no LLM is configured to translate; the summary stays in %s\n", path, b.Language, b.Language)
		}
		fmt.Fprintln(e.stdout, b.Text)
	}
	return nil
}

// articleFromText makes an Article of a text file: the first line is the
// title when it is short and followed by a blank line.
func articleFromText(path, text string) news.Article {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	title := ""
	if first, rest, ok := strings.Cut(text, "\n\n"); ok && !strings.Contains(first, "\n") && len(first) < 200 {
		title, text = first, rest
	}
	abs, _ := filepath.Abs(path)
	u := "file://" + abs
	return news.Article{
		Schema: news.ArticleSchema, ID: news.ArticleID(u), URL: u, Title: title, Text: text,
		Language: lang.Detect(title + "\n" + text), Source: "file", Outlet: filepath.Base(path),
	}
}
