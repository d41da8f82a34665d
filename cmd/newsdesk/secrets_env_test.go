package main

import (
	"os"
	"strings"
	"testing"
)

// unsetEnv makes sure name is not set for the test (and restores it).
func unsetEnv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "x")
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

// TestSecretsOnlyWhereMailIsSent: the SMTP password and a webhook's secret
// come from environment variables that a service's environment file sets,
// not the operator's shell. Commands that neither mail nor POST
// (subscribers, feeds, check) work without them; check warns, and with
// --env fails as run would; run and recompose, whose publish stage sends,
// refuse to start and name the key and the variable.
func TestSecretsOnlyWhereMailIsSent(t *testing.T) {
	const pw, hook = "NEWSDESK_TEST_SMTP_PASSWORD_UNSET", "NEWSDESK_TEST_HOOK_SECRET_UNSET"
	unsetEnv(t, pw)
	unsetEnv(t, hook)
	c := newCronSetup(t, "127.0.0.1:2525")
	c.writeConfig(t, map[string]string{
		"email":   "    smtp_username: newsdesk\n    smtp_password_env: " + pw + "\n",
		"publish": "  webhooks:\n    - {url: \"http://127.0.0.1:9/hook\", secret_env: " + hook + "}\n",
	})
	ctx := t.Context()
	for _, args := range [][]string{
		{"subscribers", "add", "leser@example.org", "--lang", "de"},
		{"subscribers", "list"},
		{"subscribers", "export", "--format", "json"},
		{"subscribers", "remove", "leser@example.org"},
		{"feeds"},
	} {
		if code, out, errOut := runCmd(ctx, append(args, "--config", c.config)...); code != 0 {
			t.Errorf("%v without the secrets: exit %d\n%s%s", args, code, out, errOut)
		}
	}

	code, out, errOut := runCmd(ctx, "check", "--config", c.config)
	if code != 0 || !strings.Contains(out, ": ok") {
		t.Errorf("check without the secrets: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"warning: publish.email.smtp_password_env: environment variable " + pw + " is not set",
		"warning: publish.webhooks[0].secret_env: environment variable " + hook + " is not set",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("check does not warn %q:\n%s", want, errOut)
		}
	}

	wantErr := []string{"publish.email.smtp_password_env: environment variable " + pw + " is not set",
		"publish.webhooks[0].secret_env: environment variable " + hook + " is not set"}
	for _, args := range [][]string{
		{"check", "--env"},
		{"run", "--once"},
		{"recompose", "daily", "--dry-run"},
	} {
		code, out, errOut := runCmd(ctx, append(args, "--config", c.config)...)
		if code == 0 {
			t.Errorf("%v without the secrets: exit 0\n%s%s", args, out, errOut)
		}
		for _, want := range wantErr {
			if !strings.Contains(errOut, want) {
				t.Errorf("%v: stderr lacks %q:\n%s", args, want, errOut)
			}
		}
	}

	t.Setenv(pw, "s3cret")
	t.Setenv(hook, "hook-s3cret")
	if code, out, errOut := runCmd(ctx, "check", "--env", "--config", c.config); code != 0 || strings.Contains(errOut, "warning: publish.email.smtp_password_env") {
		t.Errorf("check --env with the secrets set: exit %d\n%s%s", code, out, errOut)
	}
}
