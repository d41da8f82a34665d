package publish

import (
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/feed"
	"github.com/newsdesk/newsdesk/publish/render"
)

// url joins a path to base_url.
func (s *Stage) url(path string) string { return s.base.String() + path }

func (s *Stage) siteTitle(lang string) string {
	if t, ok := s.cfg.SiteTitle[lang]; ok {
		return t
	}
	return "newsdesk (" + lang + ")"
}

func archivePath(lang string) string      { return "/archive/" + lang + "/" }
func digestPath(lang, slug string) string { return "/archive/" + lang + "/" + slug + ".html" }
func feedPath(lang, ext string) string    { return "/feeds/" + lang + "." + ext }
func latestJSONPath(lang string) string   { return "/digests/" + lang + ".json" }

func (s *Stage) feedLinks(lang string) []feedLink {
	return []feedLink{
		{Type: "application/rss+xml", Title: "RSS", URL: s.url(feedPath(lang, "xml"))},
		{Type: "application/atom+xml", Title: "Atom", URL: s.url(feedPath(lang, "atom"))},
		{Type: "application/feed+json", Title: "JSON Feed", URL: s.url(feedPath(lang, "json"))},
	}
}

// renderLang renders a language's feeds, latest-digest JSON and archive
// index, plus the archive page of one slot (onlySlug) or of every digest
// (onlySlug == ""). Rendering is deterministic: the same digests give the
// same bytes, so ETags and Last-Modified only move when content does.
func (s *Stage) renderLang(lang, onlySlug string) error {
	s.renderMu.Lock()
	defer s.renderMu.Unlock()
	all := s.lib.newest(lang)
	items := make([]feed.Item, 0, min(len(all), s.cfg.FeedItems))
	var list []listItem
	var mod time.Time
	for i, d := range all {
		v := render.Build(d, s.cfg.Limits, s.lang(lang))
		sl := slug(d)
		pub := published(d)
		if pub.After(mod) {
			mod = pub
		}
		list = append(list, listItem{Title: v.Title, Date: v.Date, URL: s.url(digestPath(lang, sl))})
		needPage := onlySlug == "" || onlySlug == sl
		if i >= s.cfg.FeedItems && !needPage {
			continue
		}
		body, err := render.Fragment(v)
		if err != nil {
			s.met.renderErrors.Inc()
			return fmt.Errorf("publish: %w", err)
		}
		if needPage {
			if err := s.writeDigestPage(lang, sl, v, body, pub); err != nil {
				return err
			}
		}
		if i < s.cfg.FeedItems {
			items = append(items, feed.Item{
				ID:          d.ID,
				Title:       v.Title,
				URL:         s.url(digestPath(lang, sl)),
				Date:        v.Date,
				Published:   pub,
				Updated:     pub,
				Summary:     summaryText(v),
				ContentHTML: body,
				Author:      s.cfg.SiteAuthor,
			})
		}
	}
	if err := s.writeFeeds(lang, items); err != nil {
		return err
	}
	if len(all) > 0 {
		data, err := json.MarshalIndent(all[0], "", "  ")
		if err != nil {
			return fmt.Errorf("publish: encoding latest digest: %w", err)
		}
		if err := s.site.put("digests/"+lang+".json", append(data, '\n'), "application/json", published(all[0])); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	page, err := renderPage("archive", archivePage{
		pageBase:   s.pageBase(lang, s.siteTitle(lang)),
		Items:      list,
		ArchiveURL: s.url(archivePath(lang)),
	})
	if err != nil {
		s.met.renderErrors.Inc()
		return fmt.Errorf("publish: %w", err)
	}
	if mod.IsZero() {
		mod = time.Unix(0, 0)
	}
	if err := s.site.put("archive/"+lang+"/index.html", page, "text/html; charset=utf-8", mod); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// summaryText is the plain-text description of a digest in feeds: the
// overview, or the headlines when there is none.
func summaryText(v render.View) string {
	if len(v.Overview) > 0 {
		return render.CleanText(v.Overview[0], 600)
	}
	out := ""
	for i, st := range v.Stories {
		if i > 0 {
			out += " · "
		}
		out += st.Headline
		if len(out) > 600 {
			break
		}
	}
	return render.CleanText(out, 600)
}

func (s *Stage) pageBase(lang, title string) pageBase {
	return pageBase{
		Lang:     lang,
		L:        s.lang(lang),
		Title:    title,
		SiteName: s.siteTitle(lang),
		Home:     s.url("/"),
		Feeds:    s.feedLinks(lang),
	}
}

func (s *Stage) writeDigestPage(lang, sl string, v render.View, body string, mod time.Time) error {
	page, err := renderPage("digest", digestPage{
		pageBase:   s.pageBase(lang, v.Title),
		View:       v,
		Body:       template.HTML(body), // output of html/template (render.Fragment)
		ArchiveURL: s.url(archivePath(lang)),
	})
	if err != nil {
		s.met.renderErrors.Inc()
		return fmt.Errorf("publish: %w", err)
	}
	if err := s.site.put("archive/"+lang+"/"+sl+".html", page, "text/html; charset=utf-8", mod); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

func (s *Stage) writeFeeds(lang string, items []feed.Item) error {
	ch := feed.Channel{
		Title:       s.siteTitle(lang),
		Description: s.siteTitle(lang),
		Language:    lang,
		HomeURL:     s.url(archivePath(lang)),
		Authority:   s.base.Hostname(),
		Author:      s.cfg.SiteAuthor,
		Generator:   "newsdesk",
		Hub:         s.cfg.WebSubHub,
	}
	mod := feed.LastModified(items)
	for _, f := range []struct {
		ext, ctype string
		enc        func(feed.Channel, string, []feed.Item) ([]byte, error)
	}{
		{"xml", feed.ContentTypeRSS, feed.RSS},
		{"atom", feed.ContentTypeAtom, feed.Atom},
		{"json", feed.ContentTypeJSON, feed.JSON},
	} {
		body, err := f.enc(ch, s.url(feedPath(lang, f.ext)), items)
		if err != nil {
			s.met.renderErrors.Inc()
			return fmt.Errorf("publish: %s feed: %w", f.ext, err)
		}
		if err := s.site.put("feeds/"+lang+"."+f.ext, body, f.ctype, mod); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	return nil
}

// digestTitle is a digest's title in lists, with the slot of an edition
// that runs several times a day.
func digestTitle(d news.Digest) string {
	t := render.CleanText(d.Title, render.DefaultMaxTitleRunes)
	if t == "" {
		t = render.CleanText(d.Date, 32)
	}
	if slot := render.CleanText(d.Slot, 8); slot != "" {
		t += " · " + slot
	}
	return t
}
