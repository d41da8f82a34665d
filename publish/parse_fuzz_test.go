package publish

import (
	"net/mail"
	"strings"
	"testing"
)

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"a@example.net", "A@Example.NET", "a@b\r\nBcc: c@d.e", "Eve <e@x.y>", "a@b.c, d@e.f", "\"q\"@x.y", "<script>@x.y", "a@[127.0.0.1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := parseEmail(in)
		if err != nil {
			return
		}
		if strings.ContainsAny(out, "\r\n\x00<>,;\" ") || len(out) > maxEmailLen {
			t.Fatalf("parseEmail(%q) = %q: unsafe for a header", in, out)
		}
		if out != strings.ToLower(out) {
			t.Fatalf("parseEmail(%q) = %q: not normalised", in, out)
		}
		a, err := mail.ParseAddress(out)
		if err != nil || a.Address != out {
			t.Fatalf("parseEmail(%q) = %q does not parse back: %v", in, out, err)
		}
		if again, err := parseEmail(out); err != nil || again != out {
			t.Fatalf("parseEmail not idempotent on %q: %q, %v", out, again, err)
		}
	})
}

func FuzzSplitToken(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef.abcdefghijklmnopqrstuvwxyzABCDEF")
	f.Add("x.y")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		id, secret, err := splitToken(in)
		if err != nil {
			return
		}
		if len(id) != 32 || strings.ContainsAny(id+secret, "\r\n.") {
			t.Fatalf("splitToken(%q) = %q, %q", in, id, secret)
		}
		if token(id, secret) != in {
			t.Fatalf("splitToken(%q) does not round-trip", in)
		}
	})
}
