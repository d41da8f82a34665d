package llm_test

import (
	"context"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// TestServerQuirks covers answers real servers send that are valid but
// unusual. Each is a verbatim body served by the llmtest double.
func TestServerQuirks(t *testing.T) {
	chunk := func(id, delta, finish string) string {
		f := "null"
		if finish != "" {
			f = `"` + finish + `"`
		}
		return `data: {"id":"` + id + `","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":` + delta + `,"finish_reason":` + f + "}]}\n\n"
	}
	tests := []struct {
		name       string
		stream     bool
		body       string
		want       string
		wantPrompt int
	}{
		{"chunk ids change", true,
			chunk("a", `{"role":"assistant","content":"Hal"}`, "") + chunk("b", `{"content":"lo"}`, "stop") +
				`data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}` + "\n\ndata: [DONE]\n\n",
			"Hallo", 3},
		{"usage on the finish chunk", true,
			chunk("a", `{"content":"Hallo"}`, "") +
				`data: {"id":"a","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}` + "\n\ndata: [DONE]\n\n",
			"Hallo", 4},
		{"no usage at all", true, chunk("a", `{"content":"Hallo"}`, "stop") + "data: [DONE]\n\n", "Hallo", 0},
		{"no [DONE] after finish", true, chunk("a", `{"content":"Hallo"}`, "stop"), "Hallo", 0},
		{"reasoning deltas with null content", true,
			chunk("a", `{"content":null,"reasoning_content":"denke"}`, "") + chunk("a", `{"content":"Hallo"}`, "stop") + "data: [DONE]\n\n",
			"Hallo", 0},
		{"blank lines before the JSON (DeepSeek keep-alive)", false,
			"\n\n\n" + `{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hallo"},"finish_reason":"stop"}],"usage":{"prompt_tokens":2,"completion_tokens":1,"total_tokens":3}}`,
			"Hallo", 2},
		{"content as null with reasoning field", false,
			`{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hallo","reasoning":null},"finish_reason":"stop"}]}`,
			"Hallo", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Always(llmtest.Reply{RawBody: tt.body}))
			c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = tt.stream })
			resp, err := c.Complete(context.Background(), userRequest("x"))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Content != tt.want || resp.Usage.PromptTokens != tt.wantPrompt {
				t.Errorf("got %q with %d prompt tokens, want %q / %d", resp.Content, resp.Usage.PromptTokens, tt.want, tt.wantPrompt)
			}
		})
	}
}
