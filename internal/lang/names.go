package lang

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// namesFile is the optional file of a language definition that says how
// the language writes names that other languages write differently.
const namesFile = "names.yaml"

// namesSpec is names.yaml:
//
//	same:        # key: forms, the key shared by every language
//	  munich: [München, Münchner*]
//	not_names: Chinese German Spring   # capitalised words that are no names
//	derivations: er ers ern s          # endings that derive a word from a name
//	within:      # key of a region: keys of the places in it
//	  northafrica: [egypt, libya, tunisia]
//
// A form is a word or a phrase ("Vereinte Nationen"); it is compared
// case-insensitively word by word (lang.Words), so "Saudi-Arabien" is the
// phrase "saudi arabien". A form ending in "*" is a stem: it matches every
// word that begins with it ("Münchner*" matches "Münchnerinnen").
//
// within says which places a region holds: a text that names Tunisia
// names a North African country, so "the North African country" in a
// summary is supported by "Tunesien" in its source. Keys only, so it
// holds for every language; one language's file lists it.
type namesSpec struct {
	Same        map[string][]string `yaml:"same"`
	NotNames    wordList            `yaml:"not_names"`
	Derivations wordList            `yaml:"derivations"`
	Within      map[string][]string `yaml:"within"`
}

// nameRules are one language's names data, or the pool of every
// registered language's (see Registry.Register).
type nameRules struct {
	forms       map[string][]string // lower-cased word or phrase → keys
	stems       map[string][]string // lower-cased stem of a "*" form → keys
	starts      wordSet             // first words of the phrases
	notNames    wordSet
	derivations []string
	regions     map[string][]string // key of a place → keys of the regions that hold it
	maxWords    int                 // words in the longest phrase
	minStem     int                 // runes in the shortest stem
}

func parseNames(fsys fs.FS, dir string) (nameRules, error) {
	r := nameRules{forms: map[string][]string{}, stems: map[string][]string{}, notNames: newWordSet(), regions: map[string][]string{}}
	raw, err := fs.ReadFile(fsys, path.Join(dir, namesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("lang: %w", err)
	}
	var s namesSpec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return r, fmt.Errorf("lang: %s: %w", path.Join(dir, namesFile), err)
	}
	for key, forms := range s.Same {
		if key == "" || strings.ToLower(key) != key || strings.ContainsAny(key, " \t") {
			return r, fmt.Errorf("lang: %s: key %q: want a lower-case word such as munich", path.Join(dir, namesFile), key)
		}
		for _, f := range forms {
			stem := strings.HasSuffix(f, "*")
			words := Words(strings.TrimSuffix(f, "*"))
			if len(words) == 0 || stem && len(words) > 1 {
				return r, fmt.Errorf("lang: %s: %s: form %q: want a word, a phrase or one word ending in *", path.Join(dir, namesFile), key, f)
			}
			form := strings.Join(words, " ")
			if stem {
				r.stems[form] = appendNew(r.stems[form], key)
				continue
			}
			r.forms[form] = appendNew(r.forms[form], key)
		}
	}
	for region, places := range s.Within {
		for _, k := range append([]string{region}, places...) {
			if k == "" || strings.ToLower(k) != k || strings.ContainsAny(k, " \t") {
				return r, fmt.Errorf("lang: %s: within %s: key %q: want a lower-case word such as tunisia", path.Join(dir, namesFile), region, k)
			}
		}
		for _, k := range places {
			r.regions[k] = appendNew(r.regions[k], region)
		}
	}
	for _, w := range s.NotNames {
		r.notNames[strings.ToLower(w)] = struct{}{}
	}
	for _, d := range s.Derivations {
		r.derivations = append(r.derivations, strings.ToLower(d))
	}
	r.measure()
	return r, nil
}

