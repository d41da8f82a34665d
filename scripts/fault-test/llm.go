package main

import (
	"sync/atomic"
	"time"

	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/newsdesk/newsdesk/summarize/summarizetest"
)

// LLM modes the faults switch between.
const (
	llmUp int32 = iota
	llmSlow
	llmDown
)

// llmDouble is the LLM TEST DOUBLE (summarize/llm/llmtest, the only test
// double newsdesk allows: no model can run here). It speaks the real
// OpenAI-compatible wire protocol and answers with summarizetest's good
// editor answers; the faults make it slow or unavailable.
type llmDouble struct {
	*llmtest.Server
	mode  atomic.Int32
	delay time.Duration
}

func startLLM(slowDelay time.Duration) *llmDouble {
	d := &llmDouble{delay: slowDelay}
	editor := summarizetest.Editor(summarizetest.WithStandIns())
	d.Server = llmtest.Start(func(req llmtest.ChatRequest) llmtest.Reply {
		switch d.mode.Load() {
		case llmDown:
			return llmtest.Overloaded("2")
		case llmSlow:
			r := editor(req)
			r.Delay = d.delay
			return r
		}
		return editor(req)
	})
	return d
}
