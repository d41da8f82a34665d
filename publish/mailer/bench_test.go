package mailer_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/publish/mailer"
)

func BenchmarkBuild(b *testing.B) {
	m := message()
	m.Text = strings.Repeat("Grüße aus Köln, eine Zeile Text. ", 400)
	m.HTML = strings.Repeat("<p>Grüße aus Köln, eine Zeile Text.</p>", 400)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mailer.Build(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildAndSignRSA2048(b *testing.B) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	k := &mailer.DKIM{Domain: "news.example.org", Selector: "s", Signer: key}
	m := message()
	m.Text = strings.Repeat("Grüße aus Köln, eine Zeile Text. ", 400)
	m.HTML = strings.Repeat("<p>Grüße aus Köln, eine Zeile Text.</p>", 400)
	b.ReportAllocs()
	for b.Loop() {
		raw, err := mailer.Build(m)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := k.Sign(raw); err != nil {
			b.Fatal(err)
		}
	}
}
