package main

import (
	"net"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/smtptest"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

func TestDemoLLMExplore(t *testing.T) {
	fake := llmtest.New(t, summarizetest.Editor(summarizetest.WithStandIns()))
	smtpSrv := smtptest.Start(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	site := ln.Addr().String()
	ln.Close()
	data := t.TempDir()
	for i, at := range []time.Time{{}, {}, time.Now().Add(24 * time.Hour)} {
		before := len(fake.Requests())
		digests, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), dataDir: data, siteAddr: site, at: at, smtp: smtpSrv.Addr, llmURL: fake.URL, llmModel: llmtest.DefaultModel})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range digests {
			t.Logf("=== run %d %s %s %s %d stories usage=%+v", i, d.ID, d.Language, d.Generator, len(d.Stories), d.Usage)
		}
		n := map[string]int{}
		for _, r := range fake.Requests()[before:] {
			n[summarizetest.Purpose(r)]++
		}
		t.Logf("calls %v", n)
	}
	t.Logf("mails %d", len(smtpSrv.WaitFor(10, time.Second)))
}
