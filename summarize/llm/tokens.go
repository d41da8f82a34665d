package llm

import (
	"unicode/utf8"
)

// CharsPerToken is the divisor of EstimateTokens. Four characters per token
// is the usual rule of thumb for English with a large BPE vocabulary; German
// runs nearer three, CJK nearer one, so the estimate is low rather than high
// for the languages newsdesk reads. That suits its two uses: a budget check
// before sending (an underestimate errs towards sending) and the silent
// truncation check after (a server counting far fewer tokens than even this
// low estimate has dropped part of the prompt).
const CharsPerToken = 4

// EstimateTokens is newsdesk's deterministic token estimate: the number of
// characters (runes) divided by CharsPerToken, rounded up. It is not a
// tokenizer; it exists so that budgets and the truncation check count the
// same way. (The llmtest double counts its own way, on purpose.)
func EstimateTokens(s string) int {
	n := utf8.RuneCountInString(s)
	return (n + CharsPerToken - 1) / CharsPerToken
}

// MessageOverheadTokens approximates what a chat template adds per message
// (role markers, separators).
const MessageOverheadTokens = 4

// EstimatePromptTokens estimates the prompt size of a message list the way
// EstimateTokens does for text, plus MessageOverheadTokens per message.
func EstimatePromptTokens(msgs []Message) int {
	n := 0
	for _, m := range msgs {
		n += EstimateTokens(m.Content) + MessageOverheadTokens
	}
	return n
}
