package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/llm"
)

// maxRequestBody caps what the double reads from a request.
const maxRequestBody = 8 << 20

func (s *Server) serveChat(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	req, err := decodeChatRequest(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", err.Error())
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()

	rep := s.handler(req)
	if s.enforce && req.MaxTokens > 0 {
		rep = limitReply(rep, req.MaxTokens)
	}
	if rep.Hang {
		s.wait(r, -1)
		return
	}
	if rep.Delay > 0 && !s.wait(r, rep.Delay) {
		return
	}
	for k, vs := range rep.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if rep.RetryAfter != "" {
		w.Header().Set("Retry-After", rep.RetryAfter)
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		body := rep.ErrorBody
		if body == "" {
			body = errorBody(errorType(rep.Status), http.StatusText(rep.Status))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.Status)
		io.WriteString(w, body)
		return
	}
	if req.Stream && !rep.IgnoreStream {
		s.stream(w, r, req, rep)
		return
	}
	if rep.RawBody != "" {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, rep.RawBody)
		return
	}

	msg := map[string]any{"role": "assistant", "content": content(rep)}
	if rep.ReasoningField != "" && rep.Reasoning != "" {
		msg[rep.ReasoningField] = rep.Reasoning
	}
	resp := map[string]any{
		"id":      "chatcmpl-llmtest",
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       msg,
			"finish_reason": finishReason(rep),
			"logprobs":      nil,
		}},
	}
	if !rep.NoUsage {
		u := s.usageFor(req, rep)
		resp["usage"] = usageJSON(u)
		s.addUsage(u)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// stream writes the answer as server-sent events, the way OpenAI-compatible
// servers do: a role chunk, content (and reasoning) deltas, a chunk with the
// finish reason, a usage chunk with empty choices when asked for, [DONE].
func (s *Server) stream(w http.ResponseWriter, r *http.Request, req ChatRequest, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	flush := func() {
		if fl != nil {
			fl.Flush()
		}
	}
	if rep.RawBody != "" {
		io.WriteString(w, rep.RawBody)
		flush()
		return
	}
	created := time.Now().Unix()
	send := func(delta map[string]any, finish any, usage any) bool {
		choices := []any{}
		if delta != nil {
			choices = append(choices, map[string]any{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": nil})
		}
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "created": created,
			"model": req.Model, "choices": choices, "usage": usage,
		})
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		flush()
		return true
	}

	// A keep-alive before the first token, as DeepSeek sends while queued.
	io.WriteString(w, ": keep-alive\n\n")
	flush()
	if !send(map[string]any{"role": "assistant", "content": ""}, nil, nil) {
		return
	}
	sent := 0
	pace := func() bool {
		sent++
		if rep.StallAfterChunks > 0 && sent > rep.StallAfterChunks {
			s.keepAliveUntilGone(w, r, flush)
			return false
		}
		return rep.ChunkDelay <= 0 || s.wait(r, rep.ChunkDelay)
	}
	size := rep.ChunkRunes
	if size <= 0 {
		size = 8
	}
	if rep.Reasoning != "" && rep.ReasoningField != "" {
		for _, piece := range split(rep.Reasoning, size) {
			if !pace() || !send(map[string]any{rep.ReasoningField: piece}, nil, nil) {
				return
			}
		}
	}
	for _, piece := range split(content(rep), size) {
		if !pace() || !send(map[string]any{"content": piece}, nil, nil) {
			return
		}
	}
	if rep.StallAfterChunks > 0 {
		// Fewer chunks than the stall point: stall before finishing.
		s.keepAliveUntilGone(w, r, flush)
		return
	}
	if !send(map[string]any{}, finishReason(rep), nil) {
		return
	}
	if req.IncludeUsage && !rep.NoUsage {
		u := s.usageFor(req, rep)
		if !send(nil, nil, usageJSON(u)) {
			return
		}
		s.addUsage(u)
	}
	io.WriteString(w, "data: [DONE]\n\n")
	flush()
}

func (s *Server) keepAliveUntilGone(w http.ResponseWriter, r *http.Request, flush func()) {
	t := time.NewTicker(s.keepAlive)
	defer t.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-t.C:
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flush()
		}
	}
}

