package sample

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzServe throws arbitrary paths and Host headers at the handler: it
// must answer with one of its documented statuses, never panic, and never
// echo a Host it did not accept or leak a placeholder.
func FuzzServe(f *testing.F) {
	for _, seed := range []struct{ path, host string }{
		{"/feeds/techblatt.xml", "127.0.0.1:8080"},
		{"/articles/spreewacht/deepseek-v5-neues-modell.html", "[::1]:80"},
		{"/articles/meridian/nvidia-third-quarter-china.html", "demo.example"},
		{"/images/chips.svg", "x"},
		{"/../site/outlets.yaml", "a"},
		{"/feeds/kernelpost.json", `e"><script>`},
		{"/%2e%2e/", "h\x00"},
	} {
		f.Add(seed.path, seed.host)
	}
	h := Handler()
	f.Fuzz(func(t *testing.T, path, host string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = path
		req.Host = host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			body := rec.Body.Bytes()
			if bytes.Contains(body, []byte(basePlaceholder)) {
				t.Fatalf("%q on %q: placeholder leaked", path, host)
			}
			if _, err := baseURL(req); err != nil {
				t.Fatalf("%q on %q: served 200 for a refused host", path, host)
			}
		case http.StatusBadRequest:
			if _, err := baseURL(req); err == nil {
				t.Fatalf("%q on %q: 400 for an acceptable host", path, host)
			}
		case http.StatusNotFound:
		default:
			t.Fatalf("%q on %q: status %d", path, host, rec.Code)
		}
	})
}

// FuzzBaseURL checks that whatever Host arrives, an accepted base URL is
// made only of characters that are inert in HTML, XML and JSON.
func FuzzBaseURL(f *testing.F) {
	for _, h := range []string{"127.0.0.1:1", "[::1]:8080", "a.b-c", "<x>", "a&b", `"`, "ä", ""} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, host string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		base, err := baseURL(req)
		if err != nil {
			return
		}
		for _, ch := range []byte(base[len("http://"):]) {
			if ch == '<' || ch == '>' || ch == '&' || ch == '"' || ch == '\'' || ch == '\\' || ch == '/' || ch < 0x21 || ch > 0x7e {
				t.Fatalf("base %q carries %q", base, ch)
			}
		}
	})
}
