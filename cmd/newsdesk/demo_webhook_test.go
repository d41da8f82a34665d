package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/newsdesk/newsdesk/publish"
)

// TestDemoWebhook: `demo --webhook URL --webhook-secret S` POSTs each
// digest once, signed so that the Standard Webhooks reference library
// verifies it with S.
func TestDemoWebhook(t *testing.T) {
	const secret = "demo-secret"
	wh, err := standardwebhooks.NewWebhookRaw([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		got []publish.WebhookPayload
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := wh.Verify(body, r.Header); err != nil {
			t.Errorf("webhook does not verify: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var p publish.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	digests, err := runDemo(t.Context(), demoOptions{out: t.TempDir(), webhook: srv.URL, webhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(digests) || len(got) != 2 {
		t.Fatalf("webhook got %d POSTs for %d digests, want one each", len(got), len(digests))
	}
	langs := map[string]bool{}
	for _, p := range got {
		if p.Data.Digest == nil || len(p.Data.Digest.Stories) == 0 || !strings.HasPrefix(p.Data.ArchiveURL, "https://digest.newsdesk.example/archive/") {
			t.Errorf("payload %+v", p.Data)
		}
		langs[p.Data.Language] = true
	}
	if !langs["de"] || !langs["en"] {
		t.Errorf("languages posted: %v", langs)
	}
}

func TestDemoWebhookFlagsGoTogether(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"demo", "--out", t.TempDir(), "--webhook", "http://127.0.0.1:1/"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "--webhook and --webhook-secret go together") {
		t.Errorf("stderr: %s", stderr.String())
	}
}
