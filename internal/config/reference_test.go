package config

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the configuration reference in README.md")

const (
	refBegin = "<!-- config-reference:begin (generated: go test ./internal/config -update) -->\n"
	refEnd   = "<!-- config-reference:end -->"
)

// TestReadmeReference keeps the README's configuration table equal to the
// code's keys and defaults.
func TestReadmeReference(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, refBegin), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q … %q", refBegin, refEnd)
	}
	want := Reference()
	got := readme[i+len(refBegin) : j]
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(refBegin)] + want + readme[j:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md configuration reference is out of date; run: go test ./internal/config -update")
}

func TestReferenceHasEveryStage(t *testing.T) {
	ref := Reference()
	for _, key := range []string{"`nats.url`", "`ingest.feeds[].url`", "`ingest.poll_interval`", "`summarize.llm.base_url`", "`summarize.editions[].at`", "`publish.email.smtp_host`", "`log.level`"} {
		if !strings.Contains(ref, key) {
			t.Errorf("reference lacks %s", key)
		}
	}
}
