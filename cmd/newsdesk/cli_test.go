package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErr    []string // substrings of stderr
		notWantOut []string
	}{
		{name: "help", args: []string{"--help"}, wantOut: []string{"demo", "extract", "feed", "summarize", "check", "run"}},
		{name: "no args", args: nil, wantCode: 2, wantErr: []string{"Commands:"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2, wantErr: []string{`unknown command "frobnicate"`}},
		{name: "subcommand help", args: []string{"extract", "--help"}, wantOut: []string{"usage: newsdesk extract", "--json"}},
		{name: "check good", args: []string{"check", "--config", "testdata/good.yaml"}, wantOut: []string{"ok", "feeds: 1", "llm: none"}},
		{name: "check bundled default", args: []string{"check", "--config", "../../configs/default.yaml"}, wantOut: []string{"ok"}},
		{name: "check unknown key", args: []string{"check", "--config", "testdata/bad-unknown-key.yaml"}, wantCode: 1, wantErr: []string{"ingest.pol_interval: unknown key; did you mean poll_interval? (line 7)"}},
		{name: "check bad values", args: []string{"check", "--config", "testdata/bad-values.yaml"}, wantCode: 1, wantErr: []string{"replicas", "Bad ID"}},
		{name: "check missing file", args: []string{"check", "--config", "testdata/nope.yaml"}, wantCode: 1, wantErr: []string{"nope.yaml"}},
		{name: "extract text", args: []string{"extract", "testdata/article.html"},
			wantOut:    []string{"neue Exportkontrollen für KI-Chips", "\n\nNach Angaben des Handelsministeriums", "Chinesische Anbieter reagierten gelassen"},
			notWantOut: []string{"Cookies", "Lesen Sie auch", "Impressum", "Neue Chipregeln treffen Rechenzentren"}},
		{name: "extract missing", args: []string{"extract", "testdata/nope.html"}, wantCode: 1, wantErr: []string{"nope.html"}},
		{name: "extract no article", args: []string{"extract", "testdata/notafeed.xml"}, wantCode: 1, wantErr: []string{"no article"}},
		{name: "extract usage", args: []string{"extract"}, wantCode: 2, wantErr: []string{"usage: newsdesk extract"}},
		{name: "feed parse not a feed", args: []string{"feed", "parse", "testdata/notafeed.xml"}, wantCode: 1, wantErr: []string{"notafeed.xml"}},
		{name: "feed usage", args: []string{"feed"}, wantCode: 2},
		{name: "summarize file", args: []string{"summarize", "--lang", "en", "testdata/article.txt"}, wantOut: []string{"export controls"}, notWantOut: []string{"Chip export rules hit data centres\n"}},
		{name: "summarize bad lang", args: []string{"summarize", "--lang", "fr", "testdata/article.txt"}, wantCode: 2},
		{name: "stage without nats", args: []string{"ingest", "--config", "testdata/good.yaml"}, wantCode: 2, wantErr: []string{"external NATS"}},
		{name: "demo without out", args: []string{"demo"}, wantCode: 2, wantErr: []string{"--out"}},
		// Flags before and after the arguments; "--" ends them; bad and
		// missing flags are usage errors (exit 2) naming the flag.
		{name: "extract FILE --json", args: []string{"extract", "testdata/article.html", "--json"}, wantOut: []string{`"canonical_url": "https://testblatt.example/artikel/chipregeln"`}},
		{name: "extract FILE --max-bytes N --json", args: []string{"extract", "testdata/article.html", "--max-bytes", "100000", "--json"}, wantOut: []string{`"canonical_url"`}},
		{name: "feed parse FILE --max-bytes", args: []string{"feed", "parse", "testdata/feed.xml", "--max-bytes=100000"}, wantOut: []string{`"guid":"tb-1"`}},
		{name: "summarize FILE --lang", args: []string{"summarize", "testdata/article.txt", "--lang", "en"}, wantOut: []string{"export controls"}},
		{name: "check FILE is not a flag", args: []string{"check", "testdata/good.yaml"}, wantCode: 2, wantErr: []string{"unexpected arguments [testdata/good.yaml]"}},
		{name: "-- ends the flags", args: []string{"extract", "--", "--json"}, wantCode: 1, wantErr: []string{"--json"}},
		{name: "unknown flag after the argument", args: []string{"extract", "testdata/article.html", "--jsn"}, wantCode: 2, wantErr: []string{"flag provided but not defined: -jsn"}},
		{name: "flag without its value", args: []string{"feed", "parse", "testdata/feed.xml", "--max-bytes"}, wantCode: 2, wantErr: []string{"flag needs an argument: -max-bytes"}},
		{name: "required flag missing", args: []string{"demo"}, wantCode: 2, wantErr: []string{"--out is required"}},
		{name: "required flag missing after arguments", args: []string{"verify", "summary.txt", "--lang", "en"}, wantCode: 2, wantErr: []string{"--source is required"}},
		{name: "stage without --nats", args: []string{"publish", "--config", "testdata/good.yaml"}, wantCode: 2, wantErr: []string{"external NATS"}},
		{name: "summarize stage with --lang", args: []string{"summarize", "--lang", "en", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: []string{"--lang is for summarizing FILEs"}},
		{name: "summarize files with --nats", args: []string{"summarize", "testdata/article.txt", "--lang", "en", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: []string{"--nats runs the summarize stage"}},
		{name: "--once only where summarize runs", args: []string{"ingest", "--once", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: []string{"flag provided but not defined: -once"}},
		{name: "feeds subcommand after a flag", args: []string{"feeds", "--config", "testdata/good.yaml", "export"}, wantCode: 2, wantErr: []string{"export comes first"}},
		{name: "misspelt command", args: []string{"chek"}, wantCode: 2, wantErr: []string{`unknown command "chek"; did you mean check?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NATS_URL", "")
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errOut)
			}
			for _, s := range tt.wantOut {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.notWantOut {
				if strings.Contains(out, s) {
					t.Errorf("stdout has %q:\n%s", s, out)
				}
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if known := len(tt.args) > 0 && slices.ContainsFunc(commands(), func(c command) bool { return c.name == tt.args[0] }); known && tt.wantCode == 2 && !strings.Contains(errOut, "--help' for every flag") {
				t.Errorf("a usage error does not point at --help:\n%s", errOut)
			}
		})
	}
}

// TestCheckBundledConfigs runs newsdesk check on every file in configs/,
// from another working directory, as an operator would.
func TestCheckBundledConfigs(t *testing.T) {
	files, err := filepath.Glob("../../configs/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("configs: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, out, errOut := runCLI(t, "check", "--config", f)
			if code != 0 || !strings.Contains(out, ": ok") {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			abs, _ := filepath.Abs("../../configs/data/nats")
			if !strings.Contains(out, "store "+abs) {
				t.Errorf("the store is not next to the config file (%s):\n%s", abs, out)
			}
		})
	}
}

func TestCheckMissingTopic(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "newsdesk.yaml")
	good, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(good), "../../../configs/topics/china-us-ai.yaml", "topics/nope.yaml", 1)
	if err := os.WriteFile(cfg, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "check", "--config", cfg)
	want := "ingest.topic: topic: open " + filepath.Join(dir, "topics/nope.yaml") + ": no such file or directory"
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, want 1 and %q in:\n%s", code, want, errOut)
	}
}

func TestExtractJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "extract", "--json", "testdata/article.html")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Title, Text, Language string
		CanonicalURL          string `json:"canonical_url"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !strings.HasPrefix(res.Language, "de") || res.CanonicalURL != "https://testblatt.example/artikel/chipregeln" || !strings.Contains(res.Title, "Chipregeln") {
		t.Errorf("metadata %+v", res)
	}
}

func TestFeedParse(t *testing.T) {
	code, out, errOut := runCLI(t, "feed", "parse", "testdata/feed.xml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var items []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		items = append(items, m)
	}
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	for _, k := range []string{"title", "link", "guid", "published", "language"} {
		if _, ok := items[0][k]; !ok {
			t.Errorf("item lacks %q: %v", k, items[0])
		}
	}
	if items[0]["guid"] != "tb-1" || items[0]["language"] != "de" {
		t.Errorf("first item %v", items[0])
	}
	if items[1]["id"] != "https://testblatt.example/artikel/zwei" {
		t.Errorf("an item without a guid is identified by its link, got id %v", items[1]["id"])
	}
}
