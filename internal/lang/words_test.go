package lang

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Größe, Straße!", []string{"größe", "straße"}},
		{"KI-Modell Qwen2.5 kostet 3,5 Mrd.", []string{"ki", "modell", "qwen2", "5", "kostet", "3", "5", "mrd"}},
		{"„Das ist’s“", []string{"das", "ist", "s"}},
		{"美国 AI", []string{"美国", "ai"}},
		{"\u0311A0 e\u0301", []string{"a0", "e\u0301"}},
		{"bad \xff bytes", []string{"bad", "bytes"}},
	}
	for _, tt := range tests {
		if got := Words(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzWords(f *testing.F) {
	f.Add("Größe 3,5 Mrd. Qwen2.5 „KI“ 美国")
	f.Add("\xff\u0311A0")
	reg := Default()
	langs := []*Language{reg.Get("de"), reg.Get("en")}
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range Words(text) {
			if w == "" || strings.ContainsAny(w, " \t\n.,") {
				t.Fatalf("bad word %q from %q", w, text)
			}
			for _, l := range langs {
				if s := l.Stem(w); utf8.ValidString(w) && !utf8.ValidString(s) {
					t.Fatalf("Stem(%q) = %q not valid UTF-8", w, s)
				}
			}
		}
		code, conf := DetectWithConfidence(text)
		if code == "" || conf < 0 || conf > 1 {
			t.Fatalf("DetectWithConfidence(%q) = %q, %v", text, code, conf)
		}
	})
}
