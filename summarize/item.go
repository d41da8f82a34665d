package summarize

import (
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/cluster"
)

// item is one article prepared for clustering and ranking.
type item struct {
	a    news.Article
	when time.Time
	doc  *cluster.Doc
}

func (it *item) lang() string { return it.a.Language }

// newItem extracts, with the batch's extractor, the features clustering
// reads from title and lead.
func (s *Stage) newItem(ex *cluster.Extractor, a news.Article) *item {
	body := lead(a.Text, s.cfg.Cluster.MaxLeadChars)
	if body == "" {
		body = normalizeSpace(a.Description)
	}
	when := articleTime(a)
	doc := ex.Doc(cluster.Article{Language: a.Language, Time: when, Title: normalizeSpace(a.Title), Body: body})
	return &item{a: a, when: when, doc: doc}
}

// when an article happened: published, else fetched.
func articleTime(a news.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FetchedAt
}