// wait sleeps d (forever when d < 0) and reports whether the client is
// still there afterwards.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	var after <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		after = t.C
	}
	select {
	case <-after:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

func (s *Server) usageFor(req ChatRequest, rep Reply) news.Usage {
	u := news.Usage{
		PromptTokens:     rep.PromptTokens,
		CompletionTokens: rep.CompletionTokens,
		ReasoningTokens:  rep.ReasoningTokens,
		Calls:            1,
	}
	if u.PromptTokens == 0 {
		contents := make([]string, len(req.Messages))
		for i, m := range req.Messages {
			contents[i] = m.Content
		}
		u.PromptTokens = PromptTokens(contents...)
	}
	if u.ReasoningTokens == 0 {
		u.ReasoningTokens = Tokens(rep.Reasoning)
	}
	if u.CompletionTokens == 0 {
		u.CompletionTokens = Tokens(rep.Content) + u.ReasoningTokens
	}
	return u
}

func (s *Server) addUsage(u news.Usage) {
	s.mu.Lock()
	s.usage = s.usage.Add(u)
	s.mu.Unlock()
}

func usageJSON(u news.Usage) map[string]any {
	return map[string]any{
		"prompt_tokens":             u.PromptTokens,
		"completion_tokens":         u.CompletionTokens,
		"total_tokens":              u.PromptTokens + u.CompletionTokens,
		"completion_tokens_details": map[string]any{"reasoning_tokens": u.ReasoningTokens},
	}
}

// content is the message content of a reply: inline reasoning goes first
// inside <think> tags when no separate field is used.
func content(rep Reply) string {
	if rep.Reasoning != "" && rep.ReasoningField == "" {
		return "<think>" + rep.Reasoning + "</think>\n\n" + rep.Content
	}
	return rep.Content
}

func finishReason(rep Reply) string {
	if rep.FinishReason == "" {
		return "stop"
	}
	return rep.FinishReason
}

// limitReply cuts a reply to maxTokens the way a server does: generation
// stops mid-text, reasoning first.
func limitReply(rep Reply, maxTokens int) Reply {
	if rep.Status != 0 && rep.Status != http.StatusOK || rep.RawBody != "" {
		return rep
	}
	cut := func(s string, n int) (string, bool) {
		if Tokens(s) <= n {
			return s, false
		}
		return Prefix(s, n), true
	}
	var cutR, cutC bool
	if rep.ReasoningField != "" {
		rep.Reasoning, cutR = cut(rep.Reasoning, maxTokens)
		rep.Content, cutC = cut(rep.Content, maxTokens-Tokens(rep.Reasoning))
	} else {
		rep.Content, cutC = cut(content(rep), maxTokens)
		rep.Reasoning = ""
	}
	if cutR || cutC {
		rep.FinishReason = "length"
		rep.CompletionTokens = 0 // re-count what is sent
		rep.ReasoningTokens = 0
	}
	return rep
}

// split cuts s into pieces of at most n runes.
func split(s string, n int) []string {
	var out []string
	rs := []rune(s)
	for len(rs) > 0 {
		k := min(n, len(rs))
		out = append(out, string(rs[:k]))
		rs = rs[k:]
	}
	return out
}

func decodeChatRequest(r *http.Request) (ChatRequest, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		return ChatRequest{}, fmt.Errorf("read body: %w", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return ChatRequest{}, fmt.Errorf("body is not a JSON object: %w", err)
	}
	var typed struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		MaxTokens     int      `json:"max_tokens"`
		Temperature   *float64 `json:"temperature"`
		Stream        bool     `json:"stream"`
		StreamOptions struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
		ResponseFormat struct {
			Type string `json:"type"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(body, &typed); err != nil {
		return ChatRequest{}, fmt.Errorf("decode body: %w", err)
	}
	if typed.Model == "" {
		return ChatRequest{}, fmt.Errorf("you must provide a model parameter")
	}
	if len(typed.Messages) == 0 {
		return ChatRequest{}, fmt.Errorf("messages must not be empty")
	}
	req := ChatRequest{
		Model:        typed.Model,
		MaxTokens:    typed.MaxTokens,
		Temperature:  typed.Temperature,
		Stream:       typed.Stream,
		IncludeUsage: typed.StreamOptions.IncludeUsage,
		JSON:         typed.ResponseFormat.Type == "json_object",
		Purpose:      r.Header.Get(PurposeHeader),
		Header:       r.Header.Clone(),
		Received:     time.Now(),
		Raw:          raw,
	}
	for i, m := range typed.Messages {
		text, err := messageText(m.Content)
		if err != nil {
			return ChatRequest{}, fmt.Errorf("messages[%d].content: %w", i, err)
		}
		req.Messages = append(req.Messages, llm.Message{Role: m.Role, Content: text})
	}
	return req, nil
}

// messageText accepts a content string or an array of text parts.
func messageText(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", fmt.Errorf("neither a string nor text parts")
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String(), nil
}

func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_exceeded"
	case status == http.StatusUnauthorized:
		return "invalid_api_key"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

func errorBody(typ, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": msg, "type": typ, "param": nil, "code": typ,
	}})
	return string(b)
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	if typ == "" {
		typ = errorType(status)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, errorBody(typ, msg))
}
