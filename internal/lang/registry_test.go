package lang

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestStem(t *testing.T) {
	reg := Default()
	tests := []struct{ word, code, want string }{
		{"regierungen", "de", "regier"},
		{"häuser", "de", "haus"},
		{"chips", "en", "chip"},
		{"running", "en", "run"},
		{"qwen2", "en", "qwen2"},
		{"règles", "fr", "règles"}, // not registered: unchanged
		{"", "de", ""},
		{"bad\xff", "de", "bad\xff"},
	}
	for _, tt := range tests {
		if got := reg.Get(tt.code).Stem(tt.word); got != tt.want {
			t.Errorf("Stem(%q, %q) = %q, want %q", tt.word, tt.code, got, tt.want)
		}
	}
}

func TestIsStopword(t *testing.T) {
	reg := Default()
	tests := []struct {
		word, code string
		want       bool
	}{
		{"Der", "de", true}, {"über", "de", true}, {"Regierung", "de", false},
		{"The", "en", true}, {"chips", "en", false}, {"the", "fr", false},
	}
	for _, tt := range tests {
		if got := reg.Get(tt.code).IsStopword(tt.word); got != tt.want {
			t.Errorf("IsStopword(%q, %q) = %v", tt.word, tt.code, got)
		}
	}
	if !reg.IsStopword("über") || !reg.IsStopword("the") || reg.IsStopword("nvidia") {
		t.Error("Registry.IsStopword must cover every registered language and nothing else")
	}
}

func TestDefault(t *testing.T) {
	reg := Default()
	if got := strings.Join(reg.Codes(), ","); got != "de,en" {
		t.Fatalf("Codes() = %s, want de,en", got)
	}
	de := reg.Get("de")
	if de.Name != "German" || de.Native != "Deutsch" || !de.DecimalComma() || !de.LongScale() {
		t.Errorf("de = %+v", de)
	}
	if en := reg.Get("en"); en.Name != "English" || en.DecimalComma() || en.LongScale() || en.Ordinals() {
		t.Errorf("en = %+v", en)
	}
	if !de.Ordinals() || !de.OrdinalFollower("oktober") || !de.OrdinalLeader("am") {
		t.Error("German ordinal rules missing")
	}
	// Abbreviations are pooled: German text may quote "Mr." and English
	// text "Nr.".
	if !de.Abbreviation("mr") || !reg.Get("en").Abbreviation("nr") || !de.MaybeFinalAbbreviation("inc") {
		t.Error("abbreviations are not pooled across the registered languages")
	}
	if v, ok := de.NumberWord("zwölf"); !ok || v != 12 || !de.CheckedNumberWord("zwölf") || de.CheckedNumberWord("acht") {
		t.Errorf("German number words: zwölf=%v,%v", v, ok)
	}
	// Two registries never share state.
	other := Default()
	if err := other.Load(os.DirFS("testdata"), "fr"); err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Lookup("fr"); ok || reg.Get("de").Abbreviation("mme") {
		t.Error("loading into one registry changed another")
	}
}

func TestCheck(t *testing.T) {
	reg := Default()
	if err := reg.Check("de"); err != nil {
		t.Fatal(err)
	}
	err := reg.Check("fr")
	if err == nil || !strings.Contains(err.Error(), `"fr" is not registered (registered: de, en)`) {
		t.Fatalf("Check(fr) = %v", err)
	}
}

// TestThirdLanguage registers French from test data only.
func TestThirdLanguage(t *testing.T) {
	reg := Default()
	if err := reg.Load(os.DirFS("testdata"), "fr"); err != nil {
		t.Fatal(err)
	}
	fr := reg.Get("fr")
	if fr == nil || strings.Join(reg.Codes(), ",") != "de,en,fr" {
		t.Fatalf("fr not registered: %v", reg.Codes())
	}
	if !fr.IsStopword("Les") || fr.Stem("gouvernements") != "gouvern" {
		t.Errorf("French stopwords/stemmer: %v %q", fr.IsStopword("Les"), fr.Stem("gouvernements"))
	}
	if got := fr.T("note.rejected", "n", 1); !strings.HasPrefix(got, "1 nouvelle est faite") {
		t.Errorf("plural one: %q", got)
	}
	if got := fr.Catalog().DayMonth(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); got != "6 décembre" {
		t.Errorf("DayMonth = %q", got)
	}
	if !reg.Get("en").Abbreviation("mme") {
		t.Error("French abbreviations are not pooled")
	}
	if err := reg.Load(os.DirFS("testdata"), "fr"); err == nil {
		t.Error("registering fr twice succeeded")
	}
}

