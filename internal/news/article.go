package news

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// ArticleSchema is the version tag of Article messages.
const ArticleSchema = "newsdesk.article/v1"

// Article is one fetched, extracted and scored news article. ingest
// publishes it once to news.article.<lang>.<source>; its ID is the
// JetStream message id, so re-polls and restarts never duplicate it.
type Article struct {
	Schema       string    `json:"schema"`
	ID           string    `json:"id"`            // ArticleID(canonical URL)
	URL          string    `json:"url"`           // the link as the feed gave it (after redirects)
	CanonicalURL string    `json:"canonical_url"` // rel=canonical / og:url when the page has one
	FeedURL      string    `json:"feed_url"`
	Source       string    `json:"source"` // outlet id from config, a subject token: "heise", "cnbc"
	Outlet       string    `json:"outlet"` // display name: "heise online"
	Title        string    `json:"title"`
	Authors      []string  `json:"authors,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	FetchedAt    time.Time `json:"fetched_at"`
	Language     string    `json:"language"`              // "de", "en", other ISO 639-1 code, or "und"
	Text         string    `json:"text"`                  // main text; paragraphs separated by "\n\n"
	Description  string    `json:"description,omitempty"` // the feed item's summary, plain text
	SiteName     string    `json:"site_name,omitempty"`
	Image        string    `json:"image,omitempty"`
	Paywalled    bool      `json:"paywalled,omitempty"`
	Truncated    bool      `json:"truncated,omitempty"` // Text stops early: a paywall after the teaser, or the size caps
	Relevance    float64   `json:"relevance"`           // topic score, see ingest/topic
	Terms        []string  `json:"terms,omitempty"`     // topic terms that matched
}

// ArticleID derives the stable id of an article from its canonical URL (or,
// when a page has none, from feed URL + GUID). It is a valid NATS message id
// and KV key.
func ArticleID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "a-" + hex.EncodeToString(sum[:16])
}

// Validate reports whether a decoded Article is usable by the stages.
func (a *Article) Validate() error {
	var errs []error
	if a.Schema != ArticleSchema {
		errs = append(errs, fmt.Errorf("schema %q, want %q", a.Schema, ArticleSchema))
	}
	if a.ID == "" {
		errs = append(errs, errors.New("missing id"))
	}
	if a.URL == "" {
		errs = append(errs, errors.New("missing url"))
	}
	if a.Language == "" {
		errs = append(errs, errors.New("missing language"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("article %s: %w", a.ID, err)
	}
	return nil
}
