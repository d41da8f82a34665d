// Package bus is newsdesk's one place for NATS: subject names, stream,
// consumer and KV bucket declarations, publishing with deterministic message
// ids, and a consume loop that maps a handler's verdict onto JetStream acks.
//
// The same code runs against the embedded server (package natsembed, reached
// in-process) and against an external NATS cluster; only the *nats.Conn
// differs. The package never imports nats-server.
//
// Layout (see docs/nats.md):
//
//	ARTICLES  news.article.<lang>.<source>   Limits, MaxAge 7d, dedupe 1h
//	DIGESTS   news.digest.<edition>.<lang>   Limits, MaxAge 90d, 200/subject
//	PUBLISHED news.published.<edition>.<lang> Limits, MaxAge 90d, dedupe 1h
//	SIGNUPS   news.signup.request            WorkQueue, MaxAge 72h
//	DLQ       news.dlq.<stage>               Limits, MaxAge 30d
//
// KV buckets: seen (first-seen gate for feed items), feed_state (ETag,
// Last-Modified, next poll), briefs (summary cache), editions (edition locks
// and story memory), subscribers and deliveries (publish), hosts (per-host
// politeness shared by ingest processes) and ingest_members (heartbeats of
// ingest processes, which split the feeds).
package bus
