package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"go.yaml.in/yaml/v3"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/ingest/opml"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

const subsOPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Abos</title></head><body>
<outline text="Deutsch">
  <outline text="heise online" type="rss" xmlUrl="https://www.heise.de/rss/heise-atom.xml"/>
  <outline text="Süddeutsche Zeitung" type="rss" xmlUrl="https://rss.sueddeutsche.de/rss/Topthemen"/>
</outline>
<outline text="Tech"><outline text="The Register" type="rss" xmlUrl="https://www.theregister.com/headlines.atom" category="/en"/></outline>
<outline text="" type="rss" xmlUrl="https://www.example.org/feed.xml"/>
<outline text="heise online" type="rss" xmlUrl="https://www.heise.de/rss/heise-atom.xml"/>
</body></opml>`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFeedsImportPrints(t *testing.T) {
	path := writeFile(t, t.TempDir(), "subs.opml", subsOPML)
	code, out, errOut := runCLI(t, "feeds", "import", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Ingest struct {
			Feeds []map[string]string `yaml:"feeds"`
		} `yaml:"ingest"`
	}
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := doc.Ingest.Feeds
	if len(got) != 4 {
		t.Fatalf("%d feeds, want 4 (the repeated URL once):\n%s", len(got), out)
	}
	want := []map[string]string{
		{"id": "heise-online", "name": "heise online", "url": "https://www.heise.de/rss/heise-atom.xml", "language": "de"},
		{"id": "sueddeutsche-zeitung", "name": "Süddeutsche Zeitung", "url": "https://rss.sueddeutsche.de/rss/Topthemen", "language": "de"},
		{"id": "the-register", "name": "The Register", "url": "https://www.theregister.com/headlines.atom", "language": "en"},
		{"id": "example-org", "url": "https://www.example.org/feed.xml"},
	}
	for i := range want {
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Errorf("feed %d %s = %q, want %q", i, k, got[i][k], v)
			}
		}
	}
}

// TestFeedsImportInto merges an OPML file into the bundled default config:
// only the new feeds' lines are added, everything else stays byte for
// byte, the result passes check, and a second import adds nothing.
func TestFeedsImportInto(t *testing.T) {
	dir := t.TempDir()
	orig, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfgText := strings.Replace(string(orig), "topic: topics/", "topic: "+mustAbs(t, "../../configs/topics")+"/", 1)
	cfgPath := writeFile(t, dir, "newsdesk.yaml", cfgText)
	opmlPath := writeFile(t, dir, "subs.opml", subsOPML)
	code, _, errOut := runCLI(t, "feeds", "import", "--into", cfgPath, opmlPath)
	if code != 0 || !strings.Contains(errOut, "added 2 feeds, skipped 3") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	after, _ := os.ReadFile(cfgPath)
	if bak, _ := os.ReadFile(cfgPath + ".bak"); string(bak) != cfgText {
		t.Error("backup differs from the original")
	}
	var added []string
	oldLines := strings.Split(cfgText, "\n")
	i := 0
	for _, l := range strings.Split(string(after), "\n") {
		if i < len(oldLines) && l == oldLines[i] {
			i++
			continue
		}
		added = append(added, l)
	}
	if i != len(oldLines) || len(added) != 2 || !strings.HasPrefix(added[0], "    - {id: sueddeutsche-zeitung, ") {
		t.Errorf("the file changed beyond two added feed lines: %q", added)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	last := cfg.Ingest.Feeds[len(cfg.Ingest.Feeds)-1]
	if last.ID != "example-org" || last.URL != "https://www.example.org/feed.xml" {
		t.Errorf("last feed %+v", last)
	}
	code, _, errOut = runCLI(t, "feeds", "import", "--into", cfgPath, opmlPath)
	if code != 0 || !strings.Contains(errOut, "nothing to add") {
		t.Errorf("second import: exit %d: %s", code, errOut)
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestInsertFeeds(t *testing.T) {
	items := []string{`{id: a, url: "https://a.example/f"}`}
	tests := []struct{ name, in, want string }{
		{"no ingest", "nats:\n  data_dir: d\n", "nats:\n  data_dir: d\ningest:\n  feeds:\n    - {id: a, url: \"https://a.example/f\"}\n"},
		{"ingest without feeds", "ingest:\n    topic: t.yaml # the topic\nx: 1\n", "ingest:\n    feeds:\n      - {id: a, url: \"https://a.example/f\"}\n    topic: t.yaml # the topic\nx: 1\n"},
		{"empty flow list", "ingest:\n  feeds: []  # none yet\n  topic: t\n", "ingest:\n  feeds:\n    - {id: a, url: \"https://a.example/f\"}\n  topic: t\n"},
		{"block mappings, comment after", "ingest:\n  feeds:\n  - id: x\n    url: https://x.example/\n    # more to come\n  topic: t\n",
			"ingest:\n  feeds:\n  - id: x\n    url: https://x.example/\n  - {id: a, url: \"https://a.example/f\"}\n    # more to come\n  topic: t\n"},
	}
	for _, tt := range tests {
		got, err := insertFeeds([]byte(tt.in), items)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: err %v\n got %q\nwant %q", tt.name, err, got, tt.want)
		}
	}
	if _, err := insertFeeds([]byte("ingest:\n  feeds: [{id: x, url: \"https://x/\"}]\n"), items); err == nil {
		t.Error("a one-line list was edited")
	}
}

func TestFeedsExportRoundTrip(t *testing.T) {
	code, out, errOut := runCLI(t, "feeds", "export", "--config", "testdata/good.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	feeds, err := opml.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(feeds) != 1 || feeds[0].XMLURL != "https://example.org/feed.xml" || feeds[0].Language != "en" || feeds[0].Title != "Example" {
		t.Errorf("feeds = %+v", feeds)
	}
}

// TestFeedsStatusTable polls a feed with a real ingest stage on a real
// NATS server, then reads the feed_state bucket through `newsdesk feeds`.
func TestFeedsStatusTable(t *testing.T) {
	feed, err := os.ReadFile("testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = w.Write(feed)
		default:
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	ns, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "c.yaml", `
ingest:
  topic: `+mustAbs(t, "../../configs/topics/china-us-ai.yaml")+`
  allow_private_networks: true
  respect_robots: false
  feeds:
    - {id: testblatt, name: Testblatt, url: "`+srv.URL+`/feed.xml", language: de}
    - {id: broken, url: "`+srv.URL+`/down.xml"}
    - {id: never, url: "`+srv.URL+`/never.xml"}