func TestCatalog(t *testing.T) {
	reg := Default()
	de, en := reg.Get("de"), reg.Get("en")
	tests := []struct {
		l    *Language
		key  string
		args []any
		want string
	}{
		{de, "note.rejected", []any{"n", 1}, "1 Meldung besteht aus Sätzen ihrer Quellen"},
		{de, "note.rejected", []any{"n", 3}, "3 Meldungen bestehen aus Sätzen ihrer Quellen"},
		{en, "note.rejected", []any{"n", 0}, "0 stories are told"},
		{en, "generator.llm", []any{"model", "qwen3"}, "Summarized by the language model qwen3;"},
		{de, "overview.top", []any{"topics", "A und B"}, "Die wichtigsten Themen: A und B."},
		{de, "label.source_language@en", nil, "Englischsprachige Quelle"},
		{en, "no.such.key", nil, "no.such.key"},
		{nil, "label.digest", nil, "label.digest"},
	}
	for _, tt := range tests {
		if got := tt.l.T(tt.key, tt.args...); !strings.HasPrefix(got, tt.want) {
			t.Errorf("T(%s, %v) = %q, want prefix %q", tt.key, tt.args, got, tt.want)
		}
	}
	day := time.Date(2026, 12, 6, 7, 0, 0, 0, time.UTC)
	if got := de.Catalog().DayMonth(day); got != "6. Dezember" {
		t.Errorf("de DayMonth = %q", got)
	}
	if got := en.Catalog().DayMonth(day); got != "December 6" {
		t.Errorf("en DayMonth = %q", got)
	}
	// Every built-in catalog has exactly the reference keys (the
	// optional @code variants aside).
	required := func(c *Catalog) string {
		var keys []string
		for _, k := range c.Keys() {
			if !strings.Contains(k, "@") {
				keys = append(keys, k)
			}
		}
		return strings.Join(keys, " ")
	}
	if d, e := required(de.Catalog()), required(en.Catalog()); d != e {
		t.Errorf("de and en catalogs differ in keys:\n%s\n%s", d, e)
	}
}

func TestCatalogTFor(t *testing.T) {
	c, err := parseCatalog("de", []byte("src: Quelle auf {language}\nsrc@en: Englischsprachige Quelle\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.TFor("src", "en", "language", "English"); got != "Englischsprachige Quelle" {
		t.Errorf("TFor(en) = %q", got)
	}
	if got := c.TFor("src", "fr", "language", "Français"); got != "Quelle auf Français" {
		t.Errorf("TFor(fr) = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	en, err := builtin.ReadFile("data/en/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	good := "code: it\nname: X\nnative: X\nscript: Latin\nstemmer: none\n"
	tests := []struct {
		name      string
		lang, cat string
		want      string
	}{
		{"unknown key", good + "colour: red\n", string(en), "field colour not found"},
		{"bad stemmer", strings.Replace(good, "none", "klingon", 1), string(en), `stemmer "klingon": want none or one of danish`},
		{"bad code", strings.Replace(good, "code: it", "code: ita", 1), string(en), "want an ISO 639-1 code"},
		{"bad script", strings.Replace(good, "Latin", "Klingon", 1), string(en), `script "Klingon"`},
		{"no name", "code: it\nnative: X\n", string(en), "name and native are required"},
		{"checked not a word", good + "numbers:\n  checked: drei\n", string(en), `"drei" is not in numbers.words`},
		{"missing message", good, "label.digest: X\n", "catalog lacks"},
		{"bad plural", good, string(en) + "x.y:\n  several: z\n", `"several" is not a plural category`},
		{"plural without other", good, string(en) + "x.y:\n  one: z\n", `needs an "other" form`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"xx/language.yaml": {Data: []byte(tt.lang)},
				"xx/stopwords.txt": {Data: []byte("a # comment\nb\n")},
				"xx/catalog.yaml":  {Data: []byte(tt.cat)},
			}
			err := Default().Load(fsys, "xx")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want %q", err, tt.want)
			}
		})
	}
	if err := Default().Load(fstest.MapFS{}, "xx"); err == nil {
		t.Error("Load of a missing directory succeeded")
	}
}

func FuzzCatalog(f *testing.F) {
	f.Add("a: b {n}\nc:\n  one: x\n  other: y {n}\n", 3)
	f.Add("a: [1, 2]\n", 1)
	f.Fuzz(func(t *testing.T, data string, n int) {
		c, err := parseCatalog("de", []byte(data))
		if err != nil {
			return
		}
		for _, k := range c.Keys() {
			_ = c.T(k, "n", n, "x", "y")
		}
	})
}

func TestCatalogCount(t *testing.T) {
	reg := Default()
	tests := []struct {
		code string
		n    int
		want string
	}{
		{"de", 2, "zwei"}, {"de", 12, "zwölf"}, {"de", 13, "13"}, {"de", 1, "1"},
		{"en", 3, "three"}, {"en", 40, "40"},
	}
	for _, tt := range tests {
		if got := reg.Get(tt.code).Catalog().Count(tt.n); got != tt.want {
			t.Errorf("%s Count(%d) = %q, want %q", tt.code, tt.n, got, tt.want)
		}
	}
}
