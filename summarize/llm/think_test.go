package llm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStripThinking(t *testing.T) {
	tests := []struct {
		name, in, answer, reasoning string
		truncated                   bool
	}{
		{"no tags", "  Antwort.\n", "Antwort.", "", false},
		{"closed block", "<think>erst denken</think>\n\nAntwort", "Antwort", "erst denken", false},
		{"closing tag only (R1 prefill)", "erst denken\n</think>\nAntwort", "Antwort", "erst denken", false},
		{"last closing tag wins", "<think>a</think>mitte</think>Ende", "Ende", "a\nmitte", false},
		{"unclosed", "<think>denke noch", "", "denke noch", true},
		{"unclosed after leading space", "\n  <think>denke", "", "denke", true},
		{"reopened after close", "<think>a</think>\n<think>b", "", "a\nb", true},
		{"empty think block", "<think></think>Antwort", "Antwort", "", false},
		{"only think", "<think>nur das</think>", "", "nur das", false},
		{"tag inside answer text", "Das Tag <think> steht im Text.", "Das Tag <think> steht im Text.", "", false},
		{"empty", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, r, tr := StripThinking(tt.in)
			if a != tt.answer || r != tt.reasoning || tr != tt.truncated {
				t.Errorf("StripThinking(%q) = %q, %q, %v; want %q, %q, %v", tt.in, a, r, tr, tt.answer, tt.reasoning, tt.truncated)
			}
		})
	}
}

func FuzzStripThinking(f *testing.F) {
	for _, s := range []string{"", "<think>x</think>y", "x</think>y", "<think>x", "a</think>b</think>c", "<think><think></think>", "\xff<think>\xfe</think>\xfd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, r, tr := StripThinking(s)
		if strings.Contains(a, thinkClose) {
			t.Fatalf("answer %q still holds </think>", a)
		}
		if tr && a != "" {
			t.Fatalf("truncated but answer %q", a)
		}
		if strings.HasPrefix(a, thinkOpen) {
			t.Fatalf("answer %q starts with <think>", a)
		}
		if a != strings.TrimSpace(a) || r != strings.TrimSpace(r) {
			t.Fatalf("untrimmed output %q / %q", a, r)
		}
		if !strings.Contains(s, thinkOpen) && !strings.Contains(s, thinkClose) && a != strings.TrimSpace(s) {
			t.Fatalf("tag-free %q changed to %q", s, a)
		}
		if utf8.ValidString(s) && (!utf8.ValidString(a) || !utf8.ValidString(r)) {
			t.Fatalf("valid UTF-8 in, invalid out: %q %q", a, r)
		}
		if !strings.Contains(s, a) {
			t.Fatalf("answer %q is not part of the input", a)
		}
	})
}
