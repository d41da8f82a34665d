package bus

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// ClientOptions are the connection options for nats.url: credentials
// (creds file or nkey seed) and TLS.
func (c *Config) ClientOptions() []nats.Option {
	var opts []nats.Option
	if c.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	}
	if c.NKeySeedFile != "" {
		// NkeyOptionFromSeed reads the file now; a bad one shows in
		// CheckFiles and at connect.
		if o, err := nats.NkeyOptionFromSeed(c.NKeySeedFile); err == nil {
			opts = append(opts, o)
		} else {
			opts = append(opts, func(*nats.Options) error { return fmt.Errorf("nats.nkey_seed_file: %w", err) })
		}
	}
	if c.TLS.CAFile != "" {
		opts = append(opts, nats.RootCAs(c.TLS.CAFile))
	}
	if c.TLS.CertFile != "" {
		opts = append(opts, nats.ClientCert(c.TLS.CertFile, c.TLS.KeyFile))
	}
	return opts
}

// CheckFiles reads every credential and certificate file the config names
// and checks it is what its key says, so a wrong path or file shows at
// `newsdesk check` rather than at the first connection.
func (c *Config) CheckFiles() error {
	var errs []error
	if c.CredsFile != "" {
		errs = append(errs, checkCreds(c.CredsFile))
	}
	if c.NKeySeedFile != "" {
		errs = append(errs, checkSeed(c.NKeySeedFile))
	}
	errs = append(errs, c.TLS.check("nats.tls"), c.ListenTLS.check("nats.listen_tls"))
	return errors.Join(errs...)
}

func checkCreds(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("nats.creds_file: %w", err)
	}
	tok, err := jwt.ParseDecoratedJWT(data)
	if err != nil {
		return fmt.Errorf("nats.creds_file %s: %w", path, err)
	}
	if _, err := jwt.DecodeUserClaims(tok); err != nil {
		return fmt.Errorf("nats.creds_file %s: no user JWT: %w", path, err)
	}
	kp, err := jwt.ParseDecoratedUserNKey(data)
	if err != nil {
		return fmt.Errorf("nats.creds_file %s: no user seed: %w", path, err)
	}
	kp.Wipe()
	return nil
}

func checkSeed(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("nats.nkey_seed_file: %w", err)
	}
	kp, err := nkeys.ParseDecoratedNKey(data)
	if err != nil {
		return fmt.Errorf("nats.nkey_seed_file %s: %w", path, err)
	}
	defer kp.Wipe()
	pub, err := kp.PublicKey()
	if err != nil || !nkeys.IsValidPublicUserKey(pub) {
		return fmt.Errorf("nats.nkey_seed_file %s: not a user seed (SU…)", path)
	}
	return nil
}

func (t TLSFiles) check(key string) error {
	var errs []error
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s.ca_file: %w", key, err))
		case !x509.NewCertPool().AppendCertsFromPEM(pem):
			errs = append(errs, fmt.Errorf("%s.ca_file %s: no PEM certificate in it", key, t.CAFile))
		}
	}
	if t.CertFile != "" && t.KeyFile != "" {
		if _, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile); err != nil {
			errs = append(errs, fmt.Errorf("%s.cert_file and key_file: %w", key, err))
		}
	}
	return errors.Join(errs...)
}
