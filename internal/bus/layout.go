package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The layout: newsdesk's streams and KV buckets, declared from Config in
// this one place. Declaring (Setup, or Open with Declare) creates what is
// missing and updates what differs; binding (Open with Bind) only looks and
// fails when the server's layout is not the config's.

func (b *Bus) streamConfigs() []jetstream.StreamConfig {
	cfg := b.cfg
	return []jetstream.StreamConfig{
		{
			Name:        StreamArticles,
			Description: "extracted, scored articles from ingest",
			Subjects:    []string{b.wire(SubjectArticles)},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.ArticleMaxAge,
			MaxMsgSize:  cfg.ArticleMaxBytes,
			Duplicates:  cfg.DuplicateWindow,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
			Placement:   b.placement(),
		},
		{
			Name:              StreamDigests,
			Description:       "edition digests per language",
			Subjects:          []string{b.wire(SubjectDigests)},
			Retention:         jetstream.LimitsPolicy,
			MaxAge:            cfg.DigestMaxAge,
			MaxMsgsPerSubject: cfg.DigestsPerSubj,
			MaxMsgSize:        cfg.DigestMaxBytes,
			Duplicates:        cfg.DuplicateWindow,
			Storage:           jetstream.FileStorage,
			Replicas:          cfg.Replicas,
			Placement:         b.placement(),
		},
		{
			Name:        StreamPublished,
			Description: "publish's events: a digest revision is out on the web, with its links",
			Subjects:    []string{b.wire(SubjectPublished)},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.DigestMaxAge,
			MaxMsgSize:  cfg.DigestMaxBytes,
			Duplicates:  cfg.DuplicateWindow,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
			Placement:   b.placement(),
		},
		{
			Name:        StreamSignups,
			Description: "subscription requests from the form, until publish has handled them (they hold addresses: kept briefly)",
			Subjects:    []string{b.wire(SubjectSignups)},
			Retention:   jetstream.WorkQueuePolicy,
			MaxAge:      cfg.SignupMaxAge,
			MaxMsgSize:  64 << 10,
			Duplicates:  cfg.DuplicateWindow,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
			Placement:   b.placement(),
		},
		{
			Name:        StreamDLQ,
			Description: "poison messages and exhausted retries, with the error in News-Error",
			Subjects:    []string{b.wire(SubjectDLQ)},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.DLQMaxAge,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
			Placement:   b.placement(),
		},
	}
}

// bucket is one KV bucket of the layout and where Bus keeps its handle.
type bucket struct {
	dst  **KV
	name string
	ttl  time.Duration
	desc string
}

func (b *Bus) buckets() []bucket {
	return []bucket{
		{&b.seen, BucketSeen, b.cfg.SeenTTL, "first-seen gate for feed items"},
		{&b.feedState, BucketFeedState, 0, "per-feed ETag, Last-Modified, next poll, errors"},
		{&b.briefs, BucketBriefs, 0, "article briefs by content hash, model and prompt version"},
		{&b.editions, BucketEditions, 0, "edition locks and story memory"},
		{&b.subscribers, BucketSubscribers, 0, "newsletter subscribers and consent records"},
		{&b.deliveries, BucketDeliveries, b.cfg.DeliveriesTTL, "which digest went to which subscriber"},
		{&b.hosts, BucketHosts, b.cfg.HostStateTTL, "per-host politeness shared by ingest processes: next request slot, Retry-After back-off"},
		{&b.members, BucketMembers, 0, "heartbeats of running ingest processes, which split the feeds between them"},
	}
}

func (b *Bus) bucketConfig(bk bucket) jetstream.KeyValueConfig {
	return jetstream.KeyValueConfig{
		Bucket:      bk.name,
		Description: bk.desc,
		TTL:         bk.ttl,
		Storage:     jetstream.FileStorage,
		Replicas:    b.cfg.Replicas,
		Placement:   b.placement(),
	}
}

func (b *Bus) placement() *jetstream.Placement {
	if !b.cfg.Placement.set() {
		return nil
	}
	return &jetstream.Placement{Cluster: b.cfg.Placement.Cluster, Tags: slices.Clone(b.cfg.Placement.Tags)}
}

// kvStream is the stream behind a bucket.
func kvStream(bucket string) string { return "KV_" + bucket }

