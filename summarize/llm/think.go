package llm

import "strings"

const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
)

// StripThinking separates inline reasoning from the answer (BACKENDS.md,
// "What goes over the wire"), in this order:
//
//  1. If content contains </think>, the answer is the text after the last
//     </think>; the text before it (opening tags removed) is the reasoning.
//     R1-style templates prefill "<think>\n", so often only the closing tag
//     appears.
//  2. If what remains starts with <think> and has no closing tag, the
//     output was cut off inside the reasoning: truncated is true and the
//     answer is empty.
//  3. Whitespace is trimmed.
//
// Tags are matched exactly (lower case), as models emit them.
func StripThinking(content string) (answer, reasoning string, truncated bool) {
	answer = content
	if i := strings.LastIndex(content, thinkClose); i >= 0 {
		answer = content[i+len(thinkClose):]
		before := strings.ReplaceAll(content[:i], thinkOpen, "")
		reasoning = strings.TrimSpace(strings.ReplaceAll(before, thinkClose, "\n"))
	}
	answer = strings.TrimSpace(answer)
	if rest, ok := strings.CutPrefix(answer, thinkOpen); ok {
		reasoning = strings.TrimSpace(reasoning + "\n" + strings.TrimSpace(rest))
		return "", reasoning, true
	}
	return answer, reasoning, false
}
