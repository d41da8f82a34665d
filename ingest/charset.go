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
//   - a UTF-16 byte-order mark (gofeed cannot detect the feed type);
//   - a declaration naming a non-UTF-8 charset over bytes that are valid,
//     non-ASCII UTF-8 (laut.de, Daily Mail): the bytes win;
//   - an unknown charset name in the declaration;
//   - no declaration (or a UTF-8 one) over bytes that are not UTF-8: decode
//     with the Content-Type charset, else windows-1252 (a superset of
//     Latin-1, the usual culprit);
//   - no declaration and a Content-Type naming a non-UTF-8 charset.
//
// It reports what it changed, for logs.
func prepareCharset(data []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)), "utf-8"), "decoded UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return setDecl(decodeTo8(data, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)), "utf-8"), "decoded UTF-16BE"
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	}
	header := headerCharset(contentType)
	head := data[:min(len(data), 1024)]
	m := xmlDecl.FindSubmatchIndex(head)
	valid := utf8.Valid(data)
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
	switch {
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
