package llm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/openai/openai-go/v3"
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
	var res *openai.CreateEmbeddingResponse
	err := c.withRetries(ctx, "embed", func(actx context.Context) error {
		var err error
		res, err = c.client.Embeddings.New(actx, openai.EmbeddingNewParams{
			Model: openai.EmbeddingModel(c.cfg.EmbeddingModel),
			Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: inputs},
		})
		return err
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
		if d.Index < 0 || int(d.Index) >= len(out) || out[d.Index] != nil || len(d.Embedding) == 0 || len(d.Embedding) != dims {
			return nil, fmt.Errorf("%w: bad embedding at index %d", ErrBadResponse, d.Index)
		}
		v := make([]float32, len(d.Embedding))
		for i, x := range d.Embedding {
			v[i] = float32(x)
		}
		out[d.Index] = v
	}
	return out, nil
}

// Ping checks that the server answers GET /v1/models and, unless
// check_model is false, that it lists Model (and EmbeddingModel when set).
// Call it at startup to fail fast on a wrong base URL, key or model name.
func (c *OpenAI) Ping(ctx context.Context) error {
	var ids []string
	err := c.withRetries(ctx, "ping", func(actx context.Context) error {
		page, err := c.client.Models.List(actx)
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, m := range page.Data {
			ids = append(ids, m.ID)
		}
		return nil
	})
	var ae *APIError
	if !c.cfg.checkModel() && errors.As(err, &ae) && ae.Status == 404 {
		return nil // reachable; some proxies have no model list
	}
	if err != nil {
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
