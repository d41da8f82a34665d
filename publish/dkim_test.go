package publish_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/newsdesk/newsdesk/publish"
)

func TestStageSignsDigestMail(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "k.pem")
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *publish.Config) {
		c.Email.DKIM = publish.DKIMConfig{Domain: "news.example.org", Selector: "s1", KeyFile: path}
		c.Email.Subscribers = []publish.SeedSubscriber{{Email: "anna@example.net", Languages: []string{"de"}}}
	})
	if err := e.st.Deliver(t.Context(), testDigest("de", "2026-11-29")); err != nil {
		t.Fatal(err)
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails", len(msgs))
	}
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	txt := "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)
	v, err := dkim.VerifyWithOptions(bytes.NewReader(msgs[0].Data), &dkim.VerifyOptions{
		LookupTXT: func(string) ([]string, error) { return []string{txt}, nil },
	})
	if err != nil || len(v) != 1 || v[0].Err != nil {
		t.Fatalf("verify: %v %+v", err, v)
	}
	if !slices.ContainsFunc(v[0].HeaderKeys, func(h string) bool { return h == "List-Unsubscribe-Post" }) {
		t.Errorf("List-Unsubscribe-Post not signed: h=%v", v[0].HeaderKeys)
	}
}
