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
// summarize stage against an external NATS.
func cmdSummarize(ctx context.Context, e *env, args []string) error {
	if !hasPositional(args) {
		return runStagesCmd(ctx, e, "summarize", args, stageSet{summarize: true},
			"Run only the summarize stage: brief articles and compose the scheduled editions. With FILE arguments, summarize those files instead (see --lang).")
	}
	fs := newFlags(e, "summarize", "--lang de|en [--config FILE] FILE…",
		"Summarize article text files (plain text, first line the title). Extractive unless an LLM is configured (summarize.llm in --config, or --llm-url/--llm-model); the extractive summarizer keeps the text's own language.")
	want := fs.String("lang", "", "language of the summary, a registered one: de or en (required)")
	cfgPath := fs.String("config", "", "configuration file whose summarize section to use (optional)")
	llmURL := fs.String("llm-url", "", "OpenAI-compatible base URL (overrides the config)")
	llmModel := fs.String("llm-model", "", "model name for --llm-url")
	if err := fs.Parse(args); err != nil {
		return err
	}
	langs := lang.Default()
	if err := langs.Check(*want); err != nil {
		return usageErr("--lang: %v", err)
	}
	if fs.NArg() == 0 {
		return usageErr("no files")
	}
	var cfg summarize.Config
	if *cfgPath != "" {
		c, err := config.Load(*cfgPath)
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

// hasPositional reports whether args hold a non-flag argument, which
// selects summarize's file mode. Flags that take a value are skipped.
func hasPositional(args []string) bool {
	valued := map[string]bool{"-lang": true, "--lang": true, "-config": true, "--config": true,
		"-llm-url": true, "--llm-url": true, "-llm-model": true, "--llm-model": true, "-nats": true, "--nats": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return i+1 < len(args)
		}
		if !strings.HasPrefix(a, "-") {
			return true
		}
		if valued[a] && !strings.Contains(a, "=") {
			i++
		}
	}
	return false
}
