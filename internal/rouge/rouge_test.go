package rouge

import (
	"math"
	"reflect"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
)

var langs = lang.Default()

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text, lang string
		want             []string
	}{
		{"umlauts kept", "Größere Rechenzentren", "de", []string{"gross", "rechenzentr"}},
		{"english stems", "The chips were running", "en", []string{"the", "chip", "were", "run"}},
		{"hyphen and digits", "KI-Modell Qwen2.5", "de", []string{"ki", "modell", "qwen2", "5"}},
		{"other language unstemmed", "les règles", "fr", []string{"les", "règles"}},
		{"empty", "", "en", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.text, langs.Get(tt.lang)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestRougeN(t *testing.T) {
	tests := []struct {
		name         string
		cand, ref    string
		n            int
		wantP, wantR float64
	}{
		// cand: the cat sat on the mat (6), ref: the cat is on the mat (6);
		// unigram overlap the×2 cat on mat = 5.
		{"unigram", "the cat sat on the mat", "the cat is on the mat", 1, 5.0 / 6, 5.0 / 6},
		// bigrams cand: the-cat cat-sat sat-on on-the the-mat; ref: the-cat cat-is is-on on-the the-mat → 3.
		{"bigram", "the cat sat on the mat", "the cat is on the mat", 2, 3.0 / 5, 3.0 / 5},
		{"clipped counts", "the the the", "the cat", 1, 1.0 / 3, 1.0 / 2},
		{"empty candidate", "", "the cat", 1, 0, 0},
		{"stemmed match", "Regierungen", "Regierung", 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Score
			if tt.n == 1 {
				s = Rouge1(tt.cand, tt.ref, langs.Get("en"))
				if tt.name == "stemmed match" {
					s = Rouge1(tt.cand, tt.ref, langs.Get("de"))
				}
			} else {
				s = Rouge2(tt.cand, tt.ref, langs.Get("en"))
			}
			if !near(s.P, tt.wantP) || !near(s.R, tt.wantR) {
				t.Errorf("got P=%v R=%v, want P=%v R=%v", s.P, s.R, tt.wantP, tt.wantR)
			}
			wantF := 0.0
			if tt.wantP+tt.wantR > 0 {
				wantF = 2 * tt.wantP * tt.wantR / (tt.wantP + tt.wantR)
			}
			if !near(s.F, wantF) {
				t.Errorf("F = %v, want %v", s.F, wantF)
			}
		})
	}
}

func TestRougeL(t *testing.T) {
	tests := []struct {
		name         string
		cand, ref    string
		wantP, wantR float64
	}{
		// LCS of "police killed the gunman" / "police kill the gunman" after
		// stemming: police kill the gunman = 4 of 4.
		{"sentence level", "police killed the gunman", "police kill the gunman", 1, 1},
		// Lin (2004) example: ref w1..w5, cands "w1 w2 w6 w7 w8" and "w1 w3 w8 w9 w5";
		// union LCS = w1 w2 w3 w5 → R = 4/5, P = 4/10.
		{"summary level union", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5", 4.0 / 10, 4.0 / 5},
		// Order matters within a sentence: "b a" vs "a b" has LCS 1.
		{"order", "b a", "a b", 0.5, 0.5},
		{"empty reference", "a b", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := RougeL(tt.cand, tt.ref, langs.Get("en"))
			if !near(s.P, tt.wantP) || !near(s.R, tt.wantR) {
				t.Errorf("RougeL = P %v R %v, want P %v R %v", s.P, s.R, tt.wantP, tt.wantR)
			}
		})
	}
}

func FuzzTokens(f *testing.F) {
	f.Add("Größe 3,5 Mrd. Qwen2.5 „KI“", "de")
	f.Add("\xff\xfe U.S. chips", "en")
	f.Fuzz(func(t *testing.T, text, code string) {
		lang := langs.Get(code)
		for _, tok := range Tokens(text, lang) {
			if tok == "" {
				t.Fatalf("empty token from %q", text)
			}
		}
		s := RougeL(text, text, lang)
		if len(Tokens(text, lang)) > 0 && !near(s.F, 1) {
			t.Fatalf("RougeL(x, x) = %v for %q", s.F, text)
		}
		r1 := Rouge1(text, "a b c", lang)
		if r1.P < 0 || r1.P > 1 || r1.R < 0 || r1.R > 1 {
			t.Fatalf("score out of range: %+v", r1)
		}
	})
}
