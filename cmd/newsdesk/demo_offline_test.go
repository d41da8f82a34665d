package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoOutputOffline: the demo clears the mails an earlier run left in
// its outbox (and nothing else there), and ends by naming the file to
// open, the archive's front page, which links the editions relatively.
func TestDemoOutputOffline(t *testing.T) {
	out := t.TempDir()
	outbox := filepath.Join(out, "outbox")
	if err := os.MkdirAll(outbox, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"20260101T000000Z-0001-old.eml", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(outbox, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCmd(t.Context(), "demo", "--out", out)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(outbox, "20260101T000000Z-0001-old.eml")); !os.IsNotExist(err) {
		t.Error("the earlier run's mail is still in the outbox")
	}
	if _, err := os.Stat(filepath.Join(outbox, "notes.txt")); err != nil {
		t.Errorf("the demo removed a file that is not its mail: %v", err)
	}
	if emls, _ := filepath.Glob(filepath.Join(outbox, "*.eml")); len(emls) != 4 {
		t.Errorf("%d mails in the outbox, want this run's 4", len(emls))
	}
	// The end of the output names the files to open: each language's
	// digest page and the archive's front page.
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	named := map[string]string{} // path under out → the file's text
	for _, line := range lines[max(0, len(lines)-4):] {
		i := strings.Index(line, "file://")
		if i < 0 {
			continue
		}
		u, err := url.Parse(strings.Fields(line[i:])[0])
		if err != nil {
			t.Fatal(err)
		}
		page, err := os.ReadFile(u.Path)
		if err != nil {
			t.Errorf("%q names a file that is not there: %v", line, err)
			continue
		}
		r, _ := filepath.Rel(out, u.Path)
		named[filepath.ToSlash(r)] = string(page)
	}
	day := latestDigest(t, out, "de").Date // the edition's day where it is composed
	for _, want := range []string{"archive/index.html", "archive/de/" + day + "-daily.html", "archive/en/" + day + "-daily.html"} {
		if _, ok := named[want]; !ok {
			t.Errorf("the demo does not end by naming %s to open:\n%s", want, strings.Join(lines[max(0, len(lines)-6):], "\n"))
		}
	}
	for _, want := range []string{`href="de/index.html"`, `href="en/index.html"`, `href="../feeds/de.xml"`} {
		if !strings.Contains(named["archive/index.html"], want) {
			t.Errorf("archive/index.html lacks %s", want)
		}
	}
	if de := named["archive/de/"+day+"-daily.html"]; !strings.Contains(de, `lang="de"`) || !strings.Contains(de, "<article") {
		t.Errorf("the German digest page named is not one:\n%s", de)
	}
}
