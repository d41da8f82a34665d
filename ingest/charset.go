package ingest

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// xmlDecl finds the encoding pseudo-attribute of an XML declaration.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']`)

// prepareCharset returns feed bytes gofeed can decode correctly (§5.6):
// raw bytes whenever the document's own declaration is trustworthy, UTF-8
// with a matching declaration where it is not. gofeed honours the XML
// declaration blindly, so the cases handled here are exactly those where
// obeying it (or its absence) gives mojibake or a parse error:
//
//   - a UTF-16 byte-order mark (gofeed cannot detect the feed type), or
//     UTF-16 without one (the first character '<' is then half NUL);
//   - a declaration naming UTF-16 or UTF-32 over bytes it just read as
//     ASCII: a document really in UTF-16 has NULs between those letters,
//     so the declaration is wrong and the bytes are UTF-8 (or 8-bit);
//   - a declaration naming a non-UTF-8 charset over bytes that are valid,
//     non-ASCII UTF-8 (laut.de, Daily Mail): the bytes win;
//   - an unknown charset name in the declaration;
//   - no declaration (or a UTF-8 one) over bytes that are not UTF-8: decode
//     with the Content-Type charset, else windows-1252 (a superset of
//     Latin-1, the usual culprit);
//   - no declaration and a Content-Type naming a non-UTF-8 charset.
//
// A document cut off inside a multi-byte character (a truncated download)
// still counts as UTF-8: the cut character is the repair layer's business,
// and decoding the whole document as windows-1252 because of its last
// byte would garble every title.
//
// It reports what it changed, for logs.
func prepareCharset(data []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)), "utf-8"), "decoded UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)), "utf-8"), "decoded UTF-16BE"
	case bytes.HasPrefix(data, []byte{'<', 0, '?', 0}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)), "utf-8"), "decoded UTF-16LE without byte-order mark"
	case bytes.HasPrefix(data, []byte{0, '<', 0, '?'}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)), "utf-8"), "decoded UTF-16BE without byte-order mark"
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	}
	header := headerCharset(contentType)
	head := data[:min(len(data), 1024)]
	m := xmlDecl.FindSubmatchIndex(head)
	valid := validUTF8(data)
	fallback := func() (encoding.Encoding, string) {
		if header != nil && header != encoding.Nop {
			return header, "Content-Type charset"
		}
		return charmap.Windows1252, "windows-1252"
	}
	if m == nil {
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) && valid {
			return data, ""
		}
		switch {
		case !valid:
			enc, name := fallback()
			return decodeTo8(data, enc), "decoded non-UTF-8 bytes as " + name
		case header != nil && header != encoding.Nop && hasNonASCII(data):
			// The header says non-UTF-8 but the bytes are valid UTF-8: in
			// practice that is a misconfigured server, not a coincidence.
			return data, "ignored Content-Type charset over valid UTF-8"
		case header != nil && header != encoding.Nop:
			return decodeTo8(data, header), "decoded per Content-Type charset"
		}
		return data, ""
	}
	label := strings.ToLower(strings.TrimSpace(string(head[m[2]:m[3]])))
	declared, _ := charset.Lookup(label)
	isUTF8 := label == "utf-8" || label == "utf8"
	wide := strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") ||
		strings.HasPrefix(label, "ucs-2") || strings.HasPrefix(label, "ucs-4") || label == "unicode"
	switch {
	case wide && valid:
		return setDecl(data, "utf-8"), "declared " + label + " over 8-bit bytes; they are UTF-8"
	case wide:
		enc, name := fallback()
		return setDecl(decodeTo8(data, enc), "utf-8"), "declared " + label + " over 8-bit bytes; decoded as " + name
	case isUTF8 && valid:
		return data, ""
	case isUTF8:
		enc, name := fallback()
		return setDecl(decodeTo8(data, enc), "utf-8"), "declared UTF-8 but not UTF-8; decoded as " + name
	case declared == nil && valid:
		return setDecl(data, "utf-8"), "unknown declared charset " + label + "; bytes are UTF-8"
	case declared == nil:
		enc, name := fallback()
		return setDecl(decodeTo8(data, enc), "utf-8"), "unknown declared charset " + label + "; decoded as " + name
	case valid && hasNonASCII(data):
		return setDecl(data, "utf-8"), "declared " + label + " but bytes are UTF-8"
	}
	return data, ""
}

// validUTF8 is utf8.Valid, except that an incomplete character at the very
// end (a download cut inside it) does not count against the document.
func validUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			return !utf8.FullRune(b[i:]) && utf8.Valid(b[:i])
		}
	}
	return false
}

func headerCharset(contentType string) encoding.Encoding {
	_, params, ok := strings.Cut(contentType, ";")
	if !ok {
		return nil
	}
	// Parse by hand: mime.ParseMediaType rejects duplicate parameters
	// (miniflux#297) and we only want the charset.
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			label := strings.ToLower(strings.Trim(strings.TrimSpace(v), `"'`))
			if label == "utf-8" || label == "utf8" {
				return encoding.Nop
			}
			enc, _ := charset.Lookup(label)
			return enc
		}
	}
	return nil
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func decodeTo8(data []byte, enc encoding.Encoding) []byte {
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return out
}

// setDecl rewrites (or drops) the declared encoding to match re-encoded
// bytes, so the XML decoder does not decode them a second time.
func setDecl(data []byte, label string) []byte {
	head := data[:min(len(data), 1024)]
	m := xmlDecl.FindSubmatchIndex(head)
	if m == nil {
		return data
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:m[2]]...)
	out = append(out, label...)
	out = append(out, data[m[3]:]...)
	return out
}
