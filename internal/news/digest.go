package news

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// DigestSchema is the version tag of Digest messages.
const DigestSchema = "newsdesk.digest/v1"

// Digest is one edition's digest in one language. summarize publishes it to
// news.digest.<edition>.<lang> with message id Digest.ID; publish and any
// program subscribed to the subject consume it.
type Digest struct {
	Schema  string `json:"schema"`
	ID      string `json:"id"`      // DigestSlotID(edition, date, slot, lang, promptVersion)
	Edition string `json:"edition"` // edition name from config: "daily"
	Date    string `json:"date"`    // edition date in the edition's time zone: "2026-11-29"
	// Slot is the scheduled local time ("19:00") of an edition that runs
	// several times a day; empty for an edition that runs once a day. Each
	// slot is an edition of its own: its own id, archive page, feed item
	// and mail.
	Slot string `json:"slot,omitempty"`
	// Revision counts publications of this id: 1 for the first; a later
	// run in the same slot (the first one had no stories, or an operator
	// recomposed it) publishes revision 2 and so on, which replaces the
	// earlier one in feeds and archive. Subscribers who were mailed an
	// earlier revision are not mailed again.
	Revision  int       `json:"revision,omitempty"`
	Language  string    `json:"language"` // "de" or "en"
	Title     string    `json:"title"`
	Overview  string    `json:"overview"`
	Stories   []Story   `json:"stories"`
	CreatedAt time.Time `json:"created_at"`
	// Generator says who wrote the text: "llm:<model>" or "extractive".
	Generator string `json:"generator"`
	// Notes tell the reader about degraded editions, e.g. that the LLM was
	// unavailable and extractive summaries were used instead.
	Notes []string `json:"notes,omitempty"`
	Usage Usage    `json:"usage,omitzero"`
}

// Story is one news story, told once however many outlets carried it.
// Every language of an edition carries the same stories under the same
// ids; a story no source reported in the digest's language is told in its
// source's language (Language says which), or by headline and link only.
type Story struct {
	ID       string `json:"id"` // stable cluster id, the same in every language
	Headline string `json:"headline"`
	Summary  string `json:"summary"` // may carry [n] citations, n indexing Sources from 1; may be empty
	// Language is the language Headline and Summary are written in: the
	// digest's, or for a story without a source in it, the source's. Empty
	// in digests written before the field existed: the digest's language.
	Language string   `json:"language,omitempty"`
	Sources  []Source `json:"sources"`
	// Update marks a story that continues one from an earlier edition.
	Update bool `json:"update,omitempty"`
}

// Source is one article a story draws on.
type Source struct {
	Outlet   string `json:"outlet"`
	Title    string `json:"title"`
	URL      string `json:"url"`
	Language string `json:"language"`
}

// Usage counts LLM tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	ReasoningTokens  int `json:"reasoning_tokens,omitempty"`
	Calls            int `json:"calls"`
}

// Add returns the sum of two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		PromptTokens:     u.PromptTokens + v.PromptTokens,
		CompletionTokens: u.CompletionTokens + v.CompletionTokens,
		ReasoningTokens:  u.ReasoningTokens + v.ReasoningTokens,
		Calls:            u.Calls + v.Calls,
	}
}

// Total is prompt plus completion tokens.
func (u Usage) Total() int { return u.PromptTokens + u.CompletionTokens }

// DigestID is the stable id of the digest of an edition that runs once a
// day: the same edition, date, language and prompt version always give the
// same id.
func DigestID(edition, date, lang, promptVersion string) string {
	return DigestSlotID(edition, date, "", lang, promptVersion)
}

// DigestSlotID is the stable id of a digest of one edition slot. slot is
// the scheduled local time ("19:00") of an edition that runs several times
// a day, or "" for one that runs once a day (whose ids keep the shorter
// form): "digest:daily:2026-11-29T1900:en:p1".
func DigestSlotID(edition, date, slot, lang, promptVersion string) string {
	if slot != "" {
		date += "T" + strings.ReplaceAll(slot, ":", "")
	}
	return fmt.Sprintf("digest:%s:%s:%s:%s", edition, date, lang, promptVersion)
}

// MsgID is the JetStream message id of a digest: its id and revision. A
// retried publish of the same revision is dropped by the duplicate window;
// a new revision of the same id is not.
func (d *Digest) MsgID() string {
	return fmt.Sprintf("%s#r%d", d.ID, max(d.Revision, 1))
}

// langCodeRE is the form of a language code: "de", "pt-BR".
var langCodeRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// slotRE is the form of Digest.Slot: it becomes part of archive file names.
var slotRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// TextLanguage is the language a story's headline and summary are in.
func (s Story) TextLanguage(digest string) string {
	if s.Language != "" {
		return s.Language
	}
	return digest
}

// Validate reports whether a decoded Digest is usable.
func (d *Digest) Validate() error {
	var errs []error
	if d.Schema != DigestSchema {
		errs = append(errs, fmt.Errorf("schema %q, want %q", d.Schema, DigestSchema))
	}
	if d.ID == "" || d.Edition == "" || d.Date == "" {
		errs = append(errs, errors.New("missing id, edition or date"))
	}
	if d.Language == "" {
		errs = append(errs, errors.New("missing language"))
	}
	if d.Slot != "" && !slotRE.MatchString(d.Slot) {
		errs = append(errs, fmt.Errorf("slot %q: want HH:MM", d.Slot))
	}
	if d.Revision < 0 {
		errs = append(errs, fmt.Errorf("revision %d is negative", d.Revision))
	}
	for i, s := range d.Stories {
		if len(s.Sources) == 0 {
			errs = append(errs, fmt.Errorf("story %d has no sources", i))
		}
		if s.Language != "" && !langCodeRE.MatchString(s.Language) {
			errs = append(errs, fmt.Errorf("story %d: language %q is not a language code", i, s.Language))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("digest %s: %w", d.ID, err)
	}
	return nil
}
