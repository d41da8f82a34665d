package llm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
	"github.com/prometheus/client_golang/prometheus"
)

// newClient builds a client against the llmtest double (a test double of
// an OpenAI-compatible server; see package llmtest) with fast retries.
func newClient(t *testing.T, srv *llmtest.Server, mutate func(*llm.Config)) (*llm.OpenAI, *prometheus.Registry) {
	t.Helper()
	cfg := llm.Config{
		BaseURL:        srv.URL,
		Model:          llmtest.DefaultModel,
		Timeout:        10 * time.Second,
		RetryBaseDelay: time.Millisecond,
		MaxRetryDelay:  5 * time.Second,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	reg := prometheus.NewRegistry()
	c, err := llm.New(cfg, nil, reg)
	if err != nil {
		t.Fatalf("llm.New: %v", err)
	}
	return c, reg
}

func userRequest(text string) llm.Request {
	return llm.Request{
		Messages:  []llm.Message{{Role: "system", Content: "Fasse zusammen."}, {Role: "user", Content: text}},
		MaxTokens: 200,
		Purpose:   "brief",
	}
}

func TestCompleteAnswers(t *testing.T) {
	tests := []struct {
		name          string
		reply         llmtest.Reply
		wantContent   string
		wantReasoning string
		wantErr       error
	}{
		{"plain", llmtest.OK("  Peking und Washington ringen um KI-Chips. \n"), "Peking und Washington ringen um KI-Chips.", "", nil},
		{"inline think", llmtest.Think("Die Antwort."), "Die Antwort.", "Let me think about the sources first.", nil},
		{"reasoning_content field", llmtest.ThinkField("Antwort A", "reasoning_content"), "Antwort A", "Let me think about the sources first.", nil},
		{"reasoning field", llmtest.ThinkField("Antwort B", "reasoning"), "Antwort B", "Let me think about the sources first.", nil},
		{"closing tag only", llmtest.OK("Erst denken.\n</think>\n\nDas Ergebnis."), "Das Ergebnis.", "Erst denken.", nil},
		{"two think blocks", llmtest.OK("<think>a</think>zwischen<think>b</think> Ende"), "Ende", "", nil},
		{"unclosed think", llmtest.ThinkUnclosed(), "", "", llm.ErrTruncated},
		{"reasoning ate the budget", llmtest.Truncated(), "", "", llm.ErrTruncated},
		{"blank content", llmtest.Empty(), "", "", llm.ErrEmpty},
		{"only think, stop", llmtest.OK("<think>nur Gedanken</think>"), "", "", llm.ErrEmpty},
	}
	for _, stream := range []bool{false, true} {
		for _, tt := range tests {
			name := tt.name
			if stream {
				name += "/stream"
			}
			t.Run(name, func(t *testing.T) {
				srv := llmtest.New(t, llmtest.Always(tt.reply))
				c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = stream })
				resp, err := c.Complete(context.Background(), userRequest("Ein Artikel über Exportkontrollen."))
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if resp.Content != tt.wantContent {
					t.Errorf("Content = %q, want %q", resp.Content, tt.wantContent)
				}
				if strings.Contains(resp.Content, "think>") {
					t.Errorf("reasoning tag leaked into content: %q", resp.Content)
				}
				if tt.wantReasoning != "" && resp.Reasoning != tt.wantReasoning {
					t.Errorf("Reasoning = %q, want %q", resp.Reasoning, tt.wantReasoning)
				}
				if got := len(srv.Requests()); got != 1 {
					t.Errorf("server saw %d requests, want 1 (answers like this are not retried in-process)", got)
				}
				if tt.wantErr == nil && resp.Usage != srv.Usage() {
					t.Errorf("Usage = %+v, server reported %+v", resp.Usage, srv.Usage())
				}
			})
		}
	}
}

