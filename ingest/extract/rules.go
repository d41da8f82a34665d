package extract

import (
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
)

// compiledRule is a SiteRule with its selectors parsed once.
type compiledRule struct {
	hosts                     []string
	body, title, date, author goquery.Matcher
	drop                      []goquery.Matcher
}

func compileRule(r SiteRule) (*compiledRule, error) {
	if len(r.Hosts) == 0 {
		return nil, fmt.Errorf("rule without hosts")
	}
	cr := &compiledRule{}
	for _, h := range r.Hosts {
		h = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "www."))
		if h == "" {
			return nil, fmt.Errorf("rule with empty host")
		}
		cr.hosts = append(cr.hosts, h)
	}
	var err error
	compile := func(name, sel string) goquery.Matcher {
		if sel == "" || err != nil {
			return nil
		}
		s, e := cascadia.Compile(sel)
		if e != nil {
			err = fmt.Errorf("rule %s: %s selector %q: %w", cr.hosts[0], name, sel, e)
			return nil
		}
		return s
	}
	cr.body = compile("body", r.Body)
	cr.title = compile("title", r.Title)
	cr.date = compile("date", r.Date)
	cr.author = compile("author", r.Author)
	for _, d := range r.Drop {
		if s := compile("drop", d); s != nil {
			cr.drop = append(cr.drop, s)
		}
	}
	if err != nil {
		return nil, err
	}
	return cr, nil
}

// matches reports whether host is one of the rule's hosts or a subdomain.
func (r *compiledRule) matches(host string) bool {
	host = strings.ToLower(host)
	for _, h := range r.hosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// Validate checks that every selector of the rule parses.
func (r SiteRule) Validate() error {
	_, err := compileRule(r)
	return err
}
