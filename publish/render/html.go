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
}

// EmailHTML renders a complete HTML document for the text/html part of a
// digest email, with inline styles (mail clients drop <style>).
func EmailHTML(v View, l MailLinks) (string, error) {
	var b bytes.Buffer
	data := struct {
		V              View
		ArchiveURL     string
		UnsubscribeURL string
	}{v, SafeURL(l.ArchiveURL), SafeURL(l.UnsubscribeURL)}
	if err := tmpl.ExecuteTemplate(&b, "email", data); err != nil {
		return "", fmt.Errorf("render email %s: %w", v.ID, err)
	}
	return b.String(), nil
}
