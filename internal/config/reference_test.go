package config

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the configuration reference in docs/configuration.md")

const (
	refBegin = "<!-- config-reference:begin (generated: go test ./internal/config -update) -->\n"
	refEnd   = "<!-- config-reference:end -->"
)

// TestReference keeps the configuration table in docs/configuration.md
// equal to the code's keys and defaults.
func TestReference(t *testing.T) {
	const path = "../../docs/configuration.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, refBegin), strings.Index(doc, refEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q … %q", path, refBegin, refEnd)
	}
	want := Reference()
	got := doc[i+len(refBegin) : j]
	if got == want {
		return
	}
	if *update {
		doc = doc[:i+len(refBegin)] + want + doc[j:]
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date; run: go test ./internal/config -update", path)
}

func TestReferenceHasEveryStage(t *testing.T) {
	ref := Reference()
	for _, key := range []string{"`nats.url`", "`ingest.feeds[].url`", "`ingest.poll_interval`", "`summarize.llm.base_url`", "`summarize.editions[].at`", "`publish.email.smtp_host`", "`log.level`"} {
		if !strings.Contains(ref, key) {
			t.Errorf("reference lacks %s", key)
		}
	}
}
