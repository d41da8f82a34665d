package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/clip"
)

// PurposeHeader carries the purpose of every request: Request.Purpose for
// chat calls ("brief", "story", "overview", "warmup", …), "ping" for the
// model list and "embed" for embeddings. Server logs and proxies can tell
// newsdesk's calls apart by it without reading prompts, and so does the
// llmtest test double.
const PurposeHeader = "X-Newsdesk-Purpose"

// userAgent names newsdesk to the server.
const userAgent = "newsdesk"

// maxErrorBody caps what is read of a non-2xx answer.
const maxErrorBody = 64 << 10

// send makes one request to the API at path (relative to BaseURL) with
// body encoded as JSON (nil: no body). A 2xx response is returned open for
// the caller to read; any other status is read, closed and returned as
// *APIError. accept is the media type asked for.
func (c *OpenAI) send(ctx context.Context, method, path, purpose, accept string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("llm: encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/"+path, rd)
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set(PurposeHeader, purpose)
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		return nil, apiError(resp, time.Now())
	}
	return resp, nil
}

// call sends a request and decodes a JSON answer into out.
func (c *OpenAI) call(ctx context.Context, method, path, purpose string, body, out any) error {
	resp, err := c.send(ctx, method, path, purpose, "application/json", body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return c.decode(resp.Body, out)
}

// decode reads a whole JSON answer of at most Config.MaxResponseBytes: a
// hostile or broken server must not make the client read without end. A
// body that fails to arrive is a connection error (the caller classifies
// it); one that arrives and is not the JSON expected is ErrBadResponse.
func (c *OpenAI) decode(r io.Reader, out any) error {
	b, err := io.ReadAll(io.LimitReader(r, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > c.cfg.MaxResponseBytes {
		return fmt.Errorf("%w: answer body exceeds %d bytes", ErrBadResponse, c.cfg.MaxResponseBytes)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: %w (body starts %q)", ErrBadResponse, err, clip.Runes(string(b), 120))
	}
	return nil
}

// apiError reads a non-2xx answer: the message of an OpenAI error body,
// else the start of the body, else the status text; and the server's
// Retry-After.
func apiError(resp *http.Response, now time.Time) *APIError {
	ae := &APIError{Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header, now)}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var eb errorBody
	if json.Unmarshal(b, &eb) == nil {
		ae.Message = errorMessage(eb.Error)
	}
	if ae.Message == "" {
		ae.Message = strings.TrimSpace(string(b))
	}
	if ae.Message == "" {
		ae.Message = http.StatusText(resp.StatusCode)
	}
	ae.Message = clip.Runes(ae.Message, 300)
	return ae
}