func TestCompleteRequestShape(t *testing.T) {
	srv := llmtest.New(t, llmtest.Always(llmtest.OK(`{"ok":true}`)))
	for _, stream := range []bool{false, true} {
		c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = stream; c.Temperature = 0.2 })
		req := userRequest("Text")
		req.JSON = true
		if _, err := c.Complete(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d requests", len(reqs))
	}
	for i, r := range reqs {
		if r.Model != llmtest.DefaultModel || r.MaxTokens != 200 || !r.JSON {
			t.Errorf("request %d: model %q max_tokens %d json %v", i, r.Model, r.MaxTokens, r.JSON)
		}
		if _, ok := r.Raw["max_completion_tokens"]; ok {
			t.Errorf("request %d sends max_completion_tokens; servers read max_tokens", i)
		}
		if r.Temperature == nil || *r.Temperature != 0.2 {
			t.Errorf("request %d temperature = %v, want 0.2", i, r.Temperature)
		}
		if len(r.Messages) != 2 || r.Messages[0].Role != "system" || r.Messages[1].Content != "Text" {
			t.Errorf("request %d messages = %+v", i, r.Messages)
		}
	}
	if reqs[0].Stream || !reqs[1].Stream || !reqs[1].IncludeUsage {
		t.Errorf("stream flags: first %v, second %v include_usage %v", reqs[0].Stream, reqs[1].Stream, reqs[1].IncludeUsage)
	}
}

func TestJSONModeNone(t *testing.T) {
	srv := llmtest.New(t, nil)
	c, _ := newClient(t, srv, func(c *llm.Config) { c.JSONMode = llm.JSONModeNone })
	req := userRequest("Text")
	req.JSON = true
	if _, err := c.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if r := srv.Requests()[0]; r.JSON || r.Raw["response_format"] != nil {
		t.Errorf("json_mode none still sent response_format: %v", r.Raw["response_format"])
	}
}

func TestThinkingFields(t *testing.T) {
	tests := []struct {
		setting string
		key     string
		want    any // nil: key must be absent
	}{
		{llm.ThinkingOffOllama, "reasoning_effort", "none"},
		{llm.ThinkingOffLlamaCpp, "reasoning_effort", "none"},
		{llm.ThinkingOffVLLM, "chat_template_kwargs", map[string]any{"enable_thinking": false}},
		{llm.ThinkingOffDeepSeek, "thinking", map[string]any{"type": "disabled"}},
		{llm.ThinkingOffDashScope, "enable_thinking", false},
	}
	others := []string{"reasoning_effort", "chat_template_kwargs", "thinking", "enable_thinking"}
	for _, stream := range []bool{false, true} {
		for _, tt := range append(tests, struct {
			setting string
			key     string
			want    any
		}{llm.ThinkingNone, "", nil}, struct {
			setting string
			key     string
			want    any
		}{llm.ThinkingAuto, "", nil}) {
			t.Run(tt.setting, func(t *testing.T) {
				srv := llmtest.New(t, nil)
				c, _ := newClient(t, srv, func(c *llm.Config) { c.Thinking = tt.setting; c.Stream = stream })
				if _, err := c.Complete(context.Background(), userRequest("x")); err != nil {
					t.Fatal(err)
				}
				raw := srv.Requests()[0].Raw
				for _, k := range others {
					got, ok := raw[k]
					switch {
					case k == tt.key && !equalJSON(got, tt.want):
						t.Errorf("%s = %#v, want %#v", k, got, tt.want)
					case k != tt.key && ok:
						t.Errorf("unexpected field %s = %#v", k, got)
					}
				}
			})
		}
	}
}

