package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Embed returns one vector per input from POST /v1/embeddings with
// Config.EmbeddingModel. It returns ErrNoEmbeddings (wrapping the server's
// *APIError where there is one) when no embedding model is configured or the
// server has no embeddings endpoint (404, 405, 501).
func (c *OpenAI) Embed(ctx context.Context, inputs []string) ([][]float32, error) {
	if c.cfg.EmbeddingModel == "" {
		return nil, ErrNoEmbeddings
	}
	if len(inputs) == 0 {
		return nil, nil
	}
	out := make([][]float32, 0, len(inputs))
	for start := 0; start < len(inputs); start += c.cfg.EmbedBatch {
		batch := inputs[start:min(start+c.cfg.EmbedBatch, len(inputs))]
		vs, err := c.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (c *OpenAI) embedBatch(ctx context.Context, inputs []string) ([][]float32, error) {
	var res embeddingResponse
	err := c.withRetries(ctx, "embed", func(actx context.Context) error {
		res = embeddingResponse{}
		return c.call(actx, http.MethodPost, "embeddings", "embed", embeddingRequest{Model: c.cfg.EmbeddingModel, Input: inputs}, &res)
	})
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == 404 || ae.Status == 405 || ae.Status == 501) {
		return nil, fmt.Errorf("%w: %w", ErrNoEmbeddings, err)
	}
	if err != nil {
		return nil, fmt.Errorf("llm embed: %w", err)
	}
	if len(res.Data) != len(inputs) {
		return nil, fmt.Errorf("%w: %d embeddings for %d inputs", ErrBadResponse, len(res.Data), len(inputs))
	}
	out := make([][]float32, len(inputs))
	dims := len(res.Data[0].Embedding)
	for _, d := range res.Data {
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil || len(d.Embedding) == 0 || len(d.Embedding) != dims {
			return nil, fmt.Errorf("%w: bad embedding at index %d", ErrBadResponse, d.Index)
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// Ping checks that the server answers GET /v1/models and, unless
// check_model is false, that it lists Model (and EmbeddingModel when set).
// Call it at startup to fail fast on a wrong base URL, key or model name.
func (c *OpenAI) Ping(ctx context.Context) error {
	var ids []string
	err := c.withRetries(ctx, "ping", func(actx context.Context) error {
		var list modelList
		if err := c.call(actx, http.MethodGet, "models", "ping", nil, &list); err != nil {
			return err
		}
		ids = ids[:0]
		for _, m := range list.Data {
			ids = append(ids, m.ID)
		}
		return nil
	})
	var ae *APIError
	if !c.cfg.checkModel() && errors.As(err, &ae) && ae.Status == 404 {
		return nil // reachable; some proxies have no model list
	}
	if err != nil {
		if errors.As(err, &ae) && ae.Status == 404 && !strings.HasSuffix(strings.TrimRight(c.cfg.BaseURL, "/"), "/v1") {
			// The most common misconfiguration: Ollama's and vLLM's API
			// lives under /v1.
			return fmt.Errorf("llm ping %s: %w (summarize.llm.base_url usually ends in /v1, e.g. http://HOST:11434/v1 for Ollama)", c.cfg.BaseURL, err)
		}
		return fmt.Errorf("llm ping %s: %w", c.cfg.BaseURL, err)
	}
	if !c.cfg.checkModel() {
		return nil
	}
	for _, want := range []string{c.cfg.Model, c.cfg.EmbeddingModel} {
		if want != "" && !hasModel(ids, want) {
			return fmt.Errorf("llm ping %s: model %q not served (server lists: %s)",
				c.cfg.BaseURL, want, strings.Join(first(ids, 20), ", "))
		}
	}
	return nil
}

// hasModel matches exactly, and also Ollama's implicit ":latest" tag.
func hasModel(ids []string, want string) bool {
	return slices.Contains(ids, want) ||
		(!strings.Contains(want, ":") && slices.Contains(ids, want+":latest"))
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
