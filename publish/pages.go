package publish

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"

	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/publish/render"
)

//go:embed templates/*.html
var pageFS embed.FS

// pages are rendered with html/template: every value is escaped for its
// context. The only template.HTML ever passed in is the output of
// render.Fragment, which is itself an html/template rendering.
var pages = template.Must(template.New("pages").ParseFS(pageFS, "templates/*.html"))

type feedLink struct{ Type, Title, URL string }

// pageBase is what the layout needs. L gives the page's words in its
// language (nil for pages in every site language).
type pageBase struct {
	Lang     string
	L        *lang.Language
	Title    string
	SiteName string
	Home     string
	// Subscribe is the site's subscription form: absolute, since only
	// the site can take a signup.
	Subscribe string
	Feeds     []feedLink
	// Legal are the imprint and privacy links of the footer.
	Legal []render.Link
}

type listItem struct{ Title, Date, URL string }

type langBlock struct {
	L                         *lang.Language
	Lang, LangName, SiteTitle string
	Latest                    []listItem
	ArchiveURL                string
	RSS, Atom, JSON           string
	Checked, Subscribable     bool
}

type indexPage struct {
	pageBase
	Langs []langBlock
	// Form: the subscription form (the site's front page); without it, a
	// link to the form (the archive's front page in out_dir).
	Form bool
	// The subscription form speaks every site language.
	EmailLabel, LanguageLabel, Consent, Submit, SubscribeLabel string
	SubscribeURL                                               string
	ConsentVersion                                             string
}

type archivePage struct {
	pageBase
	Items      []listItem
	ArchiveURL string
}

type digestPage struct {
	pageBase
	View       any
	Body       template.HTML
	ArchiveURL string
}

// formButton is a page's one form: a button, with an address field when
// EmailLabel is set.
type formButton struct{ Action, Button, EmailLabel string }

type messagePage struct {
	pageBase
	Paras []string
	Form  *formButton
}

func renderPage(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("page %s: %w", name, err)
	}
	return b.Bytes(), nil
}
