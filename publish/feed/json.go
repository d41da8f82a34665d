package feed

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"time"
)

// JSONFeedVersion is the version URL of JSON Feed 1.1.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonDoc struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Hubs        []jsonHub    `json:"hubs,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonHub struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url,omitempty"`
	Title         string       `json:"title,omitempty"`
	ContentHTML   string       `json:"content_html,omitempty"`
	ContentText   string       `json:"content_text,omitempty"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published,omitempty"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Language      string       `json:"language,omitempty"`
}

// JSON renders a JSON Feed 1.1 document with language and authors.
func JSON(ch Channel, self string, items []Item) ([]byte, error) {
	doc := jsonDoc{
		Version:     JSONFeedVersion,
		Title:       ch.Title,
		HomePageURL: ch.HomeURL,
		FeedURL:     self,
		Description: ch.Description,
		Language:    ch.Language,
		Items:       []jsonItem{},
	}
	if ch.Author != "" {
		doc.Authors = []jsonAuthor{{Name: ch.Author}}
	}
	if ch.Hub != "" {
		doc.Hubs = []jsonHub{{Type: "WebSub", URL: ch.Hub}}
	}
	for _, it := range items {
		ji := jsonItem{
			ID:            it.ID,
			URL:           it.URL,
			Title:         it.Title,
			ContentHTML:   it.ContentHTML,
			Summary:       it.Summary,
			DatePublished: it.Published.Format(time.RFC3339),
			DateModified:  it.updated().Format(time.RFC3339),
			Language:      ch.Language,
		}
		if ji.ContentHTML == "" {
			// JSON Feed requires content_html or content_text.
			ji.ContentText = cmp.Or(it.Summary, it.Title, it.ID, "-")
		}
		if it.Author != "" {
			ji.Authors = []jsonAuthor{{Name: it.Author}}
		}
		doc.Items = append(doc.Items, ji)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feed: encoding json: %w", err)
	}
	return b.Bytes(), nil
}
