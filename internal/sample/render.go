package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// link is an entry in a page's read-more box or related list. Path is
// for templates that link relatively, as older CMSes do.
type link struct {
	URL, Path, Title string
}

// pageData is what an outlet template renders.
type pageData struct {
	Base     string // scheme://host of the request
	URL      string // absolute canonical URL of the page
	Outlet   *outlet
	A        *entry
	Paras    []string
	Image    string // absolute image URL
	JSONLD   template.JS
	ReadAlso []link // inline box inside the text
	Related  []link // list below the text
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		// deDate formats like German sites do: "18.11.2026, 07:45 Uhr".
		"deDate": func(t time.Time) string { return t.Format("02.01.2006, 15:04") + " Uhr" },
		// enDate formats like US sites do: "November 17, 2026, 4:10 p.m. ET".
		"enDate": func(t time.Time) string {
			s := t.Format("January 2, 2006, 3:04 PM")
			return strings.NewReplacer(" AM", " a.m.", " PM", " p.m.").Replace(s) + " " + zoneName(t)
		},
		"iso":  func(t time.Time) string { return t.Format(time.RFC3339) },
		"year": func(t time.Time) int { return t.Year() },
	}
}

// renderPage renders one article page for base, in the outlet's charset.
func (c *catalog) renderPage(e *entry, base string) ([]byte, error) {
	d := pageData{
		Base:   base,
		URL:    base + e.path,
		Outlet: e.outlet,
		A:      e,
		Paras:  e.paras,
		Image:  base + "/images/" + e.Image,
	}
	for _, other := range c.entries {
		if other == e || other.outlet != e.outlet {
			continue
		}
		l := link{URL: base + other.path, Path: other.path, Title: other.Title}
		d.Related = append(d.Related, l)
		if len(d.ReadAlso) < 2 && other.Story != e.Story {
			d.ReadAlso = append(d.ReadAlso, l)
		}
	}
	if e.outlet.JSONLD != "" {
		ld, err := jsonLD(e, d.URL, d.Image)
		if err != nil {
			return nil, fmt.Errorf("json-ld for %s: %w", e.path, err)
		}
		d.JSONLD = template.JS(ld)
	}
	var buf bytes.Buffer
	if err := c.pages[e.outlet.ID].Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("render %s: %w", e.path, err)
	}
	out, err := encode(buf.Bytes(), e.outlet.Charset)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", e.path, err)
	}
	return out, nil
}

// jsonLD builds the schema.org NewsArticle of a page. encoding/json escapes
// <, > and &, so the result is safe inside a <script> element.
func jsonLD(e *entry, url, image string) ([]byte, error) {
	article := map[string]any{
		"@type":            "NewsArticle",
		"headline":         e.Title,
		"description":      e.Description,
		"inLanguage":       e.outlet.Language,
		"datePublished":    e.Published.Format(time.RFC3339),
		"dateModified":     e.updated().Format(time.RFC3339),
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": url},
		"url":              url,
		"image":            []string{image},
		"author":           []map[string]any{{"@type": "Person", "name": e.Author}},
		"publisher":        map[string]any{"@type": "Organization", "name": e.outlet.Name},
		"articleSection":   e.Section,
		"keywords":         strings.Join(e.Tags, ", "),
	}
	var doc any = article
	switch e.outlet.JSONLD {
	case "body":
		article["articleBody"] = strings.Join(e.paras, "\n\n")
		article["@context"] = "https://schema.org"
	case "graph":
		article["articleBody"] = strings.Join(e.paras, "\n\n")
		doc = map[string]any{
			"@context": "https://schema.org",
			"@graph": []any{
				article,
				map[string]any{"@type": "WebSite", "name": e.outlet.Name, "url": strings.TrimSuffix(url, e.path) + "/"},
			},
		}
	default:
		article["@context"] = "https://schema.org"
	}
	return json.MarshalIndent(doc, "", "  ")
}

// encode converts UTF-8 output to the outlet's charset. It fails, rather
// than substitutes, on a character the charset lacks, so a Latin-1 page can
// never carry silent replacement characters.
func encode(utf8 []byte, charset string) ([]byte, error) {
	switch charset {
	case "utf-8":
		return utf8, nil
	case "iso-8859-1":
		out, err := charmap.ISO8859_1.NewEncoder().Bytes(utf8)
		if err != nil {
			return nil, fmt.Errorf("encode as ISO-8859-1: %w", err)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
}

// zoneName names the fixed offsets the sample uses the way their outlets
// print them; the times come from RFC 3339 strings, which carry no zone
// abbreviation.
func zoneName(t time.Time) string {
	_, off := t.Zone()
	switch off {
	case -5 * 3600:
		return "ET"
	case -8 * 3600:
		return "PT"
	case 8 * 3600:
		return "SGT"
	case 1 * 3600:
		return "CET"
	default:
		return t.Format("-07:00")
	}
}
