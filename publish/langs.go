package publish

import (
	"slices"
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// lang returns the language to show code in: the registered one, or, for a
// digest in a language nobody registered (another program may publish
// one), English, else the first registered language.
func (s *Stage) lang(code string) *lang.Language {
	if l, ok := s.langs.Lookup(code); ok {
		return l
	}
	if l, ok := s.langs.Lookup("en"); ok {
		return l
	}
	return s.langs.Get(s.langs.Codes()[0])
}

// siteLangs are the site's languages (the keys of site_title), sorted:
// the languages a reader can subscribe to and the ones shared pages speak.
func (s *Stage) siteLangs() []string {
	out := make([]string, 0, len(s.cfg.SiteTitle))
	for code := range s.cfg.SiteTitle {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// each renders a message in every site language, joined with " / ": the
// pages and mails that are not tied to one language ("Anmelden /
// Subscribe").
func (s *Stage) each(key string, args ...any) string {
	return strings.Join(s.eachLang(key, args...), " / ")
}

// eachLang renders a message in every site language, one per language.
func (s *Stage) eachLang(key string, args ...any) []string {
	var out []string
	for _, code := range s.siteLangs() {
		out = append(out, s.lang(code).T(key, args...))
	}
	return out
}

// langName is a language's own name ("Deutsch"), for readers choosing it.
func (s *Stage) langName(code string) string {
	if l, ok := s.langs.Lookup(code); ok {
		return l.Native
	}
	return code
}
