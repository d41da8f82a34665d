package extract

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
)

// ldArticle is what we read from schema.org JSON-LD: the first object whose
// @type is an article type, plus publisher and page data found alongside.
type ldArticle struct {
	Found         bool
	Type          string
	Headline      string
	Body          string
	Authors       []string
	Published     string
	Modified      string
	Image         string
	URL           string
	Publisher     string
	Language      string
	FreeKnown     bool // isAccessibleForFree was present
	Free          bool
	PaywallSelect string // hasPart.cssSelector of a non-free part
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "reviewnewsarticle": true, "backgroundnewsarticle": true,
	"blogposting": true, "socialmediaposting": true, "techarticle": true, "scholarlyarticle": true,
	"report": true, "liveblogposting": true, "posting": true, "liveblog": true, "webpage": false,
}

// parseJSONLD reads the application/ld+json scripts of a page. Broken JSON
// is skipped: structured data is a hint, never a reason to fail.
func parseJSONLD(scripts []*html.Node) ldArticle {
	var best ldArticle
	for _, s := range scripts {
		raw := strings.TrimSpace(rawText(s))
		if raw == "" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			// Some sites wrap JSON-LD in CDATA or leave a trailing semicolon.
			raw = strings.TrimSuffix(strings.TrimPrefix(raw, "//<![CDATA["), "//]]>")
			raw = strings.TrimSuffix(strings.TrimSpace(raw), ";")
			if json.Unmarshal([]byte(raw), &v) != nil {
				continue
			}
		}
		walkLD(v, &best, 0)
	}
	return best
}

func walkLD(v any, a *ldArticle, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walkLD(e, a, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			walkLD(g, a, depth+1)
		}
		types := ldStrings(x["@type"])
		isArticle := false
		for _, t := range types {
			if articleTypes[strings.ToLower(t)] {
				isArticle = true
			}
		}
		if isArticle && (!a.Found || (a.Body == "" && ldString(x["articleBody"]) != "")) {
			fillArticle(x, a, types[0])
		}
		if a.Publisher == "" && hasType(types, "organization", "newsmediaorganization") {
			a.Publisher = ldString(x["name"])
		}
		if main, ok := x["mainEntity"]; ok {
			walkLD(main, a, depth+1)
		}
	}
}

func hasType(types []string, want ...string) bool {
	for _, t := range types {
		for _, w := range want {
			if strings.EqualFold(t, w) {
				return true
			}
		}
	}
	return false
}

func fillArticle(x map[string]any, a *ldArticle, typ string) {
	a.Found = true
	a.Type = typ
	a.Headline = firstNonEmpty(ldString(x["headline"]), ldString(x["name"]))
	a.Body = ldString(x["articleBody"])
	a.Authors = ldNames(x["author"])
	a.Published = ldString(x["datePublished"])
	a.Modified = ldString(x["dateModified"])
	a.Image = ldImage(x["image"])
	a.URL = ldString(x["url"])
	if a.URL == "" {
		if m, ok := x["mainEntityOfPage"].(map[string]any); ok {
			a.URL = ldString(m["@id"])
		} else {
			a.URL = ldString(x["mainEntityOfPage"])
		}
	}
	if p, ok := x["publisher"].(map[string]any); ok {
		a.Publisher = ldString(p["name"])
	}
	a.Language = ldString(x["inLanguage"])
	if f, ok := x["isAccessibleForFree"]; ok {
		a.FreeKnown = true
		switch fv := f.(type) {
		case bool:
			a.Free = fv
		case string:
			a.Free = !strings.EqualFold(fv, "false")
		}
	}
	for _, p := range ldList(x["hasPart"]) {
		if m, ok := p.(map[string]any); ok {
			if f, ok := m["isAccessibleForFree"]; ok && (f == false || f == "False" || f == "false") {
				a.PaywallSelect = ldString(m["cssSelector"])
			}
		}
	}
}

func ldList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	default:
		return []any{x}
	}
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if s := ldString(x["@value"]); s != "" {
			return s
		}
	}
	return ""
}

func ldStrings(v any) []string {
	var out []string
	for _, e := range ldList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

func ldNames(v any) []string {
	var out []string
	for _, e := range ldList(v) {
		switch x := e.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if n := ldString(x["name"]); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func ldImage(v any) string {
	for _, e := range ldList(v) {
		switch x := e.(type) {
		case string:
			return x
		case map[string]any:
			if u := ldString(x["url"]); u != "" {
				return u
			}
			if u := ldString(x["contentUrl"]); u != "" {
				return u
			}
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
