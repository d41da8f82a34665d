package mailer

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/emersion/go-msgauth/dkim"
)

// SignedHeaders are the header fields the DKIM signature covers. RFC 8058
// requires List-Unsubscribe and List-Unsubscribe-Post to be among them.
var SignedHeaders = []string{
	"From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version",
	"Content-Type", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
}

// DKIM signs composed messages for one domain and selector.
type DKIM struct {
	Domain   string
	Selector string
	Signer   crypto.Signer
}

// LoadDKIM reads a PEM private key (PKCS#1 or PKCS#8 RSA, or PKCS#8
// Ed25519) from keyFile.
func LoadDKIM(domain, selector, keyFile string) (*DKIM, error) {
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("dkim key: %w", err)
	}
	blk, _ := pem.Decode(data)
	if blk == nil {
		return nil, fmt.Errorf("dkim key %s: no PEM block", keyFile)
	}
	var key any
	switch blk.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("dkim key %s: %w", keyFile, err)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 1024 {
			return nil, fmt.Errorf("dkim key %s: RSA key of %d bits is too short", keyFile, k.N.BitLen())
		}
		return &DKIM{Domain: domain, Selector: selector, Signer: k}, nil
	case ed25519.PrivateKey:
		return &DKIM{Domain: domain, Selector: selector, Signer: k}, nil
	default:
		return nil, fmt.Errorf("dkim key %s: unsupported key type %T", keyFile, key)
	}
}

// Sign returns raw with a DKIM-Signature header prepended. The signed bytes
// must be sent verbatim: re-parsing and re-rendering would re-fold headers
// and break the signature.
func (k *DKIM) Sign(raw []byte) ([]byte, error) {
	if k == nil {
		return raw, nil
	}
	if k.Signer == nil {
		return nil, errors.New("dkim: no key")
	}
	var out bytes.Buffer
	err := dkim.Sign(&out, bytes.NewReader(raw), &dkim.SignOptions{
		Domain:                 k.Domain,
		Selector:               k.Selector,
		Signer:                 k.Signer,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             SignedHeaders,
	})
	if err != nil {
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	return out.Bytes(), nil
}
