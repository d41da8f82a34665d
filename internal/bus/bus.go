package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Bus is a connection to JetStream with newsdesk's streams and buckets
// declared. It is safe for concurrent use. The caller owns the *nats.Conn.
type Bus struct {
	NC  *nats.Conn
	JS  jetstream.JetStream
	cfg Config
	log *slog.Logger

	Seen        jetstream.KeyValue
	FeedState   jetstream.KeyValue
	Briefs      jetstream.KeyValue
	Editions    jetstream.KeyValue
	Subscribers jetstream.KeyValue
	Deliveries  jetstream.KeyValue
	// Hosts holds per-host politeness (next request slot, Retry-After
	// back-off, Crawl-delay), shared by every ingest process.
	Hosts jetstream.KeyValue
	// Members holds one heartbeat per running ingest process, so the
	// processes can split the feeds between them.
	Members jetstream.KeyValue
}

// Open declares the streams and KV buckets (idempotently: CreateOrUpdate) and
// returns a ready Bus. cfg must be defaulted.
func Open(ctx context.Context, nc *nats.Conn, cfg Config, log *slog.Logger) (*Bus, error) {
	if log == nil {
		log = slog.Default()
	}
	js, err := jetstream.New(nc, jetstream.WithDefaultTimeout(cfg.RequestTimeout))
	if err != nil {
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b := &Bus{NC: nc, JS: js, cfg: cfg, log: log}
	if err := b.declare(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// Streams returns the stream declarations, so the README and tests can list
// them from the one place they are defined.
func (b *Bus) Streams() []jetstream.StreamConfig { return streamConfigs(b.cfg) }

func streamConfigs(cfg Config) []jetstream.StreamConfig {
	return []jetstream.StreamConfig{
		{
			Name:        StreamArticles,
			Description: "extracted, scored articles from ingest",
			Subjects:    []string{SubjectArticles},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.ArticleMaxAge,
			MaxMsgSize:  cfg.ArticleMaxBytes,
			Duplicates:  cfg.DuplicateWindow,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
		},
		{
			Name:              StreamDigests,
			Description:       "edition digests per language",
			Subjects:          []string{SubjectDigests},
			Retention:         jetstream.LimitsPolicy,
			MaxAge:            cfg.DigestMaxAge,
			MaxMsgsPerSubject: cfg.DigestsPerSubj,
			MaxMsgSize:        cfg.DigestMaxBytes,
			Duplicates:        cfg.DuplicateWindow,
			Storage:           jetstream.FileStorage,
			Replicas:          cfg.Replicas,
		},
		{
			Name:        StreamPublished,
			Description: "publish's events: a digest revision is out on the web, with its links",
			Subjects:    []string{SubjectPublished},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.DigestMaxAge,
			MaxMsgSize:  cfg.DigestMaxBytes,
			Duplicates:  cfg.DuplicateWindow,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
		},
		{
			Name:        StreamDLQ,
			Description: "poison messages and exhausted retries, with the error in News-Error",
			Subjects:    []string{SubjectDLQ},
			Retention:   jetstream.LimitsPolicy,
			MaxAge:      cfg.DLQMaxAge,
			Storage:     jetstream.FileStorage,
			Replicas:    cfg.Replicas,
		},
	}
}

func (b *Bus) declare(ctx context.Context) error {
	for _, sc := range streamConfigs(b.cfg) {
		if _, err := b.JS.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("bus: declaring stream %s: %w", sc.Name, err)
		}
	}
	buckets := []struct {
		dst  *jetstream.KeyValue
		name string
		ttl  time.Duration
		desc string
	}{
		{&b.Seen, BucketSeen, b.cfg.SeenTTL, "first-seen gate for feed items"},
		{&b.FeedState, BucketFeedState, 0, "per-feed ETag, Last-Modified, next poll, errors"},
		{&b.Briefs, BucketBriefs, 0, "article briefs by content hash, model and prompt version"},
		{&b.Editions, BucketEditions, 0, "edition locks and story memory"},
		{&b.Subscribers, BucketSubscribers, 0, "newsletter subscribers and consent records"},
		{&b.Deliveries, BucketDeliveries, b.cfg.DeliveriesTTL, "which digest went to which subscriber"},
		{&b.Hosts, BucketHosts, b.cfg.HostStateTTL, "per-host politeness shared by ingest processes: next request slot, Retry-After back-off"},
		{&b.Members, BucketMembers, 0, "heartbeats of running ingest processes, which split the feeds between them"},
	}
	for _, bk := range buckets {
		kv, err := b.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      bk.name,
			Description: bk.desc,
			TTL:         bk.ttl,
			Storage:     jetstream.FileStorage,
			Replicas:    b.cfg.Replicas,
		})
		if err != nil {
			return fmt.Errorf("bus: declaring bucket %s: %w", bk.name, err)
		}
		*bk.dst = kv
	}
	return nil
}

// Publish sends v as JSON to subject with a message id, so a retried publish
// within the duplicate window is dropped by the server. It reports whether
// the server flagged the message a duplicate.
func (b *Bus) Publish(ctx context.Context, subject, msgID string, v any, headers map[string]string) (dup bool, err error) {
	data, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("bus: encoding %s: %w", msgID, err)
	}
	m := nats.NewMsg(subject)
	m.Data = data
	m.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		m.Header.Set(k, v)
	}
	ack, err := b.JS.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if err != nil {
		return false, fmt.Errorf("bus: publishing %s to %s: %w", msgID, subject, err)
	}
	return ack.Duplicate, nil
}

// ErrKeyExists is returned by CreateOnce when the key was already there.
var ErrKeyExists = jetstream.ErrKeyExists

// CreateOnce is the atomic "first seen" gate: it stores value under key only
// if the key does not exist, and returns ErrKeyExists otherwise.
func CreateOnce(ctx context.Context, kv jetstream.KeyValue, key string, value []byte) error {
	_, err := kv.Create(ctx, key, value)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return ErrKeyExists
	}
	return err
}

// IsConflict reports a lost compare-and-set on a KV key: Create found the
// key, or Update found a newer revision than the one it was given.
func IsConflict(err error) bool {
	var apiErr *jetstream.APIError
	return errors.Is(err, jetstream.ErrKeyExists) ||
		errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// GetJSON reads key from kv into v. It returns (false, nil) when the key does
// not exist.
func GetJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) (bool, error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bus: get %s/%s: %w", kv.Bucket(), key, err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return false, fmt.Errorf("bus: decoding %s/%s: %w", kv.Bucket(), key, err)
	}
	return true, nil
}

// PutJSON stores v as JSON under key.
func PutJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bus: encoding %s/%s: %w", kv.Bucket(), key, err)
	}
	if _, err := kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("bus: put %s/%s: %w", kv.Bucket(), key, err)
	}
	return nil
}
