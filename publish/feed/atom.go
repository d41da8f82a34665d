package feed

import (
	"encoding/xml"
	"time"
)

type atomDoc struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomEntry struct {
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   string      `xml:"updated"`
	Published string      `xml:"published,omitempty"`
	Links     []atomLink  `xml:"link"`
	Author    *atomPerson `xml:"author,omitempty"`
	Summary   *atomText   `xml:"summary,omitempty"`
	Content   *atomText   `xml:"content,omitempty"`
}

// Atom renders an Atom 1.0 document (RFC 4287) with xml:lang, a tag: feed
// id, self and alternate links, and tag: entry ids that never change.
func Atom(ch Channel, self string, items []Item) ([]byte, error) {
	doc := atomDoc{
		NS:        "http://www.w3.org/2005/Atom",
		Lang:      ch.Language,
		ID:        feedTagURI(ch),
		Title:     ch.Title,
		Subtitle:  ch.Description,
		Updated:   lastUpdated(items).Format(time.RFC3339),
		Author:    atomPerson{Name: ch.Author},
		Generator: ch.Generator,
		Links: []atomLink{
			{Href: self, Rel: "self", Type: "application/atom+xml"},
		},
	}
	if ch.HomeURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: ch.HomeURL, Rel: "alternate", Type: "text/html"})
	}
	if ch.Hub != "" {
		doc.Links = append(doc.Links, atomLink{Href: ch.Hub, Rel: "hub"})
	}
	for _, it := range items {
		e := atomEntry{
			ID:        TagURI(ch.Authority, it),
			Title:     it.Title,
			Updated:   it.updated().Format(time.RFC3339),
			Published: it.Published.Format(time.RFC3339),
		}
		if it.URL != "" {
			e.Links = append(e.Links, atomLink{Href: it.URL, Rel: "alternate", Type: "text/html"})
		}
		if it.Author != "" {
			e.Author = &atomPerson{Name: it.Author}
		}
		if it.Summary != "" {
			e.Summary = &atomText{Type: "text", Value: it.Summary}
		}
		if it.ContentHTML != "" {
			e.Content = &atomText{Type: "html", Value: it.ContentHTML}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return encodeXML(doc)
}
