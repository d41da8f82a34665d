// Package opml reads and writes OPML subscription lists, the format feed
// readers import and export (OPML 2.0, opml.org/spec2.opml; 1.0 files
// read the same way).
//
// Reading keeps every outline with an xmlUrl, wherever it is nested, and
// works out a feed's language from what the file says: an outline's
// language attribute, else a category (the category attribute's
// slash-separated paths, or the titles of the folders it sits in) that
// names a language ("de", "German", "Deutsch", "Englisch", …). Nothing is
// guessed from the feed's title.
//
// Hand-written on encoding/xml: the format is a dozen attributes on one
// element, and the Go OPML packages add nothing but a dependency.
package opml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Feed is one subscription of an OPML file.
type Feed struct {
	Title    string // the outline's title, else its text
	XMLURL   string // the feed
	HTMLURL  string // the site, when the file names it
	Language string // ISO 639-1 code, "" when the file does not say
	// Categories are the folder titles and category paths the feed sits
	// in, outermost first, as the file has them.
	Categories []string
}

// Limits on what a file may make Parse hold.
const (
	MaxBytes = 16 << 20
	maxFeeds = 100_000
	maxDepth = 64
)

type document struct {
	XMLName xml.Name `xml:"opml"`
	Title   string   `xml:"head>title"`
	Body    struct {
		Outlines []outline `xml:"outline"`
	} `xml:"body"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr"`
	Type     string    `xml:"type,attr"`
	XMLURL   string    `xml:"xmlUrl,attr"`
	HTMLURL  string    `xml:"htmlUrl,attr"`
	Language string    `xml:"language,attr"`
	Category string    `xml:"category,attr"`
	Outlines []outline `xml:"outline"`
}

// Parse reads an OPML document (at most MaxBytes) and returns its feeds
// in document order. Outlines without an http(s) xmlUrl are skipped; a
// file with none is an error, and so is anything that is not OPML.
func Parse(r io.Reader) ([]Feed, error) {
	d := xml.NewDecoder(io.LimitReader(r, MaxBytes))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	var doc document
	if err := d.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("opml: empty document")
		}
		return nil, fmt.Errorf("opml: %w", err)
	}
	var feeds []Feed
	var walk func(outs []outline, folders []string, depth int)
	walk = func(outs []outline, folders []string, depth int) {
		if depth > maxDepth {
			return
		}
		for _, o := range outs {
			if len(feeds) >= maxFeeds {
				return
			}
			name := strings.TrimSpace(o.Title)
			if name == "" {
				name = strings.TrimSpace(o.Text)
			}
			if u := strings.TrimSpace(o.XMLURL); isHTTP(u) {
				f := Feed{Title: name, XMLURL: u, Categories: append([]string(nil), folders...)}
				if h := strings.TrimSpace(o.HTMLURL); isHTTP(h) {
					f.HTMLURL = h
				}
				for _, c := range strings.Split(o.Category, ",") {
					if c = strings.TrimSpace(c); c != "" {
						f.Categories = append(f.Categories, c)
					}
				}
				f.Language = languageOf(o.Language, f.Categories)
				feeds = append(feeds, f)
			}
			if len(o.Outlines) > 0 {
				walk(o.Outlines, append(folders[:len(folders):len(folders)], name), depth+1)
			}
		}
	}
	walk(doc.Body.Outlines, nil, 0)
	if len(feeds) == 0 {
		return nil, errors.New("opml: no outline with an http(s) xmlUrl")
	}
	return feeds, nil
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// languageOf is the language attribute when it is a language, else the
// innermost category component that names one.
func languageOf(attr string, categories []string) string {
	if code := LanguageCode(attr); code != "" {
		return code
	}
	for i := len(categories) - 1; i >= 0; i-- {
		parts := strings.FieldsFunc(categories[i], func(r rune) bool { return r == '/' || r == '\\' || r == '|' })
		for j := len(parts) - 1; j >= 0; j-- {
			if code := LanguageCode(parts[j]); code != "" {
				return code
			}
		}
	}
	return ""
}

// Export is a feed to write.
type Export struct {
	Title, XMLURL, HTMLURL, Language string
}

// Write writes feeds as an OPML 2.0 document. A feed with a language gets
// it as language attribute and as category "/<code>", which other readers
// show as a folder and Parse reads back.
func Write(w io.Writer, title string, created time.Time, feeds []Export) error {
	type out struct {
		XMLName  xml.Name `xml:"outline"`
		Text     string   `xml:"text,attr"`
		Title    string   `xml:"title,attr,omitempty"`
		Type     string   `xml:"type,attr"`
		XMLURL   string   `xml:"xmlUrl,attr"`
		HTMLURL  string   `xml:"htmlUrl,attr,omitempty"`
		Language string   `xml:"language,attr,omitempty"`
		Category string   `xml:"category,attr,omitempty"`
	}
	doc := struct {
		XMLName xml.Name `xml:"opml"`
		Version string   `xml:"version,attr"`
		Head    struct {
			Title       string `xml:"title"`
			DateCreated string `xml:"dateCreated"`
		} `xml:"head"`
		Body struct {
			Outlines []out `xml:"outline"`
		} `xml:"body"`
	}{Version: "2.0"}
	doc.Head.Title = title
	doc.Head.DateCreated = created.UTC().Format(time.RFC1123Z)
	for _, f := range feeds {
		o := out{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.XMLURL, HTMLURL: f.HTMLURL, Language: f.Language}
		if f.Language != "" {
			o.Category = "/" + f.Language
		}
		doc.Body.Outlines = append(doc.Body.Outlines, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
