package sample

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

func TestCatalogShape(t *testing.T) {
	arts := Articles()
	outlets := map[string]Feed{}
	for _, f := range Feeds() {
		outlets[f.ID] = f
	}
	if n := len(outlets); n < 4 || n > 5 {
		t.Errorf("%d outlets, want 4 or 5", n)
	}
	langs := map[string]int{}
	for _, f := range outlets {
		langs[f.Language]++
	}
	if langs["de"] < 2 || langs["en"] < 2 {
		t.Errorf("outlet languages %v, want at least two German and two English", langs)
	}
	formats := map[string]bool{}
	for _, f := range outlets {
		formats[f.Format] = true
	}
	for _, want := range []string{"rss", "atom", "json"} {
		if !formats[want] {
			t.Errorf("no %s feed", want)
		}
	}

	var on, off []Article
	seenPath, seenTitle := map[string]bool{}, map[string]bool{}
	perOutlet := map[string]int{}
	novStart := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	decStart := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range arts {
		f, ok := outlets[a.Outlet]
		if !ok {
			t.Errorf("%s: unknown outlet %q", a.Path, a.Outlet)
			continue
		}
		if a.Language != f.Language {
			t.Errorf("%s: language %q, outlet's %q", a.Path, a.Language, f.Language)
		}
		if seenPath[a.Path] || seenTitle[a.Title] {
			t.Errorf("%s: duplicate path or title", a.Path)
		}
		seenPath[a.Path], seenTitle[a.Title] = true, true
		perOutlet[a.Outlet]++
		if n := len(strings.Fields(a.Text)); n < 250 || n > 500 {
			t.Errorf("%s: %d words, want 250–500", a.Path, n)
		}
		if a.Published.Before(novStart) || !a.Published.Before(decStart) {
			t.Errorf("%s: published %v, want November 2026", a.Path, a.Published)
		}
		if a.OnTopic {
			on = append(on, a)
		} else {
			off = append(off, a)
		}
	}
	if len(on) != 14 {
		t.Errorf("%d on-topic articles, want 14", len(on))
	}
	if len(off) != 2 || off[0].Language == off[1].Language {
		t.Errorf("off-topic articles %v, want one German and one English", off)
	}
	for id := range outlets {
		if perOutlet[id] < 3 {
			t.Errorf("outlet %s has %d articles, want at least 3", id, perOutlet[id])
		}
	}
}

// TestStories checks the work the sample gives story clustering: events
// reported by several outlets, across the two languages, one of them by
// three outlets, and off-topic pieces that share a story with nothing.
func TestStories(t *testing.T) {
	type cover struct {
		outlets, langs map[string]bool
		onTopic        map[bool]bool
	}
	stories := map[string]*cover{}
	for _, a := range Articles() {
		c := stories[a.Story]
		if c == nil {
			c = &cover{outlets: map[string]bool{}, langs: map[string]bool{}, onTopic: map[bool]bool{}}
			stories[a.Story] = c
		}
		if c.outlets[a.Outlet] {
			t.Errorf("story %s: outlet %s covers it twice", a.Story, a.Outlet)
		}
		c.outlets[a.Outlet], c.langs[a.Language], c.onTopic[a.OnTopic] = true, true, true
	}
	var multi, crossLang, three int
	for key, c := range stories {
		if len(c.onTopic) > 1 {
			t.Errorf("story %s mixes on- and off-topic articles", key)
		}
		if c.onTopic[false] && len(c.outlets) > 1 {
			t.Errorf("off-topic story %s is covered by several outlets", key)
		}
		if len(c.outlets) > 1 {
			multi++
		}
		if len(c.langs) > 1 {
			crossLang++
		}
		if len(c.outlets) >= 3 && len(c.langs) > 1 {
			three++
		}
	}
	if multi < 4 || crossLang < 2 || three < 1 {
		t.Errorf("stories: %d multi-outlet (want ≥4), %d cross-language (want ≥2), %d by three outlets in both languages (want ≥1)",
			multi, crossLang, three)
	}
	// The story the demo leans on: the export rule, in German and English.
	bis := stories["bis-rule-nov2026"]
	if bis == nil || len(bis.outlets) != 3 || !bis.langs["de"] || !bis.langs["en"] {
		t.Errorf("bis-rule-nov2026 coverage %+v, want three outlets in de and en", bis)
	}
}

