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
// count against us; a tool for finding classes of errors, it skips without
// -corpus and -seg-misses.
func TestSegMisses(t *testing.T) {
	if *corpusDir == "" || *segMisses == "" {
		t.Skip("pass -corpus and -seg-misses")
	}
	pages := loadCorpus(t, *corpusDir)
	var sel []corpusPage
	for _, p := range pages {
		if p.set == "trafilatura-eval" {
			sel = append(sel, p)
		}
	}
	out := runAll(ourSystem(t, Options{}), sel)
	var b strings.Builder
	for i, p := range sel {
		got := collapse(out[i])
		for _, w := range p.with {
			if !strings.Contains(got, collapse(w)) {
				fmt.Fprintf(&b, "FN %s [%s] %s\n", p.name, p.lang, collapse(w))
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