publish:
  base_url: https://digest.example.org
  email:
    from: "Digest <digest@example.org>"
`)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	cfg.NATS.Defaults()
	b, err := bus.Open(t.Context(), nc, cfg.NATS, slog.New(slog.DiscardHandler), bus.Declare)
	if err != nil {
		t.Fatal(err)
	}
	ic := cfg.Ingest
	ic.Feeds = ic.Feeds[:2]
	st, err := ingest.New(ic, ingest.Deps{Bus: b})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = st.PollOnce(t.Context())

	code, out, errOut := runCLI(t, "feeds", "--config", cfgPath, "--nats", ns.ClientURL())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	row := func(id string) []string {
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 0 && f[0] == id {
				return f
			}
		}
		t.Fatalf("no row for %s:\n%s", id, out)
		return nil
	}
	if r := row("testblatt"); r[1] != "ok" || r[4] != "200" || r[5] != "2" || r[6] != "0" {
		t.Errorf("testblatt row %q\n%s", r, out)
	}
	if r := row("broken"); r[1] != "failing" || r[4] != "503" || r[6] != "1" || !strings.Contains(out, "HTTP 503") {
		t.Errorf("broken row %q\n%s", r, out)
	}
	if r := row("never"); r[1] != "new" {
		t.Errorf("never row %q", r)
	}
	if !strings.Contains(out, "3 feeds, 1 failing") {
		t.Errorf("no summary line:\n%s", out)
	}
	code, out, _ = runCLI(t, "feeds", "--config", cfgPath, "--nats", ns.ClientURL(), "--json")
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, `"last_status":200`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}
