package extractive

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// langs is the registry the tests take their languages from.
var langs = lang.Default()

// readFixture reads testdata/name.
func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
