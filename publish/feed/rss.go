package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"strings"
	"time"
)

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate"`
	Generator     string     `xml:"generator,omitempty"`
	AtomLinks     []atomLink `xml:"atom:link"`
	Items         []rssItem  `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link,omitempty"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Creator     string  `xml:"dc:creator,omitempty"`
	Description string  `xml:"description"`
	Content     string  `xml:"content:encoded,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// RSS renders an RSS 2.0 document with atom:link rel=self, language,
// non-permalink guids, RFC 1123Z (RFC 822, 4-digit year) dates, the summary
// in description and the full HTML in content:encoded.
//
// description holds HTML (RSS 2.0: "entity-encoded HTML is allowed", and
// readers render it as such), so the plain-text summary is escaped as HTML
// first and then, by the encoder, as XML: a summary reading
// "<img src=x onerror=…>" shows as that text, never as an image.
func RSS(ch Channel, self string, items []Item) ([]byte, error) {
	doc := rssDoc{
		Version:   "2.0",
		NSAtom:    "http://www.w3.org/2005/Atom",
		NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSDC:      "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title:         ch.Title,
			Link:          ch.HomeURL,
			Description:   ch.Description,
			Language:      ch.Language,
			LastBuildDate: lastUpdated(items).Format(time.RFC1123Z),
			Generator:     ch.Generator,
			AtomLinks:     []atomLink{{Href: self, Rel: "self", Type: "application/rss+xml"}},
		},
	}
	if ch.Hub != "" {
		doc.Channel.AtomLinks = append(doc.Channel.AtomLinks, atomLink{Href: ch.Hub, Rel: "hub"})
	}
	for _, it := range items {
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       rssTitle(it.Title),
			Link:        it.URL,
			GUID:        rssGUID{IsPermaLink: "false", Value: it.ID},
			PubDate:     it.Published.Format(time.RFC1123Z),
			Creator:     it.Author,
			Description: html.EscapeString(it.Summary),
			Content:     it.ContentHTML,
		})
	}
	return encodeXML(doc)
}

// rssTitle makes a plain-text title safe in RSS, whose readers disagree on
// whether <title> holds text or HTML: no escaping is right for both, so a
// title carries no angle brackets at all ("<" and ">" become "‹" and "›").
// An "&" stays: to an HTML reader it can only start a character
// reference, which is text, never markup.
var rssTitleBrackets = strings.NewReplacer("<", "‹", ">", "›")

func rssTitle(s string) string { return rssTitleBrackets.Replace(s) }

func encodeXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: encoding xml: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
