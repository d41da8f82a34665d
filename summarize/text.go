package summarize

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalizeSpace collapses every run of white space to one space and trims;
// it also drops invalid UTF-8 and control characters, which must never reach
// a prompt, a cache key or a digest.
func normalizeSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				continue
			}
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// paragraphs yields the normalized, non-empty paragraphs of an article's
// text (paragraphs separated by blank lines), only as far as the caller
// reads: lead needs the first few of a long text.
func paragraphs(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
			if p = normalizeSpace(p); p != "" && !yield(p) {
				return
			}
		}
	}
}

// lead returns the first paragraphs of text up to max characters (runes),
// cutting only at a paragraph boundary unless the first paragraph alone is
// too long, which is cut at a word boundary. Sending the lead rather than the
// whole article is the cheapest large token saving there is.
func lead(text string, max int) string {
	var b strings.Builder
	n := 0
	for p := range paragraphs(text) {
		pn := utf8.RuneCountInString(p)
		if n+pn > max {
			if n == 0 {
				return cutWords(p, max)
			}
			break
		}
		if n > 0 {
			b.WriteString("\n\n")
			n += 2
		}
		b.WriteString(p)
		n += pn
	}
	return b.String()
}

// cutWords cuts s to at most max runes at a word boundary.
func cutWords(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)[:max]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + " …"
}

// hashKey is the hex SHA-256 of parts joined by NUL, cut to 40 characters:
// a valid KV key token.
func hashKey(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:40]
}

var errNoJSON = errors.New("no JSON object in the answer")

// decodeJSON finds the JSON object in an LLM answer and decodes it into v
// with unknown fields allowed. Models wrap JSON in ``` fences or add a
// sentence before it even in JSON mode; anything that is not one object
// between the first '{' and the last '}' is an error to retry.
func decodeJSON(content string, v any) error {
	i := strings.IndexByte(content, '{')
	j := strings.LastIndexByte(content, '}')
	if i < 0 || j < i {
		return errNoJSON
	}
	if err := json.Unmarshal([]byte(content[i:j+1]), v); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	return nil
}
