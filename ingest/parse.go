package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"

	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/lang"
)

// FeedItem is one entry of a parsed feed. The JSON form is what
// `newsdesk feed parse` prints, one item per line.
type FeedItem struct {
	// ID is the item's identity within its feed: the GUID, else the link,
	// else "h:" + a hash of title, published date and feed URL.
	ID    string `json:"id"`
	Title string `json:"title"` // plain text
	// Link is absolute: relative links are resolved against the feed's
	// site link or the feed URL.
	Link string `json:"link"`
	GUID string `json:"guid"`
	// Published is the item's published (else updated) date; zero when the
	// feed gives none the parser understands.
	Published time.Time `json:"published,omitzero"`
	// Language is the item's language, else the feed's, else detected from
	// title and description; "und" when none can be told.
	Language string `json:"language"`
	// Description is the item's summary (or content) as plain text.
	Description string   `json:"-"`
	Authors     []string `json:"-"`

	// rawDesc is the description (or content) as the feed has it, until
	// finish makes Description of it. A poll mostly meets items it has
	// seen, which need no text and no language.
	rawDesc   string
	rawAuthor []string
}

// finish converts what the parse left raw: the description and authors to
// plain text, and an undeclared language to a detected one. ParseFeed
// finishes every item; ingest only the new ones (Process).
func (fi *FeedItem) finish() {
	if fi.rawDesc != "" {
		fi.Description = htmlToText(fi.rawDesc, maxDescriptionRunes)
		fi.rawDesc = ""
	}
	for _, a := range fi.rawAuthor {
		if name := htmlToText(a, 200); name != "" {
			fi.Authors = append(fi.Authors, name)
		}
	}
	fi.rawAuthor = nil
	if fi.Language == "" {
		fi.Language = detectItemLanguage(fi.Title, fi.Description)
	}
}

// parsedFeed is a feed document reduced to what ingest uses.
type parsedFeed struct {
	Title    string
	Language string
	Items    []FeedItem
	Repairs  []string // what had to be fixed to parse it
	// TTL is how often the feed says it changes at most (RSS <ttl>, or
	// sy:updatePeriod / sy:updateFrequency); 0 if it does not say.
	TTL time.Duration
}

// minItemDetectRunes is the least title+description length on which an
// item's language is detected; maxItemDetectBytes bounds the sample (title
// and the start of the description), since the detector's cost grows with
// its input and a few hundred characters tell a language as well as a
// whole article.
const (
	minItemDetectRunes = 40
	maxItemDetectBytes = 400
)

// detectItemLanguage detects an item's language from its title and the
// start of its description; "und" when the sample is too short to tell.
func detectItemLanguage(title, desc string) string {
	sample := title + ".\n" + clip.Bytes(desc, max(0, maxItemDetectBytes-len(title)))
	if utf8.RuneCountInString(sample) < minItemDetectRunes {
		return lang.Undetermined // titles alone are too short to tell reliably
	}
	return lang.Detect(sample)
}

// maxDescriptionRunes caps an item's plain-text description.
const maxDescriptionRunes = 20000

// ParseFeed parses an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document.
// contentType (the HTTP header, may be empty) helps with charsets;
// feedURL resolves relative links and seeds item identities.
func ParseFeed(data []byte, contentType, feedURL string) ([]FeedItem, error) {
	pf, err := parseFeed(newFeedParser(), data, contentType, feedURL, "")
	if err != nil {
		return nil, err
	}
	for i := range pf.Items {
		pf.Items[i].finish()
	}
	return pf.Items, nil
}

// newFeedParser returns a gofeed parser that keeps the original feed (for
// RSS <ttl>). From gofeed v1.4.0 on, one parser may be shared. Its RSS
// translator skips gofeed's search for an item image, which parses every
// item's HTML a second time for a field ingest never reads.
func newFeedParser() *gofeed.Parser {
	fp := gofeed.NewParser()
	fp.KeepOriginalFeed = true
	fp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return fp
}

// parseFeed gives gofeed the document as it is (after the charset fixes of
// prepareCharset) and, only if that fails, repairs what commonly breaks
// feeds in the wild and tries once more. langHint is the configured feed
// language, used before detection.
func parseFeed(fp *gofeed.Parser, data []byte, contentType, feedURL, langHint string) (*parsedFeed, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("parse feed: empty document")
	}
	var repairs []string
	data, note := prepareCharset(data, contentType)
	if note != "" {
		repairs = append(repairs, note)
	}
	feed, err := fp.Parse(bytes.NewReader(data))
	if err != nil {
		fixed, notes := repairXML(data)
		if len(notes) == 0 {
			return nil, fmt.Errorf("parse feed: %w", describeParseError(err, data))
		}
		feed2, err2 := fp.Parse(bytes.NewReader(fixed))
		if err2 != nil {
			return nil, fmt.Errorf("parse feed: %w (after repairs: %s: %v)", describeParseError(err, data), strings.Join(notes, ", "), err2)
		}
		feed, data = feed2, fixed
		repairs = append(repairs, notes...)
	}
	if feed.FeedType != "json" && itemTags(data) > len(feed.Items) {
		// Items the parser skipped: the usual cause is a default namespace
		// that puts every RSS element outside RSS.
		if fixed, ok := dropDefaultNamespaces(data); ok {
			if feed2, err := fp.Parse(bytes.NewReader(fixed)); err == nil && len(feed2.Items) > len(feed.Items) {
				feed = feed2
				repairs = append(repairs, "ignored a default namespace on the RSS or Atom elements")
			}
		}
	}
	return convertFeed(feed, feedURL, langHint, repairs), nil
}