// Change is what Setup did, or would do, to one stream, bucket or durable
// consumer.
type Change struct {
	Kind   string // "stream", "bucket" or "consumer"
	Name   string // consumers: "STREAM/durable"
	Action string // "create", "update" or "" (as configured)
	// Diffs name each setting that differs: "max_age 168h0m0s → 72h0m0s"
	// (on the server → in the config).
	Diffs []string
}

func (c Change) String() string {
	switch c.Action {
	case "create":
		return fmt.Sprintf("%s %s: created", c.Kind, c.Name)
	case "update":
		return fmt.Sprintf("%s %s: updated: %s", c.Kind, c.Name, strings.Join(c.Diffs, ", "))
	}
	return fmt.Sprintf("%s %s: as configured", c.Kind, c.Name)
}

// Setup brings the server's layout to cfg: streams, buckets and the given
// durable consumers (`newsdesk setup`). It returns what it changed (or,
// with dryRun, what it would change) in a stable order. A setting the
// server cannot change in place (a stream's storage) is an error that
// names it. Its connection needs the rights to manage streams; the stage
// processes that bind afterwards do not.
func Setup(ctx context.Context, nc *nats.Conn, cfg Config, consumers []ConsumerConfig, dryRun bool) ([]Change, error) {
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(cfg.RequestTimeout))
	if err != nil {
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b := &Bus{nc: nc, js: js, cfg: cfg}
	return b.setup(ctx, consumers, dryRun)
}

func (b *Bus) setup(ctx context.Context, consumers []ConsumerConfig, dryRun bool) ([]Change, error) {
	var out []Change
	for _, sc := range b.streamConfigs() {
		ch, err := b.plan(ctx, "stream", sc.Name, sc)
		if err != nil {
			return out, err
		}
		if ch.Action != "" && !dryRun {
			if _, err := b.js.CreateOrUpdateStream(ctx, sc); err != nil {
				return out, fmt.Errorf("bus: declaring stream %s: %w", sc.Name, err)
			}
		}
		out = append(out, ch)
	}
	for _, bk := range b.buckets() {
		kc := b.bucketConfig(bk)
		ch, err := b.plan(ctx, "bucket", bk.name, kvWant(kc))
		if err != nil {
			return out, err
		}
		if ch.Action != "" && !dryRun {
			if _, err := b.js.CreateOrUpdateKeyValue(ctx, kc); err != nil {
				return out, fmt.Errorf("bus: declaring bucket %s: %w", bk.name, err)
			}
		}
		out = append(out, ch)
	}
	for _, cc := range consumers {
		ch, err := b.planConsumer(ctx, cc)
		if err != nil {
			return out, err
		}
		if ch.Action != "" && !dryRun {
			if _, err := b.js.CreateOrUpdateConsumer(ctx, cc.Stream, b.consumerConfig(cc)); err != nil {
				return out, fmt.Errorf("bus: declaring consumer %s on %s: %w", cc.Durable, cc.Stream, err)
			}
		}
		out = append(out, ch)
	}
	return out, nil
}

// kvWant is the part of a bucket's stream that newsdesk sets.
func kvWant(kc jetstream.KeyValueConfig) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              kvStream(kc.Bucket),
		MaxAge:            kc.TTL,
		MaxMsgsPerSubject: 1,
		Storage:           kc.Storage,
		Replicas:          kc.Replicas,
		Placement:         kc.Placement,
	}
}

// plan compares a stream (or a bucket's stream) with what the config wants.
func (b *Bus) plan(ctx context.Context, kind, name string, want jetstream.StreamConfig) (Change, error) {
	ch := Change{Kind: kind, Name: name}
	s, err := b.js.Stream(ctx, want.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		ch.Action = "create"
		return ch, nil
	}
	if err != nil {
		return ch, fmt.Errorf("bus: %s %s: %w", kind, name, err)
	}
	have := s.CachedInfo().Config
	if kind == "bucket" {
		want.Subjects, want.Retention, want.Duplicates = nil, have.Retention, 0
		have.Subjects = nil
	}
	if ch.Diffs = streamDiff(have, want); len(ch.Diffs) > 0 {
		ch.Action = "update"
		if have.Storage != want.Storage {
			return ch, fmt.Errorf("bus: %s %s: storage is %v on the server and %v in the config; the server cannot change it in place", kind, name, have.Storage, want.Storage)
		}
	}
	return ch, nil
}

