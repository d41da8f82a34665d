package news

import "time"

// PublishedSchema is the version tag of Published messages.
const PublishedSchema = "newsdesk.published/v1"

// Published says that a digest revision is out: its archive page and feeds
// carry it. publish sends it to news.published.<edition>.<lang> (message id
// = the digest's MsgID) and, with the whole digest in Digest, to webhooks.
type Published struct {
	Schema   string `json:"schema"`
	DigestID string `json:"digest_id"`
	Revision int    `json:"revision"`
	Edition  string `json:"edition"`
	Date     string `json:"date"`
	Slot     string `json:"slot,omitempty"`
	Language string `json:"language"`
	// Title is the edition's title as readers see it in mail subjects and
	// feeds: name, date and lead story.
	Title   string `json:"title"`
	Stories int    `json:"stories"`
	// ArchiveURL is the digest's page; Feeds the language's feeds by
	// format ("rss", "atom", "json").
	ArchiveURL  string            `json:"archive_url"`
	Feeds       map[string]string `json:"feeds"`
	PublishedAt time.Time         `json:"published_at"`
	// Digest is the digest itself: set in webhook payloads, left out on
	// NATS (subscribers read it from news.digest.>).
	Digest *Digest `json:"digest,omitempty"`
}
