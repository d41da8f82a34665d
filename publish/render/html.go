package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
)

//go:embed templates/*.html
var templateFS embed.FS

// tmpl is parsed once; html/template escapes every field contextually, and
// SafeURL has already refused every non-http(s) link before it gets here.
var tmpl = template.Must(template.New("render").ParseFS(templateFS, "templates/*.html"))

// Fragment renders the body of a digest (overview, stories, linked
// citations, numbered sources, notes) as an HTML fragment without styling,
// for feed content and archive pages.
func Fragment(v View) (string, error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, "fragment", v); err != nil {
		return "", fmt.Errorf("render fragment %s: %w", v.ID, err)
	}
	return b.String(), nil
}

// MailLinks are the per-recipient links of a digest email.
type MailLinks struct {
	ArchiveURL     string // the digest's archive page; may be empty
	UnsubscribeURL string // the recipient's one-click unsubscribe page
	// Legal are the publisher's imprint and privacy pages, for the
	// footer; may be empty.
	Legal []Link
}

// Link is a labelled link.
type Link struct{ Label, URL string }

// safeLinks keeps the links with a safe URL, made safe.
func safeLinks(in []Link) []Link {
	var out []Link
	for _, l := range in {
		if u := SafeURL(l.URL); u != "" {
			out = append(out, Link{Label: CleanText(l.Label, 100), URL: u})
		}
	}
	return out
}

// EmailHTML renders a complete HTML document for the text/html part of a
// digest email, with inline styles (mail clients drop <style>).
func EmailHTML(v View, l MailLinks) (string, error) {
	var b bytes.Buffer
	data := struct {
		V              View
		ArchiveURL     string
		UnsubscribeURL string
		Legal          []Link
	}{v, SafeURL(l.ArchiveURL), SafeURL(l.UnsubscribeURL), safeLinks(l.Legal)}
	if err := tmpl.ExecuteTemplate(&b, "email", data); err != nil {
		return "", fmt.Errorf("render email %s: %w", v.ID, err)
	}
	return b.String(), nil
}
