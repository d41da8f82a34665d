package llm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// BenchmarkComplete measures the client's own cost per call (HTTP, JSON or
// SSE decoding, reasoning strip, metrics) against the llmtest double, which
// answers at once. Real calls are bound by the model: seconds per call.
func BenchmarkComplete(b *testing.B) {
	article := strings.Repeat("Die USA verschärfen die Exportkontrollen für KI-Chips nach China. ", 60)
	answer := strings.Repeat("Washington schränkt den Export von Hochleistungschips weiter ein. ", 8)
	for _, stream := range []bool{false, true} {
		name := "json"
		if stream {
			name = "stream"
		}
		b.Run(name, func(b *testing.B) {
			srv := llmtest.New(b, llmtest.Always(llmtest.Think(answer)))
			c, err := llm.New(llm.Config{BaseURL: srv.URL, Model: llmtest.DefaultModel, Stream: stream, MaxConcurrency: 4}, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			req := llm.Request{Messages: []llm.Message{{Role: "user", Content: article}}, MaxTokens: 300, Purpose: "bench"}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Complete(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			u := srv.Usage()
			b.ReportMetric(float64(u.CompletionTokens)/float64(u.Calls), "completion-tokens/call")
		})
	}
}

func BenchmarkStripThinking(b *testing.B) {
	s := "<think>" + strings.Repeat("Überlegung zu den Quellen. ", 200) + "</think>\n\n" + strings.Repeat("Antwort. ", 50)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		llm.StripThinking(s)
	}
}
