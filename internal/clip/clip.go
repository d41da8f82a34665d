// Package clip shortens text to a limit without cutting inside a UTF-8
// character: error records and reasons in KV, NATS headers, log and error
// messages, table cells. Limits on stored records and headers are in
// bytes (Bytes); text a person reads is limited in characters (Runes).
package clip

import "unicode/utf8"

// Ellipsis ends text that Runes cut.
const Ellipsis = "…"

// Bytes returns s cut to at most n bytes, at the last character boundary
// that fits. It adds no marker, so the result never exceeds n.
func Bytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Runes returns s cut to at most n characters, the last of them an
// Ellipsis when s was cut.
func Runes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	seen := 0
	for i := range s {
		if seen == n-1 && utf8.RuneCountInString(s[i:]) > 1 {
			return s[:i] + Ellipsis
		}
		seen++
	}
	return s
}
