package extract

import (
	"hash/fnv"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// The validation protocol for extraction changes. The corpus pages are
// split by site into a tune part (about two thirds) and a holdout part
// (about a third): a site's pages all fall on one side, so a rule that
// only fits the sites one has looked at shows up as a gap between the two.
// Work on failures from the tune part only (TestCorpus lists the worst
// pages of the tune part; -show-holdout lifts that), and report both
// parts. The held-out set the product is judged on has sites absent from
// the corpus, which is what the holdout part imitates.
//
// The split is a hash of the site with a fixed salt; changing the salt
// makes a new split, which is how to start over once the holdout part has
// been looked at.
const splitSalt = "newsdesk-split-1"

// siteOf is the registrable domain of a page ("spiegel.de" for
// www.spiegel.de), or for pages without a URL (Readability's test pages)
// the test page's name without its number ("bbc" for bbc-1).
func siteOf(u *url.URL, name string) string {
	if u != nil {
		h := strings.ToLower(u.Hostname())
		if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
			return d
		}
		return h
	}
	base := strings.TrimSuffix(filepath.Base(name), ".html.gz")
	return "readability:" + trailingNumRe.ReplaceAllString(base, "")
}

var trailingNumRe = regexp.MustCompile(`-\d+$`)

// splitOf puts a site in "holdout" (about one in three) or "tune".
func splitOf(site string) string {
	h := fnv.New32a()
	h.Write([]byte(splitSalt + "|" + site))
	if h.Sum32()%3 == 0 {
		return "holdout"
	}
	return "tune"
}
