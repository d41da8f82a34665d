package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const minimal = `
ingest:
  topic: topics/x.yaml
  feeds:
    - {id: a, name: A, url: "https://example.org/feed.xml"}
publish:
  base_url: https://digest.example.org
  email: {from: "D <d@example.org>"}
`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr []string
	}{
		{name: "minimal", yaml: minimal},
		{name: "unknown top-level key", yaml: minimal + "bogus: 1\n", wantErr: []string{"bogus"}},
		{name: "unknown nested key", yaml: strings.Replace(minimal, "publish:", "publish:\n  listn: :8080", 1), wantErr: []string{"listn"}},
		{name: "bad duration", yaml: minimal + "shutdown_timeout: soon\n", wantErr: []string{"soon"}},
		{name: "two documents", yaml: minimal + "---\nlog: {level: info}\n", wantErr: []string{"more than one"}},
		{name: "bad log level", yaml: minimal + "log: {level: loud}\n", wantErr: []string{"log.level", "loud"}},
		{name: "bad log format", yaml: minimal + "log: {format: xml}\n", wantErr: []string{"log.format"}},
		{name: "all sections validated", yaml: "nats: {replicas: 7}\n", wantErr: []string{"nats.replicas", "ingest.", "publish."}},
		{name: "not yaml", yaml: "\t- [", wantErr: []string{"decode"}},
		{name: "unregistered language", yaml: minimal + "summarize:\n  editions: [{name: daily, languages: [de, en, fr]}]\n",
			wantErr: []string{`summarize.editions[0].languages: language "fr" is not registered (registered: de, en)`}},
		{name: "unregistered site language", yaml: strings.Replace(minimal, "publish:", "publish:\n  site_title: {de: A, fr: B}", 1),
			wantErr: []string{`publish.site_title: language "fr" is not registered (registered: de, en)`}},
		{name: "unregistered glossary language", yaml: minimal + "summarize:\n  glossary: {terms: [{en: tariffs, it: dazi}]}\n",
			wantErr: []string{`summarize.glossary: language "it" is not registered`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "/etc/newsdesk")
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.Ingest.Topic != "/etc/newsdesk/topics/x.yaml" {
					t.Errorf("topic not resolved against the config dir: %q", c.Ingest.Topic)
				}
				if c.ShutdownTimeout != DefaultShutdownTimeout || c.Log.Level != "info" || c.NATS.DataDir == "" {
					t.Errorf("defaults not applied: %+v", c)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestDurationsDecode(t *testing.T) {
	c, err := Parse([]byte(minimal+"shutdown_timeout: 90s\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.ShutdownTimeout != 90*time.Second {
		t.Errorf("shutdown_timeout = %v", c.ShutdownTimeout)
	}
}

func TestKeyErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each a line of the error
	}{
		{name: "typo in a nested key", yaml: minimal + "summarize:\n  llm:\n    modle: qwen3:8b\n",
			want: []string{"summarize.llm.modle: unknown key; did you mean model? (line 11)"}},
		{name: "typo inside a list", yaml: strings.Replace(minimal, `url: "https://example.org/feed.xml"}`, `url: "https://example.org/feed.xml", langauge: de}`, 1),
			want: []string{"ingest.feeds[0].langauge: unknown key; did you mean language? (line 5)"}},
		{name: "fourth list entry", yaml: minimal + "summarize:\n  editions:\n    - {name: a}\n    - {name: b}\n    - {name: c}\n    - {name: d, time_zon: UTC}\n",
			want: []string{"summarize.editions[3].time_zon: unknown key; did you mean time_zone? (line 14)"}},
		{name: "key in the wrong section", yaml: minimal + "summarize:\n  model: qwen3:8b\n",
			want: []string{"summarize.model: unknown key; it belongs under summarize.llm (line 10)"}},
		{name: "nothing close", yaml: minimal + "log:\n  colour: true\n",
			want: []string{"log.colour: unknown key (log has format, level) (line 10)"}},
		{name: "top level", yaml: minimal + "ingset: {}\n",
			want: []string{"ingset: unknown key; did you mean ingest? (line 9)"}},
		{name: "every unknown key at once", yaml: minimal + "log: {levl: info, formt: json}\n",
			want: []string{"log.levl: unknown key; did you mean level?", "log.formt: unknown key; did you mean format?"}},
		{name: "merge keys are walked", yaml: minimal + "x-defaults: &d {poll_intervall: 1h}\n",
			want: []string{"x-defaults: unknown key"}},
		{name: "bad duration", yaml: minimal + "shutdown_timeout: soon\n",
			want: []string{`shutdown_timeout: "soon" is not a duration (write e.g. 90s, 30m or 24h) (line 9)`}},
		{name: "bad duration in a flow list entry", yaml: strings.Replace(minimal, `url: "https://example.org/feed.xml"}`, `url: "https://example.org/feed.xml", poll_interval: "half an hour"}`, 1),
			want: []string{`ingest.feeds[0].poll_interval: "half an hour" is not a duration`}},
		{name: "bad number", yaml: minimal + "summarize:\n  editions: [{name: a, max_stories: lots}]\n",
			want: []string{`summarize.editions[0].max_stories: "lots" is not a whole number (line 10)`}},
		{name: "bad bool", yaml: strings.Replace(minimal, "ingest:\n", "ingest:\n  respect_robots: maybe\n", 1),
			want: []string{`ingest.respect_robots: "maybe" is not true or false`}},
		{name: "a type's own decoder", yaml: minimal + "summarize:\n  glossary:\n    terms:\n      - [a, b]\n",
			want: []string{"summarize.glossary.terms[0]: a glossary term is a map of language codes to words (line 12)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "/etc/newsdesk")
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			for _, w := range tt.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, w)
				}
				if !found {
					t.Errorf("no line starts with %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestFileErrorLayout(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.yaml")
	two := filepath.Join(dir, "two.yaml")
	writeFile(t, one, minimal+"log: {levl: info}\n")
	writeFile(t, two, minimal+"log: {levl: info, formt: json}\n")
	_, err := Load(one)
	if want := "config " + one + ": log.levl: unknown key; did you mean level? (line 9)"; err == nil || err.Error() != want {
		t.Errorf("one problem:\n got %v\nwant %s", err, want)
	}
	_, err = Load(two)
	if want := "config " + two + ":\n  log.levl: unknown key; did you mean level? (line 9)\n  log.formt: unknown key; did you mean format? (line 9)"; err == nil || err.Error() != want {
		t.Errorf("two problems:\n got %v\nwant %s", err, want)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRequired checks the reference's required marks against Validate:
// the minimal config sets exactly the keys marked required without a
// condition, and leaving any one out is an error naming it; a conditional
// one is an error when its condition holds.
func TestRequired(t *testing.T) {
	if _, err := Parse([]byte(minimal), "/etc/newsdesk"); err != nil {
		t.Fatalf("minimal config: %v", err)
	}
	without := map[string]string{
		"ingest.feeds":       strings.Replace(minimal, `    - {id: a, name: A, url: "https://example.org/feed.xml"}`+"\n", "", 1),
		"ingest.feeds[].id":  strings.Replace(minimal, "id: a, ", "", 1),
		"ingest.feeds[].url": strings.Replace(minimal, `, url: "https://example.org/feed.xml"`, "", 1),
		"ingest.topic":       strings.Replace(minimal, "  topic: topics/x.yaml\n", "", 1),
		"publish.base_url":   strings.Replace(minimal, "  base_url: https://digest.example.org\n", "", 1),
		"publish.email.from": strings.Replace(minimal, `  email: {from: "D <d@example.org>"}`+"\n", "", 1),
	}
	conditional := map[string]string{
		"summarize.llm.model":             minimal + "summarize: {llm: {base_url: http://127.0.0.1:11434/v1}}\n",
		"publish.email.smtp_password_env": strings.Replace(minimal, "email: {", "email: {smtp_host: smtp.example.org, smtp_username: nd, ", 1),
		"publish.email.dkim.selector":     strings.Replace(minimal, "email: {", "email: {dkim: {domain: example.org, key_file: k.pem}, ", 1),
		"publish.email.dkim.key_file":     strings.Replace(minimal, "email: {", "email: {dkim: {domain: example.org, selector: s1}, ", 1),
	}
	for key, cond := range Required {
		doc, ok := without[key]
		if strings.HasPrefix(cond, "with ") {
			doc, ok = conditional[key]
		}
		if !ok {
			t.Errorf("%s is marked required (%q) but this test does not leave it out", key, cond)
			continue
		}
		if doc == minimal {
			t.Errorf("%s: the test's document does not differ from the minimal one", key)
		}
		_, err := Parse([]byte(doc), "/etc/newsdesk")
		// The error names the key as Validate spells it: the list index
		// stands where the reference has "[]", and some stages name the
		// last part of the key only under its section.
		name := key[strings.LastIndexAny(key, ".]")+1:]
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: want an error naming %s, got %v", key, name, err)
		}
	}
	for key := range without {
		if _, ok := Required[key]; !ok {
			t.Errorf("%s is left out by the test but not marked required", key)
		}
	}
	ref := Reference()
	for key := range Required {
		if !strings.Contains(ref, "| `"+key+"` | ") {
			t.Errorf("Required names %s, which is not a key", key)
		}
	}
}

// TestEveryPathResolved: every key that names a file or directory is
// resolved against the config file's directory, defaults included.
func TestEveryPathResolved(t *testing.T) {
	var c Config
	paths := c.Paths()
	for _, r := range referenceRows() {
		name := r.key[strings.LastIndexAny(r.key, ".]")+1:]
		if r.typ != "string" {
			continue
		}
		if strings.HasSuffix(name, "_dir") || strings.HasSuffix(name, "_file") || strings.HasSuffix(name, "_path") || name == "topic" {
			if _, ok := paths[r.key]; !ok {
				t.Errorf("%s names a file or directory but is not in Config.Paths, so it would not be resolved against the config file", r.key)
			}
		}
	}
	doc := strings.Replace(minimal, "email: {", "email: {dkim: {domain: example.org, selector: s1, key_file: /abs/dkim.pem}, ", 1) +
		"nats: {creds_file: secrets/nats.creds}\n"
	got, err := Parse([]byte(doc), "/etc/newsdesk")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"nats.data_dir":               "/etc/newsdesk/data/nats", // the default, too
		"nats.creds_file":             "/etc/newsdesk/secrets/nats.creds",
		"ingest.topic":                "/etc/newsdesk/topics/x.yaml",
		"publish.out_dir":             "/etc/newsdesk/out",
		"publish.email.outbox_dir":    "/etc/newsdesk/out/outbox",
		"publish.email.dkim.key_file": "/abs/dkim.pem", // absolute stays
	}
	for key, p := range got.Paths() {
		if *p != want[key] {
			t.Errorf("%s = %q, want %q", key, *p, want[key])
		}
	}
	// Without a directory (a config not read from a file) nothing moves.
	got, err = Parse([]byte(minimal), "")
	if err != nil {
		t.Fatal(err)
	}
	if got.NATS.DataDir != "data/nats" || got.Ingest.Topic != "topics/x.yaml" {
		t.Errorf("resolved without a directory: %q, %q", got.NATS.DataDir, got.Ingest.Topic)
	}
}

// TestBundledConfigs loads every file in configs/ as newsdesk check does.
func TestBundledConfigs(t *testing.T) {
	files, err := filepath.Glob("../../configs/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("configs: %v %v", files, err)
	}
	for _, f := range files {
		c, err := Load(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		abs, _ := filepath.Abs(filepath.Dir(f))
		if !strings.HasPrefix(c.Ingest.Topic, abs) {
			t.Errorf("%s: topic %q not resolved against %s", f, c.Ingest.Topic, abs)
		}
		if _, err := os.Stat(c.Ingest.Topic); err != nil {
			t.Errorf("%s: ingest.topic: %v", f, err)
		}
	}
}
