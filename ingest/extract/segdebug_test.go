package extract

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var segMisses = flag.String("seg-misses", "", "with -corpus: write every trafilatura-eval segment we miss or wrongly keep to this file")

// TestSegMisses lists, page by page, the trafilatura-eval segments that
// count against us on the tune split (split_test.go; -show-holdout adds the
// rest); a tool for finding classes of errors, it skips without -corpus
// and -seg-misses.
func TestSegMisses(t *testing.T) {
	if *corpusDir == "" || *segMisses == "" {
		t.Skip("pass -corpus and -seg-misses")
	}
	pages := loadCorpus(t, *corpusDir)
	var sel []corpusPage
	for _, p := range pages {
		if p.set == "trafilatura-eval" && (*showHoldout || p.split == "tune") {
			sel = append(sel, p)
		}
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Result.Text leaves the headline out by contract; a missed segment that
	// is the headline is marked so it is not mistaken for lost body text.
	titled := runAll(system{"titled", func(p corpusPage) string {
		res, err := ex.Extract(p.html, p.url, "")
		if err != nil {
			return ""
		}
		return res.Title + "\x00" + res.Text
	}}, sel)
	var b strings.Builder
	for i, p := range sel {
		title, text, _ := strings.Cut(titled[i], "\x00")
		got := collapse(text)
		for _, w := range p.with {
			if !strings.Contains(got, collapse(w)) {
				mark := ""
				if strings.Contains(collapse(title), collapse(w)) {
					mark = " (headline)"
				}
				fmt.Fprintf(&b, "FN%s %s [%s] %s\n", mark, p.name, p.lang, collapse(w))
			}
		}
		for _, w := range p.without {
			if strings.Contains(got, collapse(w)) {
				fmt.Fprintf(&b, "FP %s [%s] %s\n", p.name, p.lang, collapse(w))
			}
		}
	}
	if err := os.WriteFile(*segMisses, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
