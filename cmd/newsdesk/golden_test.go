package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleHost matches the sample site's address, a free port per run.
var sampleHost = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// digestText renders the parts of a digest a reader sees (and the story
// ids and languages, which tie the editions together), without what
// changes from run to run (date, port, timestamps, token counts).
func digestText(d news.Digest, ids map[string]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s (%s)\n%s\n\n%s\n", d.Language, d.Generator, d.Title, d.Overview)
	for _, st := range d.Stories {
		// Story ids hash the article URLs, which carry the port: number
		// them in order of appearance instead.
		if _, ok := ids[st.ID]; !ok {
			ids[st.ID] = len(ids) + 1
		}
		fmt.Fprintf(&b, "\n-- story %d [%s]", ids[st.ID], st.Language)
		if st.Update {
			b.WriteString(" update")
		}
		fmt.Fprintf(&b, "\n%s\n", st.Headline)
		if st.Summary != "" {
			fmt.Fprintf(&b, "%s\n", st.Summary)
		}
		for i, src := range st.Sources {
			fmt.Fprintf(&b, "  [%d] %s | %s | %s | %s\n", i+1, src.Outlet, src.Title, src.Language, sampleHost.ReplaceAllString(src.URL, "http://sample"))
		}
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "\nnote: %s\n", n)
	}
	return b.String()
}

func checkGolden(t *testing.T, name string, digests []news.Digest) {
	t.Helper()
	var b strings.Builder
	ids := map[string]int{}
	for _, d := range digests {
		b.WriteString(digestText(d, ids))
		b.WriteString("\n")
	}
	got := b.String()
	path := filepath.Join("testdata", name+".golden")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the demo's digests differ from %s (read the diff, then -update):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only one side has, in order.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	in := func(lines []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range lines {
			m[l] = true
		}
		return m
	}
	wm, gm := in(w), in(g)
	var b strings.Builder
	for _, l := range w {
		if !gm[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !wm[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// TestDemoGolden: the demo's German and English digests without an LLM,
// as a reader gets them, against testdata/demo-extractive.golden.
func TestDemoGolden(t *testing.T) {
	ds, err := runDemo(t.Context(), demoOptions{out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "demo-extractive", ds)
}

// TestDemoLLMGolden: the same with the LLM, written by summarizetest's
// editor through llmtest, the TEST DOUBLE of an OpenAI-compatible server,
// against testdata/demo-llm.golden.
func TestDemoLLMGolden(t *testing.T) {
	fake := llmtest.New(t, summarizetest.Editor(summarizetest.WithStandIns()))
	ds, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), llmURL: fake.URL, llmModel: llmtest.DefaultModel})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "demo-llm", ds)
}
