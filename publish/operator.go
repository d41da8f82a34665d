package publish

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/newsdesk/newsdesk/internal/bus"
)

// ErrNoSuchSubscriber: the address has no record.
var ErrNoSuchSubscriber = errors.New("no such subscriber")

// ErrUnsubscribed: the address unsubscribed or bounced, and an operator's
// list does not override that.
var ErrUnsubscribed = errors.New("the address unsubscribed or bounced; only the reader can subscribe it again (newsdesk subscribers remove --erase forgets it first)")

// SubscriberStore is the operator's access to the subscribers (newsdesk
// subscribers list, add, remove, export). It needs no running stage.
type SubscriberStore struct {
	subs       *subscribers
	deliveries *bus.KV
	cfg        Config
	clock      clockwork.Clock
}

// OpenSubscriberStore opens the subscribers bucket of b. cfg is the
// publish config (defaulted), for the site languages and consent text
// version; clock stamps the records (nil: the real clock).
func OpenSubscriberStore(ctx context.Context, b *bus.Bus, cfg Config, clock clockwork.Clock) (*SubscriberStore, error) {
	subs, err := openSubscribers(ctx, b.Subscribers())
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	return &SubscriberStore{subs: subs, deliveries: b.Deliveries(), cfg: cfg, clock: clock}, nil
}

// List returns every subscriber record, ordered by address.
func (o *SubscriberStore) List(ctx context.Context) ([]Subscriber, error) {
	all, err := o.subs.list(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Subscriber, 0, len(all))
	for _, s := range all {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Subscriber) int { return strings.Compare(a.Email, b.Email) })
	return out, nil
}

// Add subscribes email to langs (site languages) as confirmed by the
// operator. It changes the languages of a confirmed address and confirms
// a pending one; an address that unsubscribed or bounced is refused with
// ErrUnsubscribed.
func (o *SubscriberStore) Add(ctx context.Context, email string, langs []string) (Subscriber, error) {
	addr, err := parseEmail(email)
	if err != nil {
		return Subscriber{}, fmt.Errorf("%q is not an email address", email)
	}
	clean := cleanSiteLangs(o.cfg.SiteTitle, langs)
	if len(clean) == 0 || len(clean) != len(langs) {
		return Subscriber{}, fmt.Errorf("languages %v: want site languages (%s)", langs, strings.Join(slices.Sorted(maps.Keys(o.cfg.SiteTitle)), ", "))
	}
	sub, err := o.subs.addOperator(ctx, addr, clean, o.clock.Now().UTC(), o.cfg.Subscriptions.ConsentTextVersion)
	if err != nil {
		return Subscriber{}, err
	}
	return *sub, nil
}

// Remove unsubscribes email, as its one-click link would; the consent
// record stays as proof.
func (o *SubscriberStore) Remove(ctx context.Context, email string) (Subscriber, error) {
	now := o.clock.Now().UTC()
	found := false
	sub, err := o.subs.update(ctx, o.subs.idFor(email), func(cur *Subscriber) (*Subscriber, error) {
		found = cur != nil
		if cur == nil || cur.Status == StatusUnsubscribed {
			return nil, nil
		}
		next := *cur
		next.Status, next.UnsubscribedAt, next.UpdatedAt, next.ConfirmSecret = StatusUnsubscribed, now, now, ""
		return &next, nil
	})
	if err != nil {
		return Subscriber{}, err
	}
	if !found {
		return Subscriber{}, ErrNoSuchSubscriber
	}
	return *sub, nil
}

// Erase deletes everything newsdesk keeps about email: its subscriber
// record (with the consent proof) and its delivery records. It returns
// how many delivery records went.
func (o *SubscriberStore) Erase(ctx context.Context, email string) (int, error) {
	id := o.subs.idFor(email)
	if _, _, err := o.subs.get(ctx, id); errors.Is(err, errNotFound) {
		return 0, ErrNoSuchSubscriber
	} else if err != nil {
		return 0, err
	}
	keys, err := o.deliveries.Keys(ctx)
	if err != nil && !errors.Is(err, bus.ErrNotFound) {
		return 0, fmt.Errorf("publish: listing delivery records: %w", err)
	}
	n := 0
	for _, k := range keys {
		if strings.HasPrefix(k, "d.") && strings.HasSuffix(k, "."+id) {
			if err := o.deliveries.Delete(ctx, k, 0); err != nil {
				return n, fmt.Errorf("publish: erasing delivery records: %w", err)
			}
			n++
		}
	}
	if err := o.subs.kv.Delete(ctx, subKeyPrefix+id, 0); err != nil {
		return n, fmt.Errorf("publish: erasing the subscriber: %w", err)
	}
	return n, nil
}

// addOperator stores email as confirmed by the operator, with langs. A
// confirmed address keeps its consent record and gets the languages; an
// address that unsubscribed or bounced stays so (ErrUnsubscribed).
func (s *subscribers) addOperator(ctx context.Context, email string, langs []string, now time.Time, consentVersion string) (*Subscriber, error) {
	refused := false
	sub, err := s.update(ctx, s.idFor(email), func(cur *Subscriber) (*Subscriber, error) {
		refused = false
		if cur != nil && (cur.Status == StatusUnsubscribed || cur.Status == StatusBounced) {
			refused = true
			return nil, nil
		}
		if cur != nil && cur.Status == StatusConfirmed && slices.Equal(cur.Languages, langs) {
			return nil, nil
		}
		next := &Subscriber{Email: email, Languages: langs, Status: StatusConfirmed, UpdatedAt: now, UnsubSecret: newSecret(),
			Consent: Consent{Source: ConsentOperator, RequestedAt: now, ConfirmedAt: now, TextVersion: consentVersion}}
		if cur != nil {
			next.UnsubSecret, next.Lang, next.History = cur.UnsubSecret, cur.Lang, cur.History
			if cur.Status == StatusConfirmed {
				next.Consent = cur.Consent
			}
		}
		return next, nil
	})
	if err != nil {
		return nil, err
	}
	if refused {
		return sub, ErrUnsubscribed
	}
	return sub, nil
}

// cleanSiteLangs keeps the site languages of a list, sorted and unique.
func cleanSiteLangs(site map[string]string, in []string) []string {
	var out []string
	for _, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		if _, ok := site[l]; ok && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}
