package llmtest

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// These tests check the double's wire format with plain net/http, without
// the llm client, so the double cannot drift into a protocol only our own
// client understands.

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

const chatBody = `{"model":"m","messages":[{"role":"system","content":"sys"},{"role":"user","content":[{"type":"text","text":"Hallo "},{"type":"text","text":"Welt"}]}],"max_tokens":50%s}`

func TestNonStreamingWire(t *testing.T) {
	s := New(t, Always(ThinkField("Antwort", "reasoning_content")))
	resp := post(t, s.URL+"/chat/completions", strings.Replace(chatBody, "%s", `,"response_format":{"type":"json_object"}`, 1))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got struct {
		Object  string `json:"object"`
		Model   string `json:"model"`
		Choices []struct {
			Message struct {
				Role             string `json:"role"`
				Content          string `json:"content"`
				ReasoningContent string `json:"reasoning_content"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			PromptTokens            int `json:"prompt_tokens"`
			CompletionTokens        int `json:"completion_tokens"`
			TotalTokens             int `json:"total_tokens"`
			CompletionTokensDetails struct {
				ReasoningTokens int `json:"reasoning_tokens"`
			} `json:"completion_tokens_details"`
		} `json:"usage"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	c := got.Choices[0]
	if got.Object != "chat.completion" || got.Model != "m" || c.Message.Role != "assistant" ||
		c.Message.Content != "Antwort" || c.Message.ReasoningContent == "" || c.FinishReason != "stop" {
		t.Errorf("answer %+v", got)
	}
	wantPrompt := 17 // "sys" 1, "Hallo Welt" 3, two messages 5 each, the reply 3
	reasoning := Tokens(c.Message.ReasoningContent)
	if got.Usage.PromptTokens != wantPrompt || got.Usage.CompletionTokens != Tokens("Antwort")+reasoning ||
		got.Usage.TotalTokens != got.Usage.PromptTokens+got.Usage.CompletionTokens ||
		got.Usage.CompletionTokensDetails.ReasoningTokens != reasoning {
		t.Errorf("usage %+v, want prompt %d", got.Usage, wantPrompt)
	}
	req := s.Requests()[0]
	if req.Messages[1].Content != "Hallo Welt" || req.MaxTokens != 50 || !req.JSON || req.Stream {
		t.Errorf("recorded request %+v", req)
	}
	if u := s.Usage(); u.Calls != 1 || u.PromptTokens != wantPrompt {
		t.Errorf("Usage() = %+v", u)
	}
}

// sseEvents reads an SSE body into its data payloads and comment count.
func sseEvents(t *testing.T, r io.Reader) (data []string, comments int) {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		case line != "":
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	return data, comments
}

func TestStreamingWire(t *testing.T) {
	for _, includeUsage := range []bool{false, true} {
		s := New(t, Always(Reply{Content: "Eins zwei drei vier fünf", Reasoning: "hm", ReasoningField: "reasoning"}))
		opts := `,"stream":true`
		if includeUsage {
			opts += `,"stream_options":{"include_usage":true}`
		}
		resp := post(t, s.URL+"/chat/completions", strings.Replace(chatBody, "%s", opts, 1))
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Fatalf("content type %q", ct)
		}
		data, comments := sseEvents(t, resp.Body)
		if comments == 0 {
			t.Error("no keep-alive comment")
		}
		if data[len(data)-1] != "[DONE]" {
			t.Fatalf("last event %q, want [DONE]", data[len(data)-1])
		}
		var content, reasoning strings.Builder
		var finish string
		var usageChunks int
		for _, d := range data[:len(data)-1] {
			var ch struct {
				Object  string `json:"object"`
				Choices []struct {
					Delta        map[string]string `json:"delta"`
					FinishReason *string           `json:"finish_reason"`
				} `json:"choices"`
				Usage *struct {
					PromptTokens int `json:"prompt_tokens"`
				} `json:"usage"`
			}
			if err := json.Unmarshal([]byte(d), &ch); err != nil {
				t.Fatalf("chunk %q: %v", d, err)
			}
			if ch.Object != "chat.completion.chunk" {
				t.Errorf("object %q", ch.Object)
			}
			if ch.Usage != nil {
				usageChunks++
				if len(ch.Choices) != 0 {
					t.Error("usage chunk has choices")
				}
				continue
			}
			for _, c := range ch.Choices {
				content.WriteString(c.Delta["content"])
				reasoning.WriteString(c.Delta["reasoning"])
				if c.FinishReason != nil {
					finish = *c.FinishReason
				}
			}
		}
		if content.String() != "Eins zwei drei vier fünf" || reasoning.String() != "hm" || finish != "stop" {
			t.Errorf("content %q reasoning %q finish %q", content.String(), reasoning.String(), finish)
		}
		if want := map[bool]int{false: 0, true: 1}[includeUsage]; usageChunks != want {
			t.Errorf("include_usage %v: %d usage chunks", includeUsage, usageChunks)
		}
	}
}

func TestErrorsWire(t *testing.T) {
	tests := []struct {
		name, body string
		reply      Reply
		status     int
		retryAfter string
	}{
		{"rate limited", strings.Replace(chatBody, "%s", "", 1), RateLimited("3"), 429, "3"},
		{"server error", strings.Replace(chatBody, "%s", "", 1), ServerError(), 500, ""},
		{"bad request reply", strings.Replace(chatBody, "%s", "", 1), BadRequest("nope"), 400, ""},
		{"not JSON", "{", OK("x"), 400, ""},
		{"no model", `{"messages":[{"role":"user","content":"x"}]}`, OK("x"), 400, ""},
		{"no messages", `{"model":"m","messages":[]}`, OK("x"), 400, ""},
		{"bad content", `{"model":"m","messages":[{"role":"user","content":5}]}`, OK("x"), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t, Always(tt.reply))
			resp := post(t, s.URL+"/chat/completions", tt.body)
			if resp.StatusCode != tt.status || resp.Header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("status %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			var e struct {
				Error struct {
					Message string `json:"message"`
					Type    string `json:"type"`
				} `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error.Message == "" || e.Error.Type == "" {
				t.Errorf("error body: %+v, %v", e, err)
			}
		})
	}
	s := New(t, nil)
	if resp := post(t, s.URL+"/completions", "{}"); resp.StatusCode != 404 {
		t.Errorf("unknown route: %d", resp.StatusCode)
	}
}

func TestSequenceConcurrent(t *testing.T) {
	h := Sequence(OK("a"), OK("b"), OK("c"))
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			r := h(ChatRequest{})
			mu.Lock()
			seen[r.Content]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if seen["a"] != 1 || seen["b"] != 1 || seen["c"] != 8 {
		t.Errorf("Sequence handed out %v", seen)
	}
}

func TestEmbeddingsWire(t *testing.T) {
	s := New(t, nil)
	resp := post(t, s.URL+"/embeddings", `{"model":"e","input":["China baut neue Chipfabriken in Shanghai","China baut neue Chipfabriken bei Shanghai"]}`)
	var got struct {
		Data []struct {
			Index     int       `json:"index"`
			Embedding []float64 `json:"embedding"`
		} `json:"data"`
		Usage struct {
			PromptTokens int `json:"prompt_tokens"`
		} `json:"usage"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data) != 2 || got.Data[1].Index != 1 || got.Usage.PromptTokens == 0 {
		t.Fatalf("answer %+v", got)
	}
	var dot, norm float64
	for i, x := range got.Data[0].Embedding {
		dot += x * got.Data[1].Embedding[i]
		norm += x * x
	}
	if math.Abs(norm-1) > 1e-5 || dot < 0.8 {
		t.Errorf("norm %.4f, cosine of near-duplicates %.3f", norm, dot)
	}
	if resp := post(t, s.URL+"/embeddings", `{"model":"e","input":5}`); resp.StatusCode != 400 {
		t.Errorf("bad input: %d", resp.StatusCode)
	}
	off := New(t, nil, WithoutEmbeddings())
	if resp := post(t, off.URL+"/embeddings", `{"model":"e","input":"x"}`); resp.StatusCode != 404 {
		t.Errorf("WithoutEmbeddings: %d", resp.StatusCode)
	}
}

func TestEmbeddingDeterministic(t *testing.T) {
	a, b := Embedding("Huawei Ascend Chips", 64), Embedding("Huawei Ascend Chips", 64)
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same text, different vectors")
		}
	}
	if z := Embedding("", 64); len(z) != 64 || z[0] != 0 {
		t.Errorf("empty text: %v", z[:4])
	}
}

func FuzzDecodeChatRequest(f *testing.F) {
	for _, s := range []string{strings.Replace(chatBody, "%s", "", 1), "{", `{"model":1}`, `{"model":"m","messages":[{"content":null}]}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/v1/chat/completions", strings.NewReader(body))
		req, err := decodeChatRequest(r)
		if err == nil && (req.Model == "" || len(req.Messages) == 0) {
			t.Fatalf("accepted %q without model or messages", body)
		}
	})
}
