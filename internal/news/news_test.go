package news

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestArticleID(t *testing.T) {
	a, b := ArticleID("https://example.org/a"), ArticleID("https://example.org/b")
	if a == b || a != ArticleID("https://example.org/a") {
		t.Fatal("ArticleID is not a stable, distinct hash")
	}
	if !strings.HasPrefix(a, "a-") || len(a) != 34 {
		t.Errorf("ArticleID %q: want a- and 32 hex digits", a)
	}
}

func TestValidate(t *testing.T) {
	good := Digest{Schema: DigestSchema, ID: DigestID("daily", "2026-11-29", "de", "p1"), Edition: "daily", Date: "2026-11-29", Language: "de",
		Stories: []Story{{ID: "s1", Headline: "h", Summary: "s", Sources: []Source{{URL: "https://x"}}}}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.Schema = "newsdesk.digest/v0"
	bad.Stories = []Story{{ID: "s1"}}
	err := bad.Validate()
	if err == nil || !strings.Contains(err.Error(), "schema") || !strings.Contains(err.Error(), "no sources") {
		t.Errorf("Validate = %v, want schema and sources errors", err)
	}
	art := Article{Schema: ArticleSchema, ID: "a-1", URL: "https://x", Language: "en"}
	if err := art.Validate(); err != nil {
		t.Fatal(err)
	}
	art.URL = ""
	if err := art.Validate(); err == nil {
		t.Error("article without URL validated")
	}
}

// TestDigestJSON pins the wire names programs depend on (docs/nats.md).
func TestDigestJSON(t *testing.T) {
	d := Digest{Schema: DigestSchema, ID: "digest:daily:2026-11-29:en:p1", Edition: "daily", Date: "2026-11-29", Language: "en",
		Title: "T", Overview: "O", Stories: []Story{{ID: "s", Headline: "H", Summary: "S [1]", Sources: []Source{{Outlet: "X", Title: "t", URL: "https://x", Language: "en"}}}}}
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"schema":"newsdesk.digest/v1"`, `"title":"T"`, `"overview":"O"`, `"stories":[`, `"headline":"H"`, `"summary":"S [1]"`,
		`"sources":[{"outlet":"X","title":"t","url":"https://x","language":"en"}]`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s: %s", key, data)
		}
	}
}

func TestDigestSlots(t *testing.T) {
	tests := []struct {
		slot, want string
	}{
		{"", "digest:daily:2026-11-29:en:p1"},
		{"07:00", "digest:daily:2026-11-29T0700:en:p1"},
		{"19:00", "digest:daily:2026-11-29T1900:en:p1"},
	}
	for _, tt := range tests {
		if got := DigestSlotID("daily", "2026-11-29", tt.slot, "en", "p1"); got != tt.want {
			t.Errorf("DigestSlotID(slot %q) = %q, want %q", tt.slot, got, tt.want)
		}
	}
	d := Digest{Schema: DigestSchema, ID: DigestSlotID("daily", "2026-11-29", "19:00", "en", "p1"), Edition: "daily", Date: "2026-11-29", Language: "en", Slot: "19:00"}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := d.MsgID(); got != "digest:daily:2026-11-29T1900:en:p1#r1" {
		t.Errorf("MsgID of an unnumbered digest = %q", got)
	}
	d.Revision = 3
	if got := d.MsgID(); got != "digest:daily:2026-11-29T1900:en:p1#r3" {
		t.Errorf("MsgID of revision 3 = %q", got)
	}
	for _, bad := range []string{"7:00", "24:00", "../x", "19:00\n"} {
		d.Slot = bad
		if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "slot") {
			t.Errorf("slot %q validated: %v", bad, err)
		}
	}
}
