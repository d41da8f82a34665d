package lang

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNameKeys(t *testing.T) {
	reg := Default()
	tests := []struct {
		form string
		want []string
	}{
		{"münchen", []string{"munich"}},
		{"munich", []string{"munich"}},
		{"münchnerinnen", []string{"munich"}}, // the stem "Münchner*"
		{"vereinte nationen", []string{"un"}},
		{"u s", []string{"usa"}}, // "U.S." as Words splits it
		{"wm", []string{"worldcup", "worldchampionship"}},
		{"mün", nil}, // shorter than every stem
		{"lisa", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := reg.NameKeys(tt.form)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("NameKeys(%q) = %q, want %q", tt.form, got, want)
		}
	}
}

func TestNameAt(t *testing.T) {
	reg := Default()
	tests := []struct {
		text  string
		want  []string
		words int
	}{
		{"Vereinten Nationen in Genf", []string{"un"}, 2},
		{"United Nations Security Council", []string{"un"}, 2},
		{"UN Security Council", []string{"securitycouncil"}, 3},
		{"Munich airport", []string{"munich"}, 1},
		{"airport of Munich", nil, 0},
		{"", nil, 0},
	}
	for _, tt := range tests {
		keys, n := reg.NameAt(Words(tt.text))
		if !slices.Equal(keys, tt.want) || n != tt.words {
			t.Errorf("NameAt(%q) = %q, %d; want %q, %d", tt.text, keys, n, tt.want, tt.words)
		}
	}
	if !reg.NotName("chinese") || reg.NotName("huawei") {
		t.Errorf("NotName: chinese %v, huawei %v", reg.NotName("chinese"), reg.NotName("huawei"))
	}
	if d := reg.NameDerivations(); !slices.Contains(d, "er") || !slices.Contains(d, "s") {
		t.Errorf("NameDerivations = %q", d)
	}
	if keys := NewRegistry().NameKeys("munich"); keys != nil {
		t.Errorf("an empty registry knows names: %q", keys)
	}
}

// TestNamesPooled: a third language's names join the keys the others
// share, so a French form supports a German one.
func TestNamesPooled(t *testing.T) {
	reg := Default()
	if reg.NameKeys("allemagne") != nil {
		t.Fatal("French names before French is registered")
	}
	if err := reg.Load(os.DirFS("testdata"), "fr"); err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{"allemagne", "allemande", "deutschland", "germany"} {
		if keys := reg.NameKeys(form); !slices.Equal(keys, []string{"germany"}) {
			t.Errorf("NameKeys(%q) = %q", form, keys)
		}
	}
	if !reg.NotName("lundi") || !reg.NotName("chinese") {
		t.Error("not_names not pooled")
	}
}

func TestNamesParseErrors(t *testing.T) {
	cat, err := builtin.ReadFile("data/en/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, names, want string }{
		{"unknown key", "aliases: {}\n", "field aliases not found"},
		{"key not lower case", "same:\n  Munich: [München]\n", `key "Munich": want a lower-case word`},
		{"key with a space", "same:\n  new york: [New York]\n", `key "new york"`},
		{"empty form", "same:\n  munich: [\"--\"]\n", `form "--": want a word, a phrase`},
		{"stem of a phrase", "same:\n  un: [Vereinte Nation*]\n", `form "Vereinte Nation*"`},
		{"not a list", "same:\n  munich: München\n", "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"xx/language.yaml": {Data: []byte("code: it\nname: X\nnative: X\nscript: Latin\nstemmer: none\n")},
				"xx/stopwords.txt": {Data: []byte("a\n")},
				"xx/catalog.yaml":  {Data: cat},
				"xx/names.yaml":    {Data: []byte(tt.names)},
			}
			err := Default().Load(fsys, "xx")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want %q", err, tt.want)
			}
		})
	}
}
