package topic

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func loadSmall(t *testing.T) *Profile {
	t.Helper()
	p, err := Load("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScoreSemantics(t *testing.T) {
	p := loadSmall(t)
	tests := []struct {
		name              string
		title, text, lang string
		want              float64
		terms             []string
	}{
		{"nothing", "Weather", "Sunny all week.", "en", 0, nil},
		{"strong once in text", "", "DeepSeek released a model.", "en", 3, []string{"DeepSeek"}},
		{"strong repeated", "", "DeepSeek here. DeepSeek there.", "en", 4.5, []string{"DeepSeek"}},
		{"repeats capped", "", strings.Repeat("DeepSeek ", 10), "en", 6, []string{"DeepSeek"}},
		{"strong in title", "DeepSeek news", "", "en", 6, []string{"DeepSeek"}},
		{"case-insensitive", "", "DEEPSEEK and deepseek", "en", 4.5, []string{"DeepSeek"}},
		{"word boundary", "", "DeepSeekers and UnDeepSeek", "en", 0, nil},
		{"phrase with prefix", "", "new Export Controls on chips", "en", 3, []string{"export control*"}},
		{"phrase needs adjacency", "", "export of many controls", "en", 0, nil},
		{"german compound infix", "", "Die US-Halbleiterexportkontrollen greifen.", "de", 4, []string{"*exportkontrolle*", "Halbleiter*"}},
		{"hyphen compound", "", "Neue KI-Chips aus Shenzhen", "de", 3, []string{"KI-Chip*"}},
		{"acronym case-sensitive", "", "von Montag bis Freitag", "de", 0, nil},
		{"acronym matches", "", "the BIS rule", "en", 3, []string{"BIS"}},
		{"lang-restricted term off", "", "Halbleiter market", "en", 0, nil},
		{"lang-restricted term on", "", "Halbleiter werden knapp", "de", 1, []string{"Halbleiter*"}},
		{"lang with region", "", "Halbleiter werden knapp", "de-AT", 1, []string{"Halbleiter*"}},
		{"context alone is nothing", "Trump in Taiwan", "Trump said Taiwan is great. Trump again.", "en", 0, nil},
		{"context adds to on-topic", "", "DeepSeek and Trump", "en", 3.5, []string{"DeepSeek", "Trump"}},
		{"group needs both sets", "", "China grows. Apples are red.", "en", 0, nil},
		{"group within window", "", "China buys chips now", "en", 3, []string{"China+Chip"}},
		{"group outside window", "", "China is big. One two three four five six seven. Chips are small.", "en", 0, nil},
		{"group german compound", "", "Chinesische Mikrochips sind gefragt", "de", 3, []string{"China+Chip"}},
		{"group set in title counts everywhere", "China", "many many many many many words then chips", "en", 3, []string{"China+Chip"}},
		{"group all in title", "China and chips", "", "en", 6, []string{"China+Chip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, terms := p.Score(tt.title, tt.text, tt.lang)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("score = %v, want %v (terms %v)", got, tt.want, terms)
			}
			if !slices.Equal(terms, tt.terms) {
				t.Errorf("terms = %q, want %q", terms, tt.terms)
			}
		})
	}
}

