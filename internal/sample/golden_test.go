package sample

import (
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins every feed and the first page of two outlets as served
// for the host sample.test, so a template or content change shows up as a
// reviewable diff. Refresh with: go test ./internal/sample -run TestGolden -update
func TestGolden(t *testing.T) {
	h := Handler()
	paths := map[string]string{}
	for _, f := range Feeds() {
		paths["feed-"+filepath.Base(f.Path)] = f.Path
	}
	// Two pages keep the fixtures small: the Latin-1 outlet and the one
	// whose article body carries the most furniture.
	for _, a := range Articles() {
		name := "page-" + a.Outlet + ".html"
		if _, ok := paths[name]; !ok && (a.Outlet == "spreewacht" || a.Outlet == "meridian") {
			paths[name] = a.Path
		}
	}
	for name, p := range paths {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Host = "sample.test"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", p, rec.Code)
		}
		file := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, rec.Body.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got := rec.Body.String(); got != string(want) {
			t.Errorf("%s differs from %s; run with -update and review the diff:\n%s", p, file, firstDiff(got, string(want)))
		}
	}
}

// firstDiff shows the first differing line.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(g)) + " vs " + strconv.Itoa(len(w)) + " lines"
}
