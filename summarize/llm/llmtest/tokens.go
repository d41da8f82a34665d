package llmtest

import (
	"iter"
	"unicode"
	"unicode/utf8"
)

// The double counts tokens its own way, not with the llm package's
// estimate: a test must not pass because client and server share a
// mistake (a usage figure the client computed instead of reading it from
// the answer would then look right).
//
// The count imitates a byte-pair tokenizer with a large vocabulary:
//
//   - a run of letters is one token per started four letters (the space
//     before a word rides on it, as in BPE vocabularies);
//   - a run of digits is one token per started three digits;
//   - a Han, Hiragana, Katakana or Hangul character is a token of its own;
//   - any other visible character (punctuation, symbols) is a token of its
//     own;
//   - whitespace is free.
//
// A chat template adds ChatMessageOverhead tokens per message and
// ChatReplyOverhead for the assistant's turn (ChatML: "<|im_start|>",
// role, newline, "<|im_end|>", newline; and "<|im_start|>assistant\n").
const (
	ChatMessageOverhead = 5
	ChatReplyOverhead   = 3
)

// Tokens is the number of tokens the double reports for a text.
func Tokens(s string) int {
	n := 0
	for range tokenEnds(s) {
		n++
	}
	return n
}

// Prefix is the longest start of s that holds at most n tokens: where the
// double cuts an answer at max_tokens.
func Prefix(s string, n int) string {
	end := 0
	for e := range tokenEnds(s) {
		if n <= 0 {
			break
		}
		end = e
		n--
	}
	return s[:end]
}

// PromptTokens is the prompt size the double reports for a conversation.
func PromptTokens(contents ...string) int {
	n := ChatReplyOverhead
	for _, c := range contents {
		n += Tokens(c) + ChatMessageOverhead
	}
	return n
}

type class int

const (
	space class = iota
	letter
	digit
	single // a token on its own: ideographs, punctuation, symbols
)

func classOf(r rune) class {
	switch {
	case unicode.IsSpace(r):
		return space
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return single
	case unicode.IsLetter(r), unicode.IsMark(r):
		return letter
	case unicode.IsDigit(r):
		return digit
	}
	return single
}

// tokenEnds yields the byte offset after each token of s.
func tokenEnds(s string) iter.Seq[int] {
	return func(yield func(int) bool) {
		width := 0 // runes so far in the current letter or digit run
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			c, end := classOf(r), i+size
			i = end
			switch c {
			case space:
				width = 0
				continue
			case single:
				width = 0
				if !yield(end) {
					return
				}
				continue
			}
			// Letters and digits: a token ends after each full piece of
			// the run and where the run ends.
			per := 4
			if c == digit {
				per = 3
			}
			width++
			next := space
			if end < len(s) {
				nr, _ := utf8.DecodeRuneInString(s[end:])
				next = classOf(nr)
			}
			if next != c {
				width = 0
			}
			if width%per == 0 {
				if !yield(end) {
					return
				}
			}
		}
	}
}
