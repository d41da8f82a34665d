package extract

import (
	"strings"
	"testing"
)

func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\tb", "a\u00a0b", "a \u2003 b", "\xffa  b", "ein Satz. Noch einer.", "x\u0085y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}
