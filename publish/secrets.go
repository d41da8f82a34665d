package publish

import (
	"errors"
	"fmt"
	"os"
)

// MissingSecrets lists the secrets the config names by environment
// variable (the SMTP password, webhook signing secrets) that are not set
// in this process's environment, each naming its key.
//
// Validate leaves them out: only a process whose publish stage sends mail
// or POSTs webhooks needs them, and it checks before it starts
// (CheckSecrets). The operator's commands that send nothing (subscribers,
// feeds, check) run in a shell that usually lacks the service's
// environment file, and must work there.
func (c *Config) MissingSecrets() []error {
	var errs []error
	if e := c.Email; e.SMTPHost != "" && e.SMTPPasswordEnv != "" {
		if _, ok := os.LookupEnv(e.SMTPPasswordEnv); !ok {
			errs = append(errs, fmt.Errorf("publish.email.smtp_password_env: environment variable %s is not set", e.SMTPPasswordEnv))
		}
	}
	for i, h := range c.Webhooks {
		if h.Secret == "" && h.SecretEnv != "" && os.Getenv(h.SecretEnv) == "" {
			errs = append(errs, fmt.Errorf("publish.webhooks[%d].secret_env: environment variable %s is not set or empty", i, h.SecretEnv))
		}
	}
	return errs
}

// CheckSecrets fails when a secret the stage sends with is missing.
func (c *Config) CheckSecrets() error { return errors.Join(c.MissingSecrets()...) }
