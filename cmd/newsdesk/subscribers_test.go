package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSubscribersCommand adds, lists, exports, removes and erases
// subscribers through the command line on a config's NATS store.
func TestSubscribersCommand(t *testing.T) {
	c := newCronSetup(t, "127.0.0.1:2525")
	ctx := t.Context()
	sub := func(args ...string) (int, string, string) {
		return runCmd(ctx, append(append([]string{"subscribers"}, args...), "--config", c.config)...)
	}
	if code, out, errOut := sub("add", "Anna@Example.org", "--lang", "de,en"); code != 0 || !strings.Contains(out, "anna@example.org: confirmed (de,en)") {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	sub("add", "bob@example.org", "--lang", "en")
	for _, bad := range [][]string{{"add", "not-an-address", "--lang", "de"}, {"add", "c@example.org", "--lang", "fr"}, {"add", "c@example.org"}} {
		if code, _, errOut := sub(bad...); code == 0 {
			t.Errorf("%v: accepted (%s)", bad, errOut)
		}
	}
	code, out, _ := sub("list")
	if code != 0 || !strings.Contains(out, "EMAIL") || !strings.Contains(out, "anna@example.org  confirmed") || !strings.Contains(out, "2 subscribers: 2 confirmed") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	if _, out, _ := sub("list", "--status", "pending"); !strings.Contains(out, "0 subscribers") {
		t.Errorf("list --status pending:\n%s", out)
	}
	_, out, _ = sub("list", "--json")
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil || first["email"] != "anna@example.org" {
		t.Errorf("list --json: %v\n%s", err, out)
	}
	if strings.Contains(out, "secret") {
		t.Errorf("list --json shows the links' secrets:\n%s", out)
	}

	file := filepath.Join(t.TempDir(), "subs.csv")
	if code, _, errOut := sub("export", "--out", file); code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v, mode %v", err, fi.Mode())
	}
	raw, _ := os.ReadFile(file)
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "email" || rows[1][0] != "anna@example.org" || rows[1][3] != "operator" {
		t.Fatalf("CSV export: %v\n%s", err, raw)
	}
	if _, err := time.Parse(time.RFC3339, rows[1][8]); err != nil {
		t.Errorf("confirmed_at %q: %v", rows[1][8], err)
	}
	_, out, _ = sub("export", "--format", "json")
	var all []map[string]any
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 2 {
		t.Fatalf("JSON export: %v\n%s", err, out)
	}

	// Remove unsubscribes and keeps the proof; adding back is refused;
	// erase forgets the address, after which it can be added again.
	if code, out, _ := sub("remove", "anna@example.org"); code != 0 || !strings.Contains(out, "unsubscribed") {
		t.Fatalf("remove: %d %s", code, out)
	}
	if code, _, errOut := sub("add", "anna@example.org", "--lang", "de"); code != 1 || !strings.Contains(errOut, "only the reader can subscribe it again") {
		t.Errorf("re-adding an unsubscribed address: %d %s", code, errOut)
	}
	if code, out, _ := sub("remove", "anna@example.org", "--erase"); code != 0 || !strings.Contains(out, "erased") {
		t.Fatalf("erase: %d %s", code, out)
	}
	if code, _, errOut := sub("remove", "anna@example.org"); code != 1 || !strings.Contains(errOut, "no such subscriber") {
		t.Errorf("removing an erased address: %d %s", code, errOut)
	}
	if code, _, _ := sub("add", "anna@example.org", "--lang", "de"); code != 0 {
		t.Errorf("adding an erased address: %d", code)
	}
	if code, _, errOut := sub("frobnicate"); code != 2 || !strings.Contains(errOut, "want list, add, remove or export") {
		t.Errorf("unknown subcommand: %d %s", code, errOut)
	}
}

// TestSubscribersCSVIsNoFormula: fields from strangers (user agents,
// bounce texts) cannot become spreadsheet formulas.
func TestSubscribersCSVIsNoFormula(t *testing.T) {
	var b bytes.Buffer
	rows := []subscriberExport{{Email: "a@example.org", Status: "bounced", BounceReason: "=HYPERLINK(\"http://evil\")"}}
	rows[0].Consent.UserAgent = "+cmd|' /C calc'!A0"
	if err := writeSubscribersCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range recs[1] {
		if f != "" && strings.ContainsRune("=+-@", rune(f[0])) {
			t.Errorf("field %q starts a formula", f)
		}
	}
}
