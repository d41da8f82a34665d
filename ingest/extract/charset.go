package extract

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// metaCharsetRe finds a charset declared in a <meta> tag. charset.DetermineEncoding
// only prescans the first 1024 bytes as the HTML spec says; real pages often put
// the declaration after a long <head> preamble, so we look further.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// metaScanBytes bounds the search for a <meta charset> declaration.
const metaScanBytes = 16 << 10

// decode returns raw as UTF-8 and the name of the encoding it came in.
//
// The order of trust is: a byte-order mark, then the bytes themselves when
// they are valid UTF-8 containing non-ASCII text (declarations that say
// ISO-8859-1 on UTF-8 bytes are a common lie), then the HTTP header, then a
// <meta> declaration, then windows-1252 for bytes that are not valid UTF-8.
func decode(raw []byte, contentType string) ([]byte, string) {
	if enc, name := bomEncoding(raw); enc != nil {
		return transcode(raw, enc, name)
	}
	if utf8.Valid(raw) {
		// Valid UTF-8 with multi-byte sequences is almost never an accident in a
		// legacy single-byte page; pure ASCII decodes the same either way.
		return raw, "utf-8"
	}
	declared := declaredCharset(raw, contentType)
	if declared != "" {
		if enc, err := htmlindex.Get(declared); err == nil {
			name, _ := htmlindex.Name(enc)
			if name != "utf-8" {
				return transcode(raw, enc, name)
			}
		}
	}
	// Declared UTF-8 (or nothing) but the bytes are not: a mostly valid page with
	// a few broken bytes stays UTF-8 (the decoder replaces them); otherwise the
	// web's de-facto default for undeclared Western pages is windows-1252.
	if invalidUTF8Ratio(raw) < 0.001 {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), "utf-8"
	}
	if _, name, certain := charset.DetermineEncoding(raw, ""); certain && name != "utf-8" {
		enc, _ := htmlindex.Get(name)
		if enc != nil {
			return transcode(raw, enc, name)
		}
	}
	enc, _ := htmlindex.Get("windows-1252")
	return transcode(raw, enc, "windows-1252")
}

func bomEncoding(raw []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8"
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	}
	return nil, ""
}

// declaredCharset returns the charset named by the Content-Type header or,
// failing that, by a <meta> tag near the top of the page.
func declaredCharset(raw []byte, contentType string) string {
	if i := strings.Index(strings.ToLower(contentType), "charset="); i >= 0 {
		v := strings.Trim(contentType[i+len("charset="):], `"' `)
		if j := strings.IndexAny(v, "; "); j >= 0 {
			v = v[:j]
		}
		if v != "" {
			return v
		}
	}
	head := raw
	if len(head) > metaScanBytes {
		head = head[:metaScanBytes]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

func invalidUTF8Ratio(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	bad := 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		i += n
	}
	return float64(bad) / float64(len(b))
}

func transcode(raw []byte, enc encoding.Encoding, name string) ([]byte, string) {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD")), "utf-8"
	}
	return out, name
}

// looksBinary reports whether b is not text at all (an image or archive
// served as text/html): NUL bytes or many control characters near the start.
func looksBinary(b []byte) bool {
	if len(b) > 4096 {
		b = b[:4096]
	}
	if len(b) == 0 {
		return false
	}
	ctrl := 0
	for _, c := range b {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl*20 > len(b)
}