func describeParseError(err error, data []byte) error {
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		start := bytes.TrimSpace(data[:min(len(data), 64)])
		return fmt.Errorf("not an RSS, Atom or JSON feed (document starts %q): %w", start, err)
	}
	return err
}

func convertFeed(feed *gofeed.Feed, feedURL, langHint string, repairs []string) *parsedFeed {
	base, _ := url.Parse(feedURL)
	if l, err := url.Parse(strings.TrimSpace(feed.Link)); err == nil && l.IsAbs() {
		if base != nil {
			base = base.ResolveReference(l)
		} else {
			base = l
		}
	}
	feedLang := normalizeLang(feed.Language)
	if feedLang == "" && feed.DublinCoreExt != nil && len(feed.DublinCoreExt.Language) > 0 {
		feedLang = normalizeLang(feed.DublinCoreExt.Language[0])
	}
	pf := &parsedFeed{Title: htmlToText(feed.Title, 500), Language: feedLang, Repairs: repairs, TTL: feedTTL(feed)}
	items := make([]FeedItem, 0, len(feed.Items))
	published := make([]string, 0, len(feed.Items))
	// Which GUIDs name items with different links, and which links items
	// with different titles or dates.
	guidLinks := newVariants(len(feed.Items))
	linkItems := newVariants(len(feed.Items))
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		fi := FeedItem{
			Title: htmlToText(it.Title, 1000),
			GUID:  strings.TrimSpace(it.GUID),
			Link:  resolveLink(base, it.Link),
		}
		if fi.Link == "" && isHTTPURL(fi.GUID) {
			fi.Link = fi.GUID
		}
		fi.rawDesc = it.Description
		if strings.TrimSpace(fi.rawDesc) == "" {
			fi.rawDesc = it.Content
		}
		switch {
		case it.PublishedParsed != nil:
			fi.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			fi.Published = it.UpdatedParsed.UTC()
		}
		for _, a := range it.Authors {
			if a != nil && a.Name != "" {
				fi.rawAuthor = append(fi.rawAuthor, a.Name)
			}
		}
		if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 {
			fi.Language = normalizeLang(it.DublinCoreExt.Language[0])
		}
		if fi.Language == "" {
			fi.Language = feedLang
		}
		if fi.Language == "" {
			fi.Language = normalizeLang(langHint)
		}
		guidLinks.add(fi.GUID, fi.Link)
		linkItems.add(fi.Link, fi.Title+"\x00"+it.Published)
		items = append(items, fi)
		published = append(published, it.Published)
	}
	seen := make(map[string]bool, len(items))
	for i, fi := range items {
		// A GUID shared by items with different links (a FeedBurner feed
		// stamping the channel link on every item) identifies none of
		// them: fall back to the link, and where items with different
		// titles or dates share that too (a live blog's updates) to title
		// and date. One item listed twice keeps its GUID and is dropped
		// below.
		guid, link := fi.GUID, fi.Link
		if guidLinks.multi[guid] {
			guid = ""
			if linkItems.multi[link] {
				link = ""
			}
		}
		fi.ID = itemIdentity(guid, link, fi.Title, published[i], feedURL)
		if seen[fi.ID] {
			continue // a feed listing one item twice
		}
		seen[fi.ID] = true
		pf.Items = append(pf.Items, fi)
	}
	return pf
}

// variants records, per key, whether it was seen with more than one value.
type variants struct {
	first map[string]string
	multi map[string]bool
}

func newVariants(n int) variants {
	return variants{first: make(map[string]string, n), multi: map[string]bool{}}
}

func (v variants) add(key, value string) {
	if f, ok := v.first[key]; !ok {
		v.first[key] = value
	} else if f != value {
		v.multi[key] = true
	}
}

// feedTTL reads RSS <ttl> (minutes; needs the parser's KeepOriginalFeed)
// and the syndication module's updatePeriod/updateFrequency.
func feedTTL(feed *gofeed.Feed) time.Duration {
	var ttl time.Duration
	if rf, ok := feed.OriginalFeed().(*rss.Feed); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && n > 0 && n < 60*24*365 {
			ttl = time.Duration(n) * time.Minute
		}
	}
	if sy, ok := feed.Extensions["sy"]; ok {
		period := map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
			"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour}[strings.ToLower(extValue(sy, "updatePeriod"))]
		freq, err := strconv.Atoi(extValue(sy, "updateFrequency"))
		if err != nil || freq < 1 {
			freq = 1
		}
		if d := period / time.Duration(freq); d > ttl {
			ttl = d
		}
	}
	return ttl
}

func extValue(m map[string][]ext.Extension, name string) string {
	if v := m[name]; len(v) > 0 {
		return strings.TrimSpace(v[0].Value)
	}
	return ""
}

// itemIdentity is guid → link → hash(title + published + feed URL)
// (gofeed#95: the library does not invent ids).
func itemIdentity(guid, link, title, published, feedURL string) string {
	switch {
	case guid != "":
		return guid
	case link != "":
		return link
	}
	sum := sha256.Sum256([]byte(title + "\x00" + published + "\x00" + feedURL))
	return "h:" + hex.EncodeToString(sum[:16])
}

func resolveLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() && base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// normalizeLang maps "de-DE", "IT-it", "en_US" to "de", "it", "en"; it
// returns "" for anything that is not a two-letter code.
func normalizeLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if !validLang(s) {
		return ""
	}
	return s
}
