package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/ingest/extract"
	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
)

// minDetectRunes is the text length from which the detector's verdict
// beats the page's declared language.
const minDetectRunes = 200

// Process turns one feed item into an article: robots.txt check, page
// fetch, extraction, language detection and topic scoring. It does not
// publish and does not look at the seen gate; the caller decides by
// Relevance. firstSeen stands in for a missing published date.
//
// When the page cannot be had for good (404, robots.txt disallow, too
// large, no article in it) and the item's description, or the page's own
// when the page was too short to be an article (see standIn), has at
// least min_description_chars, that description becomes the text. Errors are
// permanent (isPermanent) or transient (retry on a later poll).
func (s *Stage) Process(ctx context.Context, feed FeedConfig, item FeedItem, firstSeen time.Time) (*news.Article, error) {
	item.finish()
	if item.Link == "" {
		return nil, permanent(fmt.Errorf("feed %s: item %q has no usable link", feed.ID, item.ID))
	}
	page, err := url.Parse(item.Link)
	if err != nil {
		return nil, permanent(fmt.Errorf("feed %s: item link %q: %w", feed.ID, item.Link, err))
	}
	art := &news.Article{
		Schema:      news.ArticleSchema,
		URL:         item.Link,
		FeedURL:     feed.URL,
		Source:      feed.ID,
		Outlet:      feed.Name,
		Title:       item.Title,
		Authors:     item.Authors,
		Published:   item.Published,
		FetchedAt:   s.clock.Now().UTC(),
		Description: clip.Bytes(item.Description, s.cfg.MaxDescriptionBytes),
	}
	declared := ""
	pageErr := s.fetchArticle(ctx, feed, page, art, &declared)
	if pageErr != nil {
		if !isPermanent(pageErr) {
			return nil, pageErr
		}
		desc, from := standIn(item.Description, pageErr)
		if n := utf8.RuneCountInString(desc); n < s.cfg.MinDescriptionChars {
			return nil, fmt.Errorf("page unusable and description too short (%d < %d chars): %w", n, s.cfg.MinDescriptionChars, pageErr)
		}
		s.log.Info("page unusable, using a description", "feed_id", feed.ID, "url", item.Link, "description_from", from, "err", pageErr)
		art.Text = clip.Bytes(desc, s.cfg.MaxDescriptionBytes)
	}
	if art.Title == "" {
		art.Title = clip.Bytes(firstLine(art.Text), 200)
	}
	if art.Published.IsZero() {
		art.Published = firstSeen.UTC()
	}
	key := art.CanonicalURL
	if key == "" {
		key = StripTracking(item.Link)
	}
	art.ID = news.ArticleID(key)
	art.Language = pickLanguage(art.Title, art.Text, declared, item.Language, feed.Language)
	body := art.Text
	if art.Description != art.Text {
		body = art.Description + "\n\n" + art.Text
	}
	art.Relevance, art.Terms = s.profile.Score(art.Title, body, art.Language)
	return art, nil
}

// standIn picks the text that stands in for an unusable page: the feed
// item's description, or the page's own description when the page was
// there but too short to be an article (a video or a picture page,
// extract.ShortError) and its description is the longer. from says which
// ("feed" or "page").
func standIn(feedDesc string, pageErr error) (desc, from string) {
	var short *extract.ShortError
	if errors.As(pageErr, &short) && utf8.RuneCountInString(short.Description) > utf8.RuneCountInString(feedDesc) {
		return short.Description, "page"
	}
	return feedDesc, "feed"
}

// fetchArticle fetches and extracts the page into art. declared receives
// the page's own language declaration.
func (s *Stage) fetchArticle(ctx context.Context, feed FeedConfig, page *url.URL, art *news.Article, declared *string) error {
	if *s.cfg.RespectRobots {
		if err := s.robots.check(ctx, page); err != nil {
			return err
		}
	}
	resp, err := s.fetcher.fetch(ctx, fetchRequest{
		URL:      page.String(),
		Kind:     "page",
		Accept:   "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
		MaxBytes: s.cfg.MaxPageBytes,
		CapName:  "max_page_bytes",
		TextOnly: true,
	})
	if err != nil {
		return err
	}
	final, err := url.Parse(resp.FinalURL)
	if err != nil {
		final = page
	}
	art.URL = StripTracking(final.String())
	res, err := s.extractor.Extract(resp.Body, final, resp.Header.Get("Content-Type"))
	if err != nil {
		if errors.Is(err, extract.ErrNoArticle) {
			return permanent(fmt.Errorf("%s: %w", art.URL, err))
		}
		return permanent(fmt.Errorf("extract %s: %w", art.URL, err))
	}
	if strings.TrimSpace(res.Text) == "" {
		return permanent(fmt.Errorf("%s: extractor returned no text", art.URL))
	}
	art.Text = capText(res.Text, s.cfg.MaxTextBytes)
	art.Truncated = res.Truncated || len(art.Text) < len(res.Text)
	if art.Title == "" {
		art.Title = res.Title
	}
	art.CanonicalURL = canonicalFor(res.CanonicalURL, final, feed.CanonicalDomains)
	if art.CanonicalURL == "" && strings.TrimSpace(res.CanonicalURL) != "" {
		s.log.Info("ignoring a canonical URL on another domain", "feed_id", feed.ID, "url", art.URL, "canonical_url", res.CanonicalURL)
	}
	if len(art.Authors) == 0 {
		art.Authors = res.Authors
	}
	if art.Published.IsZero() {
		art.Published = res.Published
	}
	art.Modified = res.Modified
	art.SiteName, art.Image, art.Paywalled = res.SiteName, res.Image, res.Paywalled
	if site := strings.TrimSpace(res.SiteName); site != "" && len(site) <= maxOutletName {
		// The page names its publisher; a feed may list other outlets'
		// articles (aggregators, syndication), so credit the page's own.
		art.Outlet = site
	}
	*declared = res.Language
	return nil
}

// maxOutletName caps a site name taken from a page as the outlet's name.
const maxOutletName = 80

// pickLanguage trusts the detector on enough text, then the page's
// declaration, then the feed item's language, then the configured hint.
func pickLanguage(title, text, declared, itemLang, hint string) string {
	sample := title + "\n" + clip.Bytes(text, 4000)
	if det := lang.Detect(sample); det != lang.Undetermined && (utf8.RuneCountInString(sample) >= minDetectRunes || declared == "") {
		return det
	}
	for _, l := range []string{declared, itemLang, hint} {
		if n := normalizeLang(l); n != "" {
			return n
		}
	}
	if det := lang.Detect(sample); det != lang.Undetermined {
		return det
	}
	return lang.Undetermined
}

// capText cuts text to at most n bytes at a paragraph (else word) boundary.
func capText(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := clip.Bytes(text, n)
	if i := strings.LastIndex(cut, "\n\n"); i > n/2 {
		return strings.TrimSpace(cut[:i])
	}
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		return strings.TrimSpace(cut[:i])
	}
	return cut
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
