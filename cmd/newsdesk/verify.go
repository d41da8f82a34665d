package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/summarize"
)

// sourceFiles is a repeatable --source flag.
type sourceFiles []string

func (s *sourceFiles) String() string     { return strings.Join(*s, ",") }
func (s *sourceFiles) Set(v string) error { *s = append(*s, v); return nil }

// cmdVerify runs the summarize stage's checks on a summary and prints what
// they find, so an operator can see why a model's text was cut.
func cmdVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "verify", "--lang de|en --source FILE [--source FILE …] [--config FILE] SUMMARY_FILE",
		"Check a summary against its sources as the summarize stage checks an LLM's story text, sentence by sentence: "+
			"[n] cites the n-th --source (with one source, citations may be left out); a sentence with a number, date, amount or name "+
			"its cited sources do not hold, without a citation, or not in --lang is removed, and a citation of a missing source is dropped. "+
			"Prints one JSON object per finding (sentence, problem, evidence, removed) and exits 1 when the stage would reject the text "+
			"(nothing, or fewer than 2 sentences, left after a removal), 0 otherwise.")
	want := fs.String("lang", "", "the summary must be in `LANG`, a registered language: de or en")
	fs.require("lang", "")
	var sources sourceFiles
	fs.Var(&sources, "source", "a source document, a plain text `FILE`; repeat for [2], [3], …")
	fs.require("source", "")
	cfgPath := fs.String("config", "", "configuration `FILE` whose summarize.glossary to use (optional; default glossary otherwise)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	langs := lang.Default()
	if err := langs.Check(*want); err != nil {
		return usageErr("--lang: %v", err)
	}
	if len(sources) == 0 {
		return usageErr("no --source")
	}
	if fs.NArg() != 1 {
		return usageErr("want one SUMMARY_FILE, got %d arguments", fs.NArg())
	}
	var cfg summarize.Config
	if *cfgPath != "" {
		c, err := config.Load(*cfgPath)
		if err != nil {
			return err
		}
		cfg = c.Summarize
	}
	cfg.LLM.BaseURL = "" // the checks need no LLM
	st, err := summarize.New(cfg, summarize.Deps{Langs: langs})
	if err != nil {
		return err
	}
	docs := make([]string, len(sources))
	for i, path := range sources {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		docs[i] = string(b)
	}
	text, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	issues, total, kept, rejected := st.Verify(*want, string(text), docs)
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, is := range issues {
		if err := enc.Encode(is); err != nil {
			return err
		}
	}
	verdict := "kept"
	if rejected {
		verdict = "rejected"
	}
	fmt.Fprintf(e.stderr, "newsdesk verify: %d of %d sentences kept, %d findings: %s\n", kept, total, len(issues), verdict)
	if rejected {
		return &exitError{code: 1}
	}
	return nil
}
