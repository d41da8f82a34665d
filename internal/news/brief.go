package news

import "time"

// BriefSchema is the version tag of Brief records.
const BriefSchema = "newsdesk.brief/v1"

// Brief is a short summary of one article in one language. summarize caches
// briefs in the "briefs" KV bucket keyed by content hash, model and prompt
// version, so each article is summarized at most once per language.
type Brief struct {
	Schema    string    `json:"schema"`
	ArticleID string    `json:"article_id"`
	Language  string    `json:"language"` // language of Text
	Headline  string    `json:"headline"`
	Text      string    `json:"text"`
	Generator string    `json:"generator"` // "llm:<model>" or "extractive"
	Usage     Usage     `json:"usage,omitzero"`
	CreatedAt time.Time `json:"created_at"`
}
