package summarize

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestGlossaryYAML(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string][]string
		err      string
	}{
		{"words per language", "en: export controls\nde: [Exportkontrollen, Exportkontrolle]\nfr: contrôles à l'exportation\n",
			map[string][]string{"en": {"export controls"}, "de": {"Exportkontrollen", "Exportkontrolle"}, "fr": {"contrôles à l'exportation"}}, ""},
		{"the older form with alt", "en: tariffs\nde: Zölle\nalt: [Zöllen, Zoll]\n",
			map[string][]string{"en": {"tariffs"}, "de": {"Zölle", "Zöllen", "Zoll"}}, ""},
		{"not a map", "- tariffs\n", nil, "map of language codes"},
		{"nested map", "en: {a: b}\n", nil, "want a word or a list of words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var term Term
			err := yaml.Unmarshal([]byte(tt.in), &term)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(term.Words, tt.want) {
				t.Fatalf("got %v, %v; want %v", term.Words, err, tt.want)
			}
			out, err := yaml.Marshal(term)
			var back Term
			if err != nil || yaml.Unmarshal(out, &back) != nil || !reflect.DeepEqual(back.Words, tt.want) {
				t.Errorf("round trip: %s → %v", out, back.Words)
			}
		})
	}
}

func TestGlossaryPrompt(t *testing.T) {
	s := newTestStage(t, Config{}, Deps{})
	g := &s.cfg.Glossary
	got := g.prompt([]string{"en", "de"}, s.langName, "Die US-Exportkontrollen treffen Nvidia.")
	if !strings.Contains(got, "Glossary (English = German):\n- export controls = Exportkontrollen\n") || !strings.Contains(got, "Nvidia") {
		t.Errorf("prompt:\n%s", got)
	}
	// A language the terms have no word in renders no term.
	if got := g.prompt([]string{"en", "fr"}, s.langName, "export controls"); strings.Contains(got, "Glossary") {
		t.Errorf("prompt for a language without words:\n%s", got)
	}
}

func TestNewRejectsUnregisteredLanguage(t *testing.T) {
	cfg := Config{Editions: []EditionConfig{{Name: "daily", Languages: []string{"de", "en", "fr"}}}}
	_, err := New(cfg, Deps{})
	if err == nil || !strings.Contains(err.Error(), `language "fr" is not registered (registered: de, en)`) {
		t.Fatalf("New = %v", err)
	}
}