func equalJSON(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		if len(am) != len(bm) {
			return false
		}
		for k, v := range am {
			if bm[k] != v {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestPromptChecks(t *testing.T) {
	long := strings.Repeat("Exportkontrollen für Hochleistungschips. ", 100) // ~1000 estimated tokens

	t.Run("too long is not sent", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		c, _ := newClient(t, srv, func(c *llm.Config) { c.ContextTokens = 1000 })
		_, err := c.Complete(context.Background(), userRequest(long))
		if !errors.Is(err, llm.ErrPromptTooLong) {
			t.Fatalf("err = %v, want ErrPromptTooLong", err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("server saw %d requests, want 0", n)
		}
		if ok, _ := llm.Retryable(err); ok {
			t.Error("ErrPromptTooLong reported retryable")
		}
	})
	t.Run("server truncated silently", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Always(llmtest.Reply{Content: "Zusammenfassung", PromptTokens: 120}))
		c, _ := newClient(t, srv, nil)
		resp, err := c.Complete(context.Background(), userRequest(long))
		if !errors.Is(err, llm.ErrPromptTruncated) {
			t.Fatalf("err = %v, want ErrPromptTruncated", err)
		}
		if resp.Usage.PromptTokens != 120 {
			t.Errorf("usage not returned with the error: %+v", resp.Usage)
		}
	})
	t.Run("full count passes", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		c, _ := newClient(t, srv, nil)
		if _, err := c.Complete(context.Background(), userRequest(long)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("short prompts are not checked", func(t *testing.T) {
		srv := llmtest.New(t, llmtest.Always(llmtest.Reply{Content: "ok", PromptTokens: 1}))
		c, _ := newClient(t, srv, nil)
		if _, err := c.Complete(context.Background(), userRequest("kurz")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRequestValidation(t *testing.T) {
	srv := llmtest.New(t, nil)
	c, _ := newClient(t, srv, nil)
	for name, req := range map[string]llm.Request{
		"no messages":        {MaxTokens: 10},
		"negative maxtokens": {Messages: []llm.Message{{Role: "user", Content: "x"}}, MaxTokens: -1},
	} {
		if _, err := c.Complete(context.Background(), req); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("invalid requests reached the server: %d", n)
	}
}

// TestThinkingEatsBudget uses the double's max_tokens enforcement: a
// thinking model whose reasoning outruns max_tokens leaves no answer.
func TestThinkingEatsBudget(t *testing.T) {
	thoughts := strings.Repeat("Ich wäge die Quellen gegeneinander ab. ", 40) // ~400 tokens
	tests := []struct {
		name      string
		reply     llmtest.Reply
		maxTokens int
		want      string
		wantErr   error
	}{
		{"inline, budget too small", llmtest.Reply{Content: "Antwort", Reasoning: thoughts}, 100, "", llm.ErrTruncated},
		{"field, budget too small", llmtest.Reply{Content: "Antwort", Reasoning: thoughts, ReasoningField: "reasoning_content"}, 100, "", llm.ErrTruncated},
		{"inline, budget enough", llmtest.Reply{Content: "Antwort", Reasoning: thoughts}, 1000, "Antwort", nil},
		// The double cuts at its own token count: the answer is what it sent.
		{"answer itself cut", llmtest.OK(strings.Repeat("Satz. ", 100)), 20, strings.TrimSpace(llmtest.Prefix(strings.Repeat("Satz. ", 100), 20)), nil},
	}
	for _, stream := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srv := llmtest.New(t, llmtest.Always(tt.reply), llmtest.WithMaxTokens())
				c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = stream })
				req := userRequest("x")
				req.MaxTokens = tt.maxTokens
				resp, err := c.Complete(context.Background(), req)
				if !errors.Is(err, tt.wantErr) || resp.Content != tt.want {
					t.Fatalf("got %q, %v; want %q, %v", resp.Content, err, tt.want, tt.wantErr)
				}
				if tt.wantErr == nil && tt.maxTokens == 20 && resp.FinishReason != "length" {
					t.Errorf("finish_reason %q, want length", resp.FinishReason)
				}
				if resp.Usage.CompletionTokens > tt.maxTokens {
					t.Errorf("completion tokens %d exceed max_tokens %d", resp.Usage.CompletionTokens, tt.maxTokens)
				}
			})
		}
	}
}
