package publish

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// Subscriber states.
const (
	StatusPending      = "pending"
	StatusConfirmed    = "confirmed"
	StatusUnsubscribed = "unsubscribed"
	StatusBounced      = "bounced"
)

// Consent sources.
const (
	ConsentForm     = "form"
	ConsentOperator = "operator"
)

// Subscriber is one record in the subscribers bucket, keyed "sub.<id>".
// It is the proof of consent the sender must be able to show (UWG §7,
// double opt-in): the signup request and the confirmation click are kept
// even after the address unsubscribes.
type Subscriber struct {
	ID        string   `json:"id"`
	Email     string   `json:"email"`
	Languages []string `json:"languages"`
	// Lang is the language mails outside the digests (confirmation, a new
	// unsubscribe link) speak to this person: the one their browser asked
	// for among the languages they chose.
	Lang      string    `json:"lang,omitempty"`
	Status    string    `json:"status"`
	Consent   Consent   `json:"consent"`
	UpdatedAt time.Time `json:"updated_at"`

	// Secrets of the opaque tokens "<id>.<secret>" sent in mails.
	UnsubSecret    string    `json:"unsub_secret"`
	ConfirmSecret  string    `json:"confirm_secret,omitempty"`
	ConfirmExpires time.Time `json:"confirm_expires,omitzero"`
	// ConfirmMailedAt is when the confirmation mail for the current
	// request went out; zero while it is still owed.
	ConfirmMailedAt time.Time `json:"confirm_mailed_at,omitzero"`
	// UnsubLinkMailedAt is when a new unsubscribe link was last mailed.
	UnsubLinkMailedAt time.Time `json:"unsub_link_mailed_at,omitzero"`

	UnsubscribedAt time.Time `json:"unsubscribed_at,omitzero"`
	BouncedAt      time.Time `json:"bounced_at,omitzero"`
	BounceReason   string    `json:"bounce_reason,omitempty"`
	// History keeps earlier consent records when an address signs up again.
	History []Consent `json:"history,omitempty"`
}

// Consent records how a subscription came about.
type Consent struct {
	Source      string    `json:"source"` // "form" or "operator"
	RequestedAt time.Time `json:"requested_at"`
	RequestIP   string    `json:"request_ip,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
	TextVersion string    `json:"text_version,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
	ConfirmIP   string    `json:"confirm_ip,omitempty"`
}

// wants reports whether s should get a digest in lang.
func (s *Subscriber) wants(lang string) bool {
	return s.Status == StatusConfirmed && slices.Contains(s.Languages, lang)
}

const (
	keySecret       = "meta.hmac"
	subKeyPrefix    = "sub."
	secretBytes     = 24
	maxUserAgentLen = 300
)

var (
	errBadToken = errors.New("invalid token")
	errNotFound = errors.New("no such subscriber")
)

// subscribers is the store over the subscribers KV bucket.
type subscribers struct {
	kv  *bus.KV
	key []byte // HMAC key for subscriber ids, created once per bucket
}

func openSubscribers(ctx context.Context, kv *bus.KV) (*subscribers, error) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	enc := []byte(hex.EncodeToString(secret))
	if _, err := kv.Create(ctx, keySecret, enc); err != nil && !errors.Is(err, bus.ErrConflict) {
		return nil, fmt.Errorf("subscribers: creating id key: %w", err)
	}
	e, err := kv.Get(ctx, keySecret)
	if err != nil {
		return nil, fmt.Errorf("subscribers: reading id key: %w", err)
	}
	key, err := hex.DecodeString(string(e.Value))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("subscribers: id key in %s is corrupt", kv.Bucket())
	}
	return &subscribers{kv: kv, key: key}, nil
}

// idFor derives the subscriber id from the normalised address with a keyed
// hash, so ids (which appear in tokens) reveal nothing about the address.
func (s *subscribers) idFor(email string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(normalizeEmail(email)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func newSecret() string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// token joins id and secret into the opaque string sent in links.
func token(id, secret string) string { return id + "." + secret }

func splitToken(t string) (id, secret string, err error) {
	id, secret, ok := strings.Cut(t, ".")
	if !ok || len(id) != 32 || len(secret) < 16 || len(secret) > 64 {
		return "", "", errBadToken
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", "", errBadToken
	}
	for _, c := range []byte(secret) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", "", errBadToken // secrets are base64url
		}
	}
	return id, secret, nil
}

func secretEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func (s *subscribers) get(ctx context.Context, id string) (*Subscriber, uint64, error) {
	e, err := s.kv.Get(ctx, subKeyPrefix+id)
	if errors.Is(err, bus.ErrNotFound) {
		return nil, 0, errNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("subscribers: get: %w", err)
	}
	var sub Subscriber
	if err := json.Unmarshal(e.Value, &sub); err != nil {
		return nil, 0, fmt.Errorf("subscribers: decoding %s: %w", id, err)
	}
	return &sub, e.Revision, nil
}

// update applies fn to the record with id under compare-and-set, creating it
// when absent (fn then sees nil). fn returns the record to store, or nil to
// store nothing. It returns what was stored (or the unchanged record).
func (s *subscribers) update(ctx context.Context, id string, fn func(cur *Subscriber) (*Subscriber, error)) (*Subscriber, error) {
	var (
		cur, stored *Subscriber
		fnErr       error
	)
	_, err := bus.UpdateJSON(ctx, s.kv, subKeyPrefix+id, func(r *bus.Record[Subscriber]) (bool, error) {
		if r.Corrupt != nil {
			return false, fmt.Errorf("subscribers: %w", r.Corrupt)
		}
		cur, stored = nil, nil
		if r.Revision != 0 {
			c := r.Value
			cur = &c
		}
		next, err := fn(cur)
		fnErr = err
		if err != nil || next == nil {
			return false, err
		}
		next.ID = id
		r.Value, stored = *next, next
		return true, nil
	})
	switch {
	case err != nil && fnErr != nil:
		return cur, err
	case err != nil:
		return nil, fmt.Errorf("subscribers: storing %s: %w", id, err)
	case stored != nil:
		return stored, nil
	}
	return cur, nil
}

// byToken loads the record a token names and checks the token's secret
// with pick (which selects the secret to compare against).
func (s *subscribers) byToken(ctx context.Context, t string, pick func(*Subscriber) string) (*Subscriber, error) {
	id, secret, err := splitToken(t)
	if err != nil {
		return nil, err
	}
	sub, _, err := s.get(ctx, id)
	if errors.Is(err, errNotFound) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	if !secretEqual(pick(sub), secret) {
		return nil, errBadToken
	}
	return sub, nil
}

// list returns every subscriber record.
func (s *subscribers) list(ctx context.Context) ([]*Subscriber, error) {
	all, err := s.kv.Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("subscribers: listing: %w", err)
	}
	var keys []string
	for _, k := range all {
		if strings.HasPrefix(k, subKeyPrefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]*Subscriber, 0, len(keys))
	for _, k := range keys {
		sub, _, err := s.get(ctx, strings.TrimPrefix(k, subKeyPrefix))
		if errors.Is(err, errNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// purgeExpired deletes pending signups whose confirmation window has
// passed: without a confirmation there is no consent, and the address is
// personal data the list has no reason to keep. The delete is conditional
// on the revision read, so a fresh signup racing with the purge survives.
func (s *subscribers) purgeExpired(ctx context.Context, now time.Time) (int, error) {
	all, err := s.list(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sub := range all {
		if sub.Status != StatusPending || !now.After(sub.ConfirmExpires) {
			continue
		}
		cur, rev, err := s.get(ctx, sub.ID)
		if err != nil || cur.Status != StatusPending || !now.After(cur.ConfirmExpires) {
			continue
		}
		if cur.Consent.Source == ConsentForm && len(cur.History) > 0 {
			// An earlier, confirmed consent exists (a re-signup after
			// unsubscribing): keep the proof, drop only the pending request.
			next := *cur
			next.Status = StatusUnsubscribed
			next.ConfirmSecret = ""
			next.Consent = cur.History[len(cur.History)-1]
			next.History = cur.History[:len(cur.History)-1]
			data, err := json.Marshal(next)
			if err != nil {
				return n, fmt.Errorf("subscribers: encoding: %w", err)
			}
			if _, err := s.kv.Update(ctx, subKeyPrefix+sub.ID, data, rev); err == nil {
				n++
			}
			continue
		}
		if err := s.kv.Delete(ctx, subKeyPrefix+sub.ID, rev); err == nil {
			n++
		}
	}
	return n, nil
}
