package main

import (
	"io/fs"
	"net/url"
	"testing"

	"github.com/newsdesk/newsdesk/configs"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/sample"
)

// TestDemoConfigFeeds keeps configs/demo.yaml's feeds equal to the sample
// site's, so the file shows what the demo polls.
func TestDemoConfigFeeds(t *testing.T) {
	raw, err := fs.ReadFile(configs.Files, "demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := sample.Feeds()
	if len(cfg.Ingest.Feeds) != len(want) {
		t.Fatalf("demo.yaml has %d feeds, the sample site %d", len(cfg.Ingest.Feeds), len(want))
	}
	for i, f := range cfg.Ingest.Feeds {
		u, err := url.Parse(f.URL)
		if err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if f.ID != w.ID || f.Name != w.Name || f.Language != w.Language || u.RequestURI() != w.Path {
			t.Errorf("feeds[%d] = %s %q %s %s, the sample site has %s %q %s %s", i, f.ID, f.Name, f.Language, u.RequestURI(), w.ID, w.Name, w.Language, w.Path)
		}
	}
}