// TestSharedStoriesAgree checks that outlets reporting the same event use
// the same facts: each pattern must match every article of the story, in
// either language's number format.
func TestSharedStoriesAgree(t *testing.T) {
	facts := map[string][]string{
		"bis-rule-nov2026": {`H20`, `MI308`, `\b23\b`, `2[.,]000`, `2[.,]8`, `Entity List`, `\b15\b`, `\b16\b`, `2027`},
		"qwen4-release": {`Qwen4-480B-A30B`, `Qwen4-80B-A6B`, `256[.,]000`, `\b140\b`, `\b41\b`, `72[.,]8`, `Apache[ -]2\.0`,
			`250[.,]000`, `1[.,]7, 8, 14 (and|und) 32`},
		"deepseek-v5-release": {`DeepSeek-V5`, `1[.,]2`, `\b48\b`, `93[.,]1`, `9[.,]4`, `MIT`, `Ascend 950`, `H800`, `\b28\b`, `1[.,]10`},
		"huawei-ascend-ramp":  {`1[.,]1 [Mm]illion`, `650[.,]000`, `N\+3`, `50`, `8[.,]192`, `Ascend 950`, `SMIC`},
		"eu-ai-act-chinese-models": {`\b31\b`, `\b600\b`, `\b58\b`, `\b44\b`, `\b22\b`, `4[.,]200`, `Kranich`, `Frankfurt`,
			`15 Millionen Euro`, `3 Prozent`, `2\. August 2026`, `Qwen`},
	}
	byStory := map[string][]Article{}
	for _, a := range Articles() {
		byStory[a.Story] = append(byStory[a.Story], a)
	}
	for story, patterns := range facts {
		arts := byStory[story]
		if len(arts) < 2 {
			t.Errorf("story %s: %d articles, want at least 2", story, len(arts))
		}
		for _, p := range patterns {
			re := regexp.MustCompile(p)
			for _, a := range arts {
				if !re.MatchString(a.Text) {
					t.Errorf("story %s: %s lacks the fact /%s/", story, a.Path, p)
				}
			}
		}
	}
}

// TestSameItemInTwoFeeds checks the de-duplication case: one article URL
// is listed by two outlets' feeds.
func TestSameItemInTwoFeeds(t *testing.T) {
	srv := serve(t)
	feedsOf := map[string][]string{}
	for _, f := range Feeds() {
		_, body := get(t, srv.URL+f.Path, nil)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", f.ID, err)
		}
		for _, it := range feed.Items {
			feedsOf[it.Link] = append(feedsOf[it.Link], f.ID)
		}
	}
	var dup []string
	for link, ids := range feedsOf {
		if len(ids) > 1 {
			dup = append(dup, link)
		}
	}
	if len(dup) != 1 {
		t.Errorf("links in more than one feed: %v, want exactly one", dup)
	}
}

// TestMainTextRecoverable runs a well-kept generic extractor (readability)
// over every page and checks that the main text comes back nearly whole
// and without much page furniture. This keeps the templates honest: the
// pages are meant to be hard in realistic ways, not unreadable.
func TestMainTextRecoverable(t *testing.T) {
	srv := serve(t)
	for _, a := range Articles() {
		t.Run(strings.TrimPrefix(a.Path, "/articles/"), func(t *testing.T) {
			resp, body := get(t, srv.URL+a.Path, nil)
			r, err := charset.NewReader(bytes.NewReader(body), resp.Header.Get("Content-Type"))
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(srv.URL + a.Path)
			art, err := readability.FromReader(r, u)
			if err != nil {
				t.Fatalf("readability: %v", err)
			}
			var text strings.Builder
			if err := art.RenderText(&text); err != nil {
				t.Fatalf("render: %v", err)
			}
			recall, precision := overlap(words(a.Text), words(text.String()))
			t.Logf("recall %.3f precision %.3f", recall, precision)
			// Meridian's articleBody container deliberately holds a
			// read-more box, an ad label and a subscribe teaser, which a
			// generic extractor keeps (precision about 0.85 there); other
			// outlets come out at 0.9 or better.
			if recall < 0.97 || precision < 0.80 {
				t.Errorf("readability recovers recall %.3f, precision %.3f (want ≥0.97, ≥0.80)", recall, precision)
			}
		})
	}
}

// words splits text into lower-case word tokens.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// overlap is bag-of-words recall of want in got and precision of got
// against want.
func overlap(want, got []string) (recall, precision float64) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	common := 0
	for _, g := range got {
		if count[g] > 0 {
			count[g]--
			common++
		}
	}
	if len(want) == 0 || len(got) == 0 {
		return 0, 0
	}
	return float64(common) / float64(len(want)), float64(common) / float64(len(got))
}