// TestDefaultProfile checks the shipped profile against on- and off-topic
// snippets in both languages, at ingest's default threshold of 4.
func TestDefaultProfile(t *testing.T) {
	p, err := Load("../../configs/topics/china-us-ai.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const threshold = 4.0
	tests := []struct {
		name, lang, title, text string
		on                      bool
	}{
		{"de export controls", "de", "USA verschärfen Exportkontrollen für KI-Chips",
			"Die US-Regierung hat neue Exportbeschränkungen erlassen. Nvidia darf den H20 nicht mehr nach China liefern.", true},
		{"de deepseek", "de", "DeepSeek stellt neues Reasoning-Modell vor",
			"Das chinesische Start-up aus Hangzhou veröffentlicht die Gewichte seines Modells.", true},
		{"de huawei ascend", "de", "Huawei baut Ascend-Produktion aus",
			"Chinas Halbleiterindustrie setzt auf eigene KI-Beschleuniger, weil US-Sanktionen den Import von Nvidia-Chips erschweren.", true},
		{"de eu ai act chinese models", "de", "Mittelstand setzt auf Qwen",
			"Deutsche Unternehmen nutzen zunehmend chinesische KI-Modelle mit offenen Gewichten.", true},
		{"en qwen", "en", "Alibaba releases new Qwen models",
			"The open-weight family is among the most downloaded on Hugging Face.", true},
		{"en entity list", "en", "Commerce adds Chinese firms to Entity List",
			"The Bureau of Industry and Security said the companies supported military AI development.", true},
		{"en smuggling", "en", "How Nvidia chips reach China",
			"Investigators describe smuggling routes through Southeast Asia for banned GPUs.", true},
		{"en china chips in body", "en", "A new front in the tech war",
			"Beijing is pouring money into semiconductors as Chinese chipmakers race to replace Nvidia accelerators.", true},
		{"de sport", "de", "Bayern gewinnt bis zur letzten Minute",
			"Das Spiel dauerte bis in die Nachspielzeit. Die Fans feierten bis spät in die Nacht.", false},
		{"de trump tariffs only", "de", "Trump droht mit neuen Zöllen",
			"Der US-Präsident kündigte Strafzölle gegen Europa an. Xi Jinping reagierte gelassen. Auch Taiwan war Thema.", false},
		{"en taiwan politics", "en", "Taiwan election results",
			"Voters in Taiwan went to the polls; Beijing and Washington watched closely. Trump commented.", false},
		{"en apple iphone", "en", "Apple unveils new iPhone",
			"The phone has a faster chip and a better camera. It ships next week in the US and Europe.", false},
		{"de china travel", "de", "Reisetipps für China",
			"Peking im Herbst: Die Verbotene Stadt und die Mauer sind die beliebtesten Ziele.", false},
		{"en minimax algorithm", "en", "Teaching computers chess",
			"The minimax algorithm with alpha-beta pruning still powers many game engines; a moonshot project aims higher.", false},
		{"de bis und us", "de", "Baustelle bis Ende Mai",
			"Die Sperrung dauert bis zum Sommer. Uns bleibt nur Geduld.", false},
		{"en passing nvidia", "en", "Stocks close higher",
			"The Dow rose 1%, led by banks; Nvidia was little changed.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, terms := p.Score(tt.title, tt.text, tt.lang)
			if got := s >= threshold; got != tt.on {
				t.Errorf("score %.2f (terms %v): on-topic=%v, want %v", s, terms, got, tt.on)
			}
		})
	}
}

func TestProfileErrors(t *testing.T) {
	tests := []struct{ path, want string }{
		{"testdata/unknown-key.yaml", "field matches not found"},
		{"testdata/bad-tier.yaml", `tier "huge"`},
		{"testdata/bad-tier.yaml", "need at least two sets"},
		{"testdata/missing.yaml", "no such file"},
	}
	for _, tt := range tests {
		_, err := Load(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) = %v, want error containing %q", tt.path, err, tt.want)
		}
	}
}

func TestCompilePattern(t *testing.T) {
	bad := []string{"", "  ", "*", "a*", "ex*port", "--", "*x"}
	for _, src := range bad {
		if _, err := compilePattern(src); err == nil {
			t.Errorf("compilePattern(%q) succeeded, want error", src)
		}
	}
	good := map[string]int{"BIS": 1, "export control*": 2, "KI-Chip*": 2, "U.S.": 2, "*exportkontrolle*": 1}
	for src, n := range good {
		pat, err := compilePattern(src)
		if err != nil || len(pat) != n {
			t.Errorf("compilePattern(%q) = %v parts, %v; want %d parts", src, len(pat), err, n)
		}
	}
}

func TestSpecValidation(t *testing.T) {
	_, err := Parse([]byte("name: x\ntitle_multiplier: .nan\nterms: [{tier: strong, match: [a1]}]\n"))
	if err == nil || !strings.Contains(err.Error(), "finite") {
		t.Errorf("NaN multiplier: err = %v", err)
	}
	_, err = Parse([]byte("name: x\n"))
	if err == nil || !strings.Contains(err.Error(), "no terms") {
		t.Errorf("empty profile: err = %v", err)
	}
	_, err = Parse(nil)
	if err == nil {
		t.Error("nil data accepted")
	}
}

func FuzzScore(f *testing.F) {
	p, err := Load("../../configs/topics/china-us-ai.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("DeepSeek", "China buys KI-Chips", "de")
	f.Add("", "\xff\xfe China \x00 chips", "en")
	f.Add("Exportkontrollen*", "**--**", "")
	f.Fuzz(func(t *testing.T, title, text, lang string) {
		s1, m1 := p.Score(title, text, lang)
		if s1 < 0 || math.IsNaN(s1) || math.IsInf(s1, 0) {
			t.Fatalf("score %v", s1)
		}
		if (s1 == 0) != (len(m1) == 0) {
			t.Fatalf("score %v with terms %v", s1, m1)
		}
		s2, m2 := p.Score(title, text, lang)
		if s1 != s2 || !slices.Equal(m1, m2) {
			t.Fatal("Score is not deterministic")
		}
	})
}

func BenchmarkScore(b *testing.B) {
	p, err := Load("../../configs/topics/china-us-ai.yaml")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("Die chinesische Regierung investiert in Halbleiter und KI-Modelle, während die USA Exportkontrollen verschärfen. ", 60)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		p.Score("China und die Chips", text, "de")
	}
}
