package lang

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Catalog holds the messages of one language: every word a reader sees that
// is not news text (labels, notes, page and mail text). Keys are shared by
// all languages ("note.llm_down"); the built-in English catalog is the
// reference every other catalog must match key for key.
//
// A message is a string with named parameters in braces ("{n} Meldungen"),
// or, when it depends on a count, a map of CLDR plural categories ("one",
// "other", and "zero", "two", "few", "many" where the language has them)
// chosen by the parameter n. Plural rules come from golang.org/x/text; the
// substitution is written here because x/text/message catalogs are built in
// Go code or by its gotext tool, and its positional %[1]d verbs are easy to
// get wrong in a translation file.
type Catalog struct {
	tag  language.Tag
	msgs map[string]message
}

type message struct {
	text   string                 // a plain message
	plural map[plural.Form]string // or one text per plural category
}

var emptyCatalog = &Catalog{msgs: map[string]message{}}

var pluralForms = map[string]plural.Form{
	"zero": plural.Zero, "one": plural.One, "two": plural.Two,
	"few": plural.Few, "many": plural.Many, "other": plural.Other,
}

// parseCatalog reads a catalog file: a YAML mapping of keys to messages.
func parseCatalog(code string, data []byte) (*Catalog, error) {
	tag, err := language.Parse(code)
	if err != nil {
		return nil, fmt.Errorf("language code %q: %w", code, err)
	}
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	c := &Catalog{tag: tag, msgs: make(map[string]message, len(raw))}
	for key, node := range raw {
		switch node.Kind {
		case yaml.ScalarNode:
			c.msgs[key] = message{text: node.Value}
		case yaml.MappingNode:
			var forms map[string]string
			if err := node.Decode(&forms); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			m := message{plural: map[plural.Form]string{}}
			for name, text := range forms {
				f, ok := pluralForms[name]
				if !ok {
					return nil, fmt.Errorf("%s: %q is not a plural category (zero, one, two, few, many, other)", key, name)
				}
				m.plural[f] = text
			}
			if _, ok := m.plural[plural.Other]; !ok {
				return nil, fmt.Errorf("%s: a plural message needs an \"other\" form", key)
			}
			c.msgs[key] = m
		default:
			return nil, fmt.Errorf("%s: want a string or a map of plural forms", key)
		}
	}
	return c, nil
}

// Has reports whether the catalog defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[key]
	return ok
}

// Keys returns the catalog's keys, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs))
	for k := range c.msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T returns the message key with its parameters filled in. args are name,
// value pairs: T("note.rejected", "n", 3). A plural message picks its form
// by the parameter n. A key the catalog lacks comes back as the key itself,
// so a missing message shows up in review rather than as an empty string;
// the registry refuses catalogs with missing keys, so this is a bug.
func (c *Catalog) T(key string, args ...any) string {
	m, ok := c.msgs[key]
	if !ok {
		return key
	}
	text := m.text
	if m.plural != nil {
		text = m.plural[c.form(args)]
		if text == "" {
			text = m.plural[plural.Other]
		}
	}
	if len(args) < 2 || !strings.Contains(text, "{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// TFor returns the message key@code when the catalog has it, else key: for
// words that depend on another language. "Englischsprachige Quelle" is
// label.source_language@en in the German catalog; a language it has no
// such entry for gets label.source_language with the parameter language
// (that language's name, which the caller passes). Keys with "@" are
// optional: Register does not ask other catalogs for them.
func (c *Catalog) TFor(key, code string, args ...any) string {
	if c.Has(key + "@" + code) {
		return c.T(key+"@"+code, args...)
	}
	return c.T(key, args...)
}

// form picks the plural category of the parameter n.
func (c *Catalog) form(args []any) plural.Form {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] != "n" {
			continue
		}
		n, ok := args[i+1].(int)
		if !ok {
			break
		}
		if n < 0 {
			n = -n
		}
		return plural.Cardinal.MatchPlural(c.tag, n, 0, 0, 0, 0)
	}
	return plural.Other
}

// DayMonth writes t's day and month the way the language does: "6.
// Dezember", "December 6" (keys date.day_month and month.1 … month.12).
func (c *Catalog) DayMonth(t time.Time) string {
	return c.T("date.day_month", "day", t.Day(), "month", c.T("month."+strconv.Itoa(int(t.Month()))))
}

// Count writes n as prose does: the catalog's word for it (count.2 …
// count.12: "zwei", "two"), else digits. A sentence that opens with it
// is capitalised by its caller.
func (c *Catalog) Count(n int) string {
	if c.Has("count." + strconv.Itoa(n)) {
		return c.T("count." + strconv.Itoa(n))
	}
	return strconv.Itoa(n)
}
