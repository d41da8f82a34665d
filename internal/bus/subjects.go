package bus

import (
	"strings"
)

// Stream names.
const (
	StreamArticles = "ARTICLES"
	StreamDigests  = "DIGESTS"
	StreamDLQ      = "DLQ"
	// StreamPublished holds publish's events: a digest is out on the web.
	StreamPublished = "PUBLISHED"
	// StreamSignups is publish's queue of subscription requests (work
	// queue: a request is gone once handled).
	StreamSignups = "SIGNUPS"
)

// KV bucket names.
const (
	BucketSeen        = "seen"
	BucketFeedState   = "feed_state"
	BucketBriefs      = "briefs"
	BucketEditions    = "editions"
	BucketSubscribers = "subscribers"
	BucketDeliveries  = "deliveries"
	BucketHosts       = "hosts"
	BucketMembers     = "ingest_members"
)

// Subject roots.
const (
	SubjectArticles  = "news.article.>"
	SubjectDigests   = "news.digest.>"
	SubjectDLQ       = "news.dlq.>"
	SubjectPublished = "news.published.>"
	SubjectSignups   = "news.signup.>"
	// SignupSubject is where the subscription form's requests are queued.
	SignupSubject = "news.signup.request"
)

// Header names. Headers starting with "Nats-" are reserved by NATS.
const (
	HeaderSchema = "News-Schema"
	HeaderLang   = "News-Lang"
	HeaderSource = "News-Source"
	HeaderError  = "News-Error"
	HeaderStage  = "News-Stage"
)

// ArticleSubject is news.article.<lang>.<source>.
func ArticleSubject(lang, source string) string {
	return "news.article." + Token(lang) + "." + Token(source)
}

// DigestSubject is news.digest.<edition>.<lang>.
func DigestSubject(edition, lang string) string {
	return "news.digest." + Token(edition) + "." + Token(lang)
}

// PublishedSubject is news.published.<edition>.<lang>.
func PublishedSubject(edition, lang string) string {
	return "news.published." + Token(edition) + "." + Token(lang)
}

// DLQSubject is news.dlq.<stage>.
func DLQSubject(stage string) string { return "news.dlq." + Token(stage) }

// Token maps any string onto a safe subject token: lower case a-z, 0-9, '-'
// and '_'; dots and everything else become '-' ("spiegel.de" →
// "spiegel-de"). An empty result is "unknown".
func Token(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	t := strings.Trim(b.String(), "-")
	if t == "" {
		return "unknown"
	}
	if len(t) > 64 {
		t = t[:64]
	}
	return t
}
