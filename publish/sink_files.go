package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"sync"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/feed"
	"github.com/newsdesk/newsdesk/publish/render"
)

// files is the sink for what the stage serves and writes to out_dir: each
// language's feeds, latest-digest JSON, archive index and digest pages.
// It keeps no delivery record: every replica renders its own copy (the
// follower keeps the others current) and rebuilds it from the DIGESTS
// stream at start, so out_dir is a cache.
type files struct {
	*shared
	site *site
	lib  *library
	// mu serialises rendering a language's outputs.
	mu sync.Mutex
}

func newFiles(sh *shared) *files {
	return &files{shared: sh, site: newSite(sh.cfg.OutDir), lib: newLibrary()}
}

func (f *files) Name() string { return "files" }

// Deliver files d in the library and renders its language. It renders even
// when the library had the digest already (the follower may have filed
// it): rendering is deterministic and unchanged files keep their bytes and
// Last-Modified, so this only repairs, never churns.
func (f *files) Deliver(_ context.Context, d news.Digest) error {
	lang := digestLang(d)
	f.lib.add(lang, d)
	return f.render(lang, slug(d))
}

// current is the digest filed for d's slot: d itself, or a newer revision.
func (f *files) current(d news.Digest) news.Digest {
	k := slug(d)
	for _, x := range f.lib.newest(digestLang(d)) {
		if slug(x) == k {
			return x
		}
	}
	return d
}

// render renders a language's feeds, latest-digest JSON and archive
// index, plus the archive page of one slot (onlySlug) or of every digest
// (onlySlug == ""). Rendering is deterministic: the same digests give the
// same bytes, so ETags and Last-Modified only move when content does.
func (f *files) render(lang, onlySlug string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	all := f.lib.newest(lang)
	items := make([]feed.Item, 0, min(len(all), f.cfg.FeedItems))
	var list []listItem
	var mod time.Time
	for i, d := range all {
		v := render.Build(d, f.cfg.Limits, f.lang(lang))
		sl := slug(d)
		pub := published(d)
		if pub.After(mod) {
			mod = pub
		}
		list = append(list, listItem{Title: v.Title, Date: v.Date, URL: rel(archivePath(lang)).to(digestPath(lang, sl))})
		needPage := onlySlug == "" || onlySlug == sl
		if i >= f.cfg.FeedItems && !needPage {
			continue
		}
		body, err := render.Fragment(v)
		if err != nil {
			f.met.renderErrors.Inc()
			return fmt.Errorf("publish: %w", err)
		}
		if needPage {
			if err := f.writeDigestPage(lang, sl, v, body, pub); err != nil {
				return err
			}
		}
		if i < f.cfg.FeedItems {
			items = append(items, feed.Item{
				ID:          feedItemID(d),
				Title:       v.Title,
				URL:         f.url(digestPath(lang, sl)),
				Date:        v.Date,
				Published:   pub,
				Updated:     pub,
				Summary:     summaryText(v),
				ContentHTML: body,
				Author:      f.cfg.SiteAuthor,
			})
		}
	}
	if err := f.writeFeeds(lang, items); err != nil {
		return err
	}
	if len(all) > 0 {
		data, err := json.MarshalIndent(all[0], "", "  ")
		if err != nil {
			return fmt.Errorf("publish: encoding latest digest: %w", err)
		}
		if err := f.site.put("digests/"+lang+".json", append(data, '\n'), "application/json", published(all[0])); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	index := archivePath(lang) + "index.html"
	page, err := renderPage("archive", archivePage{
		pageBase:   f.pageBase(rel(index), lang, f.siteTitle(lang)),
		Items:      list,
		ArchiveURL: rel(index).to(archivePath(lang)),
	})
	if err != nil {
		f.met.renderErrors.Inc()
		return fmt.Errorf("publish: %w", err)
	}
	if mod.IsZero() {
		mod = time.Unix(0, 0)
	}
	if err := f.site.put("archive/"+lang+"/index.html", page, "text/html; charset=utf-8", mod); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return f.renderRoot()
}

// feedItemID is d's item id in the feeds. A feed reader shows an id once,
// so a later revision (the news of a slot whose first run had none, or an
// operator's recomposition) gets an id of its own ("…:p1#r2") and reaches
// readers who have the earlier one; the first revision keeps the digest id.
func feedItemID(d news.Digest) string {
	if d.Revision <= 1 {
		return d.ID
	}
	return d.MsgID()
}

// renderRoot renders the archive's front page (archive/index.html): every
// language's latest editions, archive and feeds, linked relatively, and a
// link to the site's subscription form. Opened from out_dir, it is the
// way into the archive offline.
func (f *files) renderRoot() error {
	page, err := renderPage("index", f.indexPage(f.lib, rel(archiveRoot), false))
	if err != nil {
		f.met.renderErrors.Inc()
		return fmt.Errorf("publish: %w", err)
	}
	var mod time.Time
	for _, code := range f.lib.languages() {
		if all := f.lib.newest(code); len(all) > 0 && published(all[0]).After(mod) {
			mod = published(all[0])
		}
	}
	if err := f.site.put(ArchiveIndexFile, page, "text/html; charset=utf-8", mod); err != nil {
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

// pageBase is the layout of an archive page in one language, linked by
// l; its home is the archive's front page.
func (s *shared) pageBase(l linker, lang, title string) pageBase {
	return pageBase{
		Lang:      lang,
		L:         s.lang(lang),
		Title:     title,
		SiteName:  s.siteTitle(lang),
		Home:      l.to(archiveRoot),
		Subscribe: s.url("/#subscribe"),
		Feeds:     s.feedLinks(l, lang),
		Legal:     s.legalLinks(lang),
	}
}

func (f *files) writeDigestPage(lang, sl string, v render.View, body string, mod time.Time) error {
	l := rel(digestPath(lang, sl))
	page, err := renderPage("digest", digestPage{
		pageBase:   f.pageBase(l, lang, v.Title),
		View:       v,
		Body:       template.HTML(body), // output of html/template (render.Fragment)
		ArchiveURL: l.to(archivePath(lang)),
	})
	if err != nil {
		f.met.renderErrors.Inc()
		return fmt.Errorf("publish: %w", err)
	}
	if err := f.site.put("archive/"+lang+"/"+sl+".html", page, "text/html; charset=utf-8", mod); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

func (f *files) writeFeeds(lang string, items []feed.Item) error {
	ch := feed.Channel{
		Title:       f.siteTitle(lang),
		Description: f.siteTitle(lang),
		Language:    lang,
		HomeURL:     f.url(archivePath(lang)),
		Authority:   f.base.Hostname(),
		Author:      f.cfg.SiteAuthor,
		Generator:   "newsdesk",
		Hub:         f.cfg.WebSubHub,
	}
	mod := feed.LastModified(items)
	for _, ff := range []struct {
		ext, ctype string
		enc        func(feed.Channel, string, []feed.Item) ([]byte, error)
	}{
		{"xml", feed.ContentTypeRSS, feed.RSS},
		{"atom", feed.ContentTypeAtom, feed.Atom},
		{"json", feed.ContentTypeJSON, feed.JSON},
	} {
		body, err := ff.enc(ch, f.url(feedPath(lang, ff.ext)), items)
		if err != nil {
			f.met.renderErrors.Inc()
			return fmt.Errorf("publish: %s feed: %w", ff.ext, err)
		}
		if err := f.site.put("feeds/"+lang+"."+ff.ext, body, ff.ctype, mod); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	return nil
}
