package llmtest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"   \n\t", 0},
		{"ok", 1},
		{"Satz.", 2},                  // "Satz" "."
		{"Hallo Welt", 3},             // "Hall" "o" "Welt"
		{"Exportkontrollen", 4},       // four pieces of four letters
		{"Hochleistungschips", 5},     // 18 letters: five started pieces
		{"2026", 2},                   // "202" "6"
		{"12,5 Mrd.", 5},              // "12" "," "5" "Mrd" "."
		{"Nvidia's H20", 6},           // "Nvid" "ia" "'" "s" "H" "20"
		{"<think>", 4},                // "<" "thin" "k" ">"
		{"华为发布芯片", 6},                 // one per ideograph
		{"Über Straßen", 3},           // "Über" "Stra" "ßen"
		{"e\u0301te", 1},              // a combining mark stays in its word
		{"a\xffb", 3},                 // invalid UTF-8 is a token of its own
		{"Qwen3-Coder 480B-A35B", 11}, // "Qwen" "3" "-" "Code" "r" "480" "B" "-" "A" "35" "B"
	}
	for _, tt := range tests {
		if got := Tokens(tt.text); got != tt.want {
			t.Errorf("Tokens(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"Satz. Satz. Satz.", 3, "Satz. Satz"},
		{"Satz. Satz.", 10, "Satz. Satz."},
		{"Exportkontrollen", 2, "Expo" + "rtko"},
		{"华为发布", 2, "华为"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		if got := Prefix(tt.text, tt.n); got != tt.want {
			t.Errorf("Prefix(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}

func TestPromptTokens(t *testing.T) {
	// Two messages of 1 and 3 tokens, 5 per message, 3 for the reply.
	if got := PromptTokens("sys", "Hallo Welt"); got != 17 {
		t.Errorf("PromptTokens = %d, want 17", got)
	}
}

// FuzzTokens: Prefix is a start of the text holding exactly as many
// tokens as asked (or all), and counting never depends on what follows a
// finished token.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Satz. Satz.", "Exportkontrollen für Chips", "华为 2026 H20", "a\xffb", ""} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 64
		total := Tokens(s)
		p := Prefix(s, n)
		if !strings.HasPrefix(s, p) {
			t.Fatalf("Prefix(%q, %d) = %q is not a prefix", s, n, p)
		}
		if want := min(max(n, 0), total); Tokens(p) != want {
			t.Fatalf("Tokens(Prefix(%q, %d)) = %d, want %d", s, n, Tokens(p), want)
		}
		if utf8.ValidString(s) && !utf8.ValidString(p) {
			t.Fatalf("Prefix(%q, %d) = %q cuts a character", s, n, p)
		}
		if total > utf8.RuneCountInString(s) {
			t.Fatalf("Tokens(%q) = %d, more than its characters", s, total)
		}
	})
}