// streamDiff lists the settings newsdesk declares that differ, as
// "setting server → config".
func streamDiff(have, want jetstream.StreamConfig) []string {
	var d []string
	add := func(name string, h, w any) { d = append(d, fmt.Sprintf("%s %v → %v", name, h, w)) }
	if !sameSet(have.Subjects, want.Subjects) {
		add("subjects", have.Subjects, want.Subjects)
	}
	if have.Retention != want.Retention {
		add("retention", have.Retention, want.Retention)
	}
	if have.Storage != want.Storage {
		add("storage", have.Storage, want.Storage)
	}
	if have.MaxAge != want.MaxAge {
		add("max_age", have.MaxAge, want.MaxAge)
	}
	if unlimited(have.MaxMsgSize) != unlimited(want.MaxMsgSize) {
		add("max_msg_size", have.MaxMsgSize, want.MaxMsgSize)
	}
	if unlimited(have.MaxMsgsPerSubject) != unlimited(want.MaxMsgsPerSubject) {
		add("max_msgs_per_subject", have.MaxMsgsPerSubject, want.MaxMsgsPerSubject)
	}
	if want.Duplicates > 0 && have.Duplicates != want.Duplicates {
		add("duplicate_window", have.Duplicates, want.Duplicates)
	}
	if max(have.Replicas, 1) != max(want.Replicas, 1) {
		add("replicas", max(have.Replicas, 1), max(want.Replicas, 1))
	}
	hc, ht := placementOf(have.Placement)
	wc, wt := placementOf(want.Placement)
	if (wc != "" && hc != wc) || !sameSet(ht, wt) {
		add("placement", fmt.Sprintf("%s%v", hc, ht), fmt.Sprintf("%s%v", wc, wt))
	}
	return d
}

func placementOf(p *jetstream.Placement) (string, []string) {
	if p == nil {
		return "", nil
	}
	return p.Cluster, p.Tags
}

// unlimited maps the server's "no limit" spellings (0, -1) onto one.
func unlimited[T int32 | int64](n T) T {
	if n <= 0 {
		return -1
	}
	return n
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// declare brings streams and buckets to the config and logs what changed.
func (b *Bus) declare(ctx context.Context) error {
	changes, err := b.setup(ctx, nil, false)
	for _, ch := range changes {
		switch ch.Action {
		case "":
		case "create":
			// A new store creates every stream and bucket: a dozen lines a
			// first-time user need not read.
			b.log.Debug("declared", "kind", ch.Kind, "name", ch.Name, "action", ch.Action)
		default:
			b.log.Info("declared", "kind", ch.Kind, "name", ch.Name, "action", ch.Action, "diffs", ch.Diffs)
		}
	}
	return err
}

// setupHint ends a binding process's complaint about the layout.
const setupHint = "run `newsdesk setup` with this config (it declares streams, buckets and consumers)"

// bind checks every stream and bucket against the config and keeps the
// bucket handles; it reports everything missing or different at once.
func (b *Bus) bind(ctx context.Context) error {
	var problems []string
	for _, sc := range b.streamConfigs() {
		ch, err := b.plan(ctx, "stream", sc.Name, sc)
		if err != nil {
			return err
		}
		problems = append(problems, ch.problem()...)
	}
	for _, bk := range b.buckets() {
		ch, err := b.plan(ctx, "bucket", bk.name, kvWant(b.bucketConfig(bk)))
		if err != nil {
			return err
		}
		if ch.Action == "create" {
			problems = append(problems, ch.problem()...)
			continue
		}
		problems = append(problems, ch.problem()...)
		kv, err := b.js.KeyValue(ctx, bk.name)
		if err != nil {
			return fmt.Errorf("bus: bucket %s: %w", bk.name, err)
		}
		*bk.dst = &KV{kv: kv}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s; %s", ErrLayout, strings.Join(problems, "; "), setupHint)
	}
	return nil
}

// ErrLayout says the streams, buckets or consumers on the server are not
// what this config needs: run newsdesk setup. Waiting does not help.
var ErrLayout = errors.New("bus: the NATS layout is not this config's")

// problem describes a change a binding process would need.
func (c Change) problem() []string {
	switch c.Action {
	case "create":
		return []string{fmt.Sprintf("%s %s is missing", c.Kind, c.Name)}
	case "update":
		return []string{fmt.Sprintf("%s %s differs (server → config: %s)", c.Kind, c.Name, strings.Join(c.Diffs, ", "))}
	}
	return nil
}
