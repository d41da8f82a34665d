package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The word lists as the regular expressions they replaced: a prefix word
// matches after a non-letter, a whole word also before one. The matcher
// must agree with them on every input.
var (
	refBoilerRe = regexp.MustCompile(`(^|[^a-z])(` + strings.Join(boilerPrefixes, "|") + `)` +
		`|(^|[^a-z])(` + strings.Join(boilerWholes, "|") + `)([^a-z]|$)`)
	refKeepRe = regexp.MustCompile(`(^|[^a-z])(` + strings.Join(keepWholes, "|") + `)([^a-z]|$)`)
)

func checkClassWords(t *testing.T, ci string) {
	t.Helper()
	runs := letterRuns(ci, nil)
	if got, want := boilerClass.match(ci, runs), refBoilerRe.MatchString(ci); got != want {
		t.Errorf("boilerClass.match(%q) = %v, the regexp says %v", ci, got, want)
	}
	if got, want := keepClass.match(ci, runs), refKeepRe.MatchString(ci); got != want {
		t.Errorf("keepClass.match(%q) = %v, the regexp says %v", ci, got, want)
	}
}

func TestClassWords(t *testing.T) {
	for _, ci := range []string{
		"", "head", "ad", "top_ad", "ad-slot", "adapt", "x ads", "ads2", "leaderboard-ad", "header",
		"relatedarticles", "post-related-links", "unrelated", "sign-up-box", "signupbox", "sign_up",
		"tag-list", "tag--list", "tag-lists", "tags", "stage", "most-read", "mostread", "most_read", "mostreads",
		"article-body", "articlebody", "article_body", "article-bodytext", "main article-body share",
		"sr-only", "sr-only-focusable", "site-header", "site-headers", "article-meta", "x-article-meta",
		"entry-content", "entry--content", "commentary", "commentary-box", "comments", "nav", "navigation", "navi",
		"über-nav", "naväd", "menü", "menu9", "9menu", "-", "a-", "-a", "site-header-nav", "header-nav",
		"visually-hidden", "visuallyhidden", "visually-hiddenx", "teaser-list", "follow-us", "followus",
	} {
		checkClassWords(t, ci)
	}
	// Every class and id in the fixtures, and on the corpus pages with -corpus.
	var pages [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, raw)
	}
	if *corpusDir != "" {
		for _, p := range loadCorpus(t, *corpusDir) {
			pages = append(pages, p.html)
		}
	}
	seen := map[string]bool{}
	for _, raw := range pages {
		root, err := html.Parse(strings.NewReader(string(raw)))
		if err != nil {
			continue
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				if ci := classID(n); ci != "" && !seen[ci] {
					seen[ci] = true
					checkClassWords(t, ci)
					checkClassWords(t, layoutFree(ci))
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(root)
	}
	t.Logf("%d distinct class/id strings checked", len(seen))
}

func FuzzClassWords(f *testing.F) {
	for _, s := range []string{"ad-slot", "most-read x", "article-body share", "tag-list", "sign-up", "Ünav"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkClassWords(t, strings.ToLower(s))
	})
}

// FuzzMayHide checks that the gate in front of hiddenStyleRe passes every
// style the expression matches.
func FuzzMayHide(f *testing.F) {
	for _, s := range []string{"display:none", "DISPLAY: NONE", "visibility : Hidden", "color:red", "display:block;x:hidd", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if hiddenStyleRe.MatchString(s) && !mayHide(s) {
			t.Errorf("mayHide(%q) = false, but hiddenStyleRe matches", s)
		}
	})
}
