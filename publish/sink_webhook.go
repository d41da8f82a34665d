package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/retry"
)

// maxWebhookWait caps how long a receiver's Retry-After can hold a digest.
const maxWebhookWait = time.Hour

// WebhookEventType is the "type" of every webhook payload.
const WebhookEventType = "digest.published"

// WebhookPayload is the JSON body POSTed to webhooks.
type WebhookPayload struct {
	Type      string         `json:"type"`
	Timestamp time.Time      `json:"timestamp"`
	Data      news.Published `json:"data"`
}

// webhookSink POSTs every digest with stories to one URL as JSON, signed
// the Standard Webhooks way (https://www.standardwebhooks.com, with its
// reference Go library):
//
//	webhook-id:        msg_<32 hex digits>, the same for every attempt of one digest revision
//	webhook-timestamp: Unix seconds when this attempt was signed
//	webhook-signature: v1,<base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)>
//
// The key is the secret's bytes, or, for a secret written "whsec_<base64>",
// the bytes the base64 stands for. A receiver recomputes the HMAC over the
// raw body it got, compares in constant time, refuses timestamps more than
// five minutes off its clock, and drops a webhook-id it has seen (a crash
// between a 2xx and its record repeats the POST with the same id).
type webhookSink struct {
	*shared
	client *http.Client
	hook   WebhookConfig
	name   string
	signer *standardwebhooks.Webhook
}

func newWebhookSink(sh *shared, client *http.Client, hook WebhookConfig) (*webhookSink, error) {
	secret := hook.secret()
	var (
		signer *standardwebhooks.Webhook
		err    error
	)
	if strings.HasPrefix(secret, "whsec_") {
		signer, err = standardwebhooks.NewWebhook(secret)
	} else {
		signer, err = standardwebhooks.NewWebhookRaw([]byte(secret))
	}
	if err != nil {
		return nil, fmt.Errorf("publish: webhook %s: secret: %w", redactURL(hook.URL), err)
	}
	return &webhookSink{shared: sh, client: client, hook: hook, name: webhookName(hook.URL), signer: signer}, nil
}

// webhookName is the sink name of a URL: stable across restarts, safe as
// a KV key, and not the URL itself (which may carry a token).
func webhookName(u string) string {
	sum := sha256.Sum256([]byte(u))
	return "webhook-" + hex.EncodeToString(sum[:6])
}

// redactURL is a URL for logs: scheme, host and path, no query or user.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

func (w *webhookSink) Name() string { return w.name }

// webhookID is the webhook-id of a digest revision: the same for every
// attempt, so receivers can drop repeats.
func webhookID(d news.Digest) string {
	sum := sha256.Sum256([]byte(d.MsgID()))
	return "msg_" + hex.EncodeToString(sum[:16])
}

// Deliver POSTs d. A digest without stories, or in a language the webhook
// does not take, is done without a request.
func (w *webhookSink) Deliver(ctx context.Context, d news.Digest) error {
	if len(d.Stories) == 0 || len(w.hook.Languages) > 0 && !slices.Contains(w.hook.Languages, digestLang(d)) {
		return nil
	}
	ev := w.published(d)
	ev.Digest = &d
	now := w.now()
	body, err := json.Marshal(WebhookPayload{Type: WebhookEventType, Timestamp: now.UTC(), Data: ev})
	if err != nil {
		return bus.Permanent(fmt.Errorf("webhook: encoding %s: %w", d.ID, err))
	}
	id := webhookID(d)
	sig, err := w.signer.Sign(id, now, body)
	if err != nil {
		return bus.Permanent(fmt.Errorf("webhook: signing: %w", err))
	}
	ctx, cancel := context.WithTimeout(ctx, w.hook.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.hook.URL, bytes.NewReader(body))
	if err != nil {
		return bus.Permanent(fmt.Errorf("webhook %s: %w", redactURL(w.hook.URL), err))
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "newsdesk-webhook/1")
	h.Set(standardwebhooks.HeaderWebhookID, id)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, fmt.Sprint(now.Unix()))
	h.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := w.client.Do(req)
	if err != nil {
		// Connection refused, reset, timed out: the receiver may come back.
		// The *url.Error would repeat the URL, which may hold a token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook %s: %w", redactURL(w.hook.URL), err)
	}
	drain(resp)
	return webhookVerdict(resp, redactURL(w.hook.URL), now)
}

// webhookVerdict turns a receiver's answer into a sink verdict: 2xx is
// done; 408, 425, 429 and 5xx are tried again (after Retry-After when the
// receiver sent one); any other answer (a redirect, 400, 401, 404, 410…)
// refuses this digest for good, since the same body would be refused
// again.
func webhookVerdict(resp *http.Response, where string, now time.Time) error {
	code := resp.StatusCode
	if code/100 == 2 {
		return nil
	}
	err := &statusError{URL: where, Status: resp.Status, Code: code}
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code == http.StatusTooManyRequests, code >= 500:
		if after := retry.After(resp.Header, now); after > 0 {
			return bus.Retry(err, min(after, maxWebhookWait))
		}
		return err
	default:
		return bus.Permanent(err)
	}
}

// secret is the signing secret: Secret when an embedder set it, else the
// environment variable SecretEnv names.
func (h WebhookConfig) secret() string {
	if h.Secret != "" {
		return h.Secret
	}
	return os.Getenv(h.SecretEnv)
}
