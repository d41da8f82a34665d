package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/ingest"
)

// Limits for reading a FILE|URL argument of the one-shot commands.
const (
	defaultSourceMaxBytes = 10 << 20
	defaultSourceTimeout  = 30 * time.Second
)

// source is a page or feed read from a file or URL.
type source struct {
	data        []byte
	contentType string
	url         *url.URL // nil for files without a URL hint
}

// readSource is deliberately simpler than ingest's fetcher (no robots.txt,
// per-host limits or SSRF guard): it serves one URL the user typed.
//
// readSource loads a local file (gzip is undone for *.gz) or fetches an
// http(s) URL, capped at maxBytes. Files get a file:// URL so relative links
// still resolve to something.
func readSource(ctx context.Context, arg string, maxBytes int64) (*source, error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		return fetchSource(ctx, arg, maxBytes)
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(arg, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arg, err)
		}
		defer zr.Close()
		r = zr
	}
	data, err := readCapped(r, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	abs, _ := filepath.Abs(arg)
	return &source{data: data, url: &url.URL{Scheme: "file", Path: abs}}, nil
}

func fetchSource(ctx context.Context, raw string, maxBytes int64) (*source, error) {
	ctx, cancel := context.WithTimeout(ctx, defaultSourceTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", ingest.DefaultUserAgent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", raw, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: HTTP %s", raw, resp.Status)
	}
	data, err := readCapped(resp.Body, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", raw, err)
	}
	return &source{data: data, contentType: resp.Header.Get("Content-Type"), url: resp.Request.URL}, nil
}

func readCapped(r io.Reader, maxBytes int64) ([]byte, error) {
	var b bytes.Buffer
	n, err := io.Copy(&b, io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if n > maxBytes {
		return nil, fmt.Errorf("larger than %d bytes", maxBytes)
	}
	return b.Bytes(), nil
}
