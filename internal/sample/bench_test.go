package sample

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkServe measures one request for a page (rendered per request,
// since URLs follow the Host) and for a feed.
func BenchmarkServe(b *testing.B) {
	h := Handler()
	for _, p := range []string{Articles()[0].Path, "/articles/spreewacht/deepseek-v5-neues-modell.html", Feeds()[0].Path} {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p, nil)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
