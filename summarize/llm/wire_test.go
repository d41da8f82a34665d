package llm_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/llm"
	"github.com/newsdesk/newsdesk/summarize/llm/llmtest"
)

// TestPurposeHeader: every request names its purpose, so the llmtest test
// double (and a server's logs) can tell calls apart without reading
// prompts.
func TestPurposeHeader(t *testing.T) {
	if llm.PurposeHeader != llmtest.PurposeHeader {
		t.Fatalf("client sends %q, the double reads %q", llm.PurposeHeader, llmtest.PurposeHeader)
	}
	srv := llmtest.New(t, nil, llmtest.WithModels(llmtest.DefaultModel, "emb"))
	c, _ := newClient(t, srv, func(c *llm.Config) { c.EmbeddingModel = "emb" })
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(ctx, userRequest("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(ctx, llm.Request{Messages: []llm.Message{{Role: "user", Content: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Warmup(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Embed(ctx, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	want := []llmtest.Call{
		{Method: "GET", Path: "/v1/models", Purpose: "ping"},
		{Method: "POST", Path: "/v1/chat/completions", Purpose: "brief"},
		{Method: "POST", Path: "/v1/chat/completions", Purpose: "unspecified"},
		{Method: "POST", Path: "/v1/chat/completions", Purpose: "warmup"},
		{Method: "POST", Path: "/v1/embeddings", Purpose: "embed"},
	}
	if got := srv.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls\n%+v\nwant\n%+v", got, want)
	}
	if got := srv.Requests()[0].Purpose; got != "brief" {
		t.Errorf("ChatRequest.Purpose = %q", got)
	}
}

// TestWireVariants covers answers in the forms servers differ in: error
// bodies, event streams with CRLF or multi-line data, error events, and a
// stream request answered whole.
func TestWireVariants(t *testing.T) {
	okChunk := `{"choices":[{"index":0,"delta":{"content":"Hallo"},"finish_reason":"stop"}]}`
	tests := []struct {
		name    string
		stream  bool
		reply   llmtest.Reply
		want    string
		wantErr error
		wantMsg string // for *APIError
	}{
		{name: "error as a string", reply: llmtest.Reply{Status: 400, ErrorBody: `{"error":"model 'x' not found"}`},
			wantMsg: "model 'x' not found"},
		{name: "error body not JSON", reply: llmtest.Reply{Status: 502, ErrorBody: "<html>Bad Gateway</html>"},
			wantMsg: "<html>Bad Gateway</html>"},
		{name: "empty error body", reply: llmtest.Reply{Status: 400, ErrorBody: " "}, wantMsg: "Bad Request"},
		{name: "error object in a 200 answer", reply: llmtest.Reply{RawBody: `{"error":{"message":"overloaded"}}`},
			wantErr: llm.ErrBadResponse},
		{name: "CRLF line ends", stream: true, reply: llmtest.Reply{RawBody: "data: " + okChunk + "\r\n\r\ndata: [DONE]\r\n\r\n"},
			want: "Hallo"},
		{name: "data split over lines", stream: true,
			reply: llmtest.Reply{RawBody: "data: {\"choices\":[{\"index\":0,\n" + `data: "delta":{"content":"Hallo"},"finish_reason":"stop"}]}` + "\n\n"},
			want:  "Hallo"},
		{name: "comments and unknown fields between events", stream: true,
			reply: llmtest.Reply{RawBody: ": ping\nid: 7\nretry: 100\n\ndata:" + okChunk + "\n\n"},
			want:  "Hallo"},
		{name: "last event without blank line", stream: true, reply: llmtest.Reply{RawBody: "data: " + okChunk},
			want: "Hallo"},
		{name: "error event", stream: true, reply: llmtest.Reply{RawBody: "event: error\ndata: upstream closed\n\n"},
			wantErr: llm.ErrBadResponse},
		{name: "stream answered whole", stream: true, reply: llmtest.Reply{Content: "Hallo", IgnoreStream: true},
			want: "Hallo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.New(t, llmtest.Always(tt.reply))
			c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = tt.stream; c.MaxRetries = -1 })
			resp, err := c.Complete(context.Background(), userRequest("x"))
			var ae *llm.APIError
			switch {
			case tt.wantMsg != "":
				if !errors.As(err, &ae) || ae.Message != tt.wantMsg {
					t.Fatalf("err = %v, want *APIError with message %q", err, tt.wantMsg)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			default:
				if err != nil || resp.Content != tt.want {
					t.Fatalf("got %q, %v; want %q", resp.Content, err, tt.want)
				}
			}
		})
	}
}

// TestAnswerHeaders: the client asks for JSON or an event stream and
// names itself.
func TestAnswerHeaders(t *testing.T) {
	srv := llmtest.New(t, nil)
	for _, stream := range []bool{false, true} {
		c, _ := newClient(t, srv, func(c *llm.Config) { c.Stream = stream })
		if _, err := c.Complete(context.Background(), userRequest("x")); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{"application/json", "text/event-stream"} {
		h := srv.Requests()[i].Header
		if h.Get("Accept") != want || h.Get("Content-Type") != "application/json" || h.Get("User-Agent") == "" {
			t.Errorf("request %d headers: %v", i, h)
		}
		if h.Get("Authorization") != "" {
			t.Errorf("request %d sends a key though none is set", i)
		}
	}
}
