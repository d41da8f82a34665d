package config

import (
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
