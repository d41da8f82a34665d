package render

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
)

func TestGeneratorText(t *testing.T) {
	tests := []struct {
		gen, lang, want string
	}{
		{"extractive", "de", "ohne Sprachmodell"},
		{"extractive", "en", "no language model"},
		{"llm:qwen3:8b", "de", "Sprachmodell qwen3:8b"},
		{"llm:qwen3:8b", "en", "language model qwen3:8b"},
		{"llm:", "en", ""},
		{"something else", "en", ""},
	}
	for _, tt := range tests {
		got := GeneratorText(tt.gen, lang.Default().Get(tt.lang))
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("GeneratorText(%q, %q) = %q, want it to say %q", tt.gen, tt.lang, got, tt.want)
		}
	}
}
