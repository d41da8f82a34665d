package publish

import (
	"slices"

	"github.com/newsdesk/newsdesk/publish/render"
)

// latestPerLang is how many editions a language's block on a front page
// lists.
const latestPerLang = 5

// indexPage is a front page: every language with its latest editions, its
// archive and its feeds, linked by l. The site's front page (form) carries
// the subscription form; the archive's front page in out_dir links to it.
func (s *shared) indexPage(lib *library, l linker, form bool) indexPage {
	langs := s.siteLangs()
	for _, code := range lib.languages() {
		if !slices.Contains(langs, code) {
			langs = append(langs, code)
		}
	}
	slices.Sort(langs)
	page := indexPage{
		pageBase:       s.sharedPage(s.each("label.digest")),
		Form:           form,
		SubscribeURL:   "subscribe", // relative: works under a path prefix
		SubscribeLabel: s.each("page.subscribe"),
		ConsentVersion: s.cfg.Subscriptions.ConsentTextVersion,
		EmailLabel:     s.each("form.email"),
		LanguageLabel:  s.each("form.language"),
		Consent:        s.each("form.consent"),
		Submit:         s.each("form.submit"),
	}
	if !form {
		page.Home = l.to(archiveRoot)
	}
	for _, code := range langs {
		rss := s.feedLinks(l, code)[0]
		rss.Title = s.siteTitle(code) + " (RSS)"
		page.Feeds = append(page.Feeds, rss)
		_, subscribable := s.cfg.SiteTitle[code]
		b := langBlock{
			L: s.lang(code), Lang: code, LangName: s.langName(code), SiteTitle: s.siteTitle(code),
			ArchiveURL: l.to(archivePath(code)),
			RSS:        l.to(feedPath(code, "xml")), Atom: l.to(feedPath(code, "atom")), JSON: l.to(feedPath(code, "json")),
			Subscribable: subscribable,
			Checked:      len(langs) == 1 && subscribable,
		}
		for i, d := range lib.newest(code) {
			if i == latestPerLang {
				break
			}
			b.Latest = append(b.Latest, listItem{Title: render.Title(d, s.lang(code)), Date: d.Date, URL: l.to(digestPath(code, slug(d)))})
		}
		page.Langs = append(page.Langs, b)
	}
	return page
}

// sharedPage is the layout of a page in every site language: the front
// pages and the form answers.
func (s *shared) sharedPage(title string) pageBase {
	return pageBase{Lang: s.siteLangs()[0], Title: title, SiteName: "newsdesk", Home: s.url("/"), Subscribe: s.url("/#subscribe"), Legal: s.legalLinks("")}
}