// measure sets maxWords and minStem.
func (r *nameRules) measure() {
	r.maxWords, r.minStem = 1, 0
	r.starts = newWordSet()
	for f := range r.forms {
		r.maxWords = max(r.maxWords, strings.Count(f, " ")+1)
		if first, _, phrase := strings.Cut(f, " "); phrase {
			r.starts[first] = struct{}{}
		}
	}
	for s := range r.stems {
		if n := utf8.RuneCountInString(s); r.minStem == 0 || n < r.minStem {
			r.minStem = n
		}
	}
}

// poolNames merges the names data of several languages.
func poolNames(all ...nameRules) nameRules {
	p := nameRules{forms: map[string][]string{}, stems: map[string][]string{}, notNames: newWordSet(), regions: map[string][]string{}}
	seen := map[string]bool{}
	for _, r := range all {
		for k, regions := range r.regions {
			for _, reg := range regions {
				p.regions[k] = appendNew(p.regions[k], reg)
			}
		}
		for f, keys := range r.forms {
			for _, k := range keys {
				p.forms[f] = appendNew(p.forms[f], k)
			}
		}
		for s, keys := range r.stems {
			for _, k := range keys {
				p.stems[s] = appendNew(p.stems[s], k)
			}
		}
		for w := range r.notNames {
			p.notNames[w] = struct{}{}
		}
		for _, d := range r.derivations {
			if !seen[d] {
				seen[d] = true
				p.derivations = append(p.derivations, d)
			}
		}
	}
	p.measure()
	return p
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// NameKeys returns the keys under which some registered language lists
// form, a lower-cased word or phrase of words as Words splits them, as
// the way it writes a name: "münchen", "munich" and "münchner" (from the
// stem "münchner*") all give "munich"; "vereinte nationen" and "un" give
// "un". Two texts that name the same key name the same thing, whatever
// their languages. Nil when no language lists form.
func (r *Registry) NameKeys(form string) []string {
	n := r.names
	if n == nil {
		return nil
	}
	if keys, ok := n.forms[form]; ok {
		return keys
	}
	if n.minStem == 0 || strings.Contains(form, " ") {
		return nil
	}
	// Stems: the longest prefix of form that is one.
	for i := len(form); i > 0; {
		if utf8.RuneCountInString(form[:i]) < n.minStem {
			break
		}
		if keys, ok := n.stems[form[:i]]; ok {
			return keys
		}
		_, size := utf8.DecodeLastRuneInString(form[:i])
		i -= size
	}
	return nil
}

// NameAt returns the keys of the longest name form that words (as Words
// gives them) begin with, and how many words it spans: for "vereinten",
// "nationen", "in" the keys of "vereinte nationen" and 2. Nil and 0 when
// words begin with no form.
func (r *Registry) NameAt(words []string) ([]string, int) {
	if r.names == nil || len(words) == 0 {
		return nil, 0
	}
	if r.names.starts.has(words[0]) {
		for n := min(r.names.maxWords, len(words)); n >= 2; n-- {
			if keys, ok := r.names.forms[strings.Join(words[:n], " ")]; ok {
				return keys, n
			}
		}
	}
	if keys := r.NameKeys(words[0]); keys != nil {
		return keys, 1
	}
	return nil, 0
}

// NotName reports whether some registered language lists the
// lower-cased word as capitalised but not a name: a demonym ("Chinese"),
// a season ("Spring").
func (r *Registry) NotName(word string) bool { return r.names != nil && r.names.notNames.has(word) }

// NameDerivations returns the endings by which the registered languages
// derive words from names ("Karlsruhe" → "Karlsruher", "Trump" →
// "Trumps"): a name and the name with one of them name the same thing.
func (r *Registry) NameDerivations() []string {
	if r.names == nil {
		return nil
	}
	return r.names.derivations
}

// Regions returns the keys of the regions that hold the place named by
// key, as the names data's within lists them: "northafrica" and
// "middleeast" hold "egypt". A source that names the place names a
// country of those regions. Nil when no language lists key.
func (r *Registry) Regions(key string) []string {
	if r.names == nil {
		return nil
	}
	return r.names.regions[key]
}
