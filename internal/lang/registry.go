package lang

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Registry is the set of languages newsdesk can publish in. Build it with
// Default (the built-in German and English) and Load or Register more
// before handing it to the stages; it is not changed after that, and reads
// are safe for concurrent use. There is no package-level registry: every
// stage gets the one its caller built.
type Registry struct {
	langs map[string]*Language
	codes []string // in registration order
	// names pools every registered language's names data: a text in
	// one language names what a source in another names (see NameKeys).
	names *nameRules
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{langs: map[string]*Language{}} }

//go:embed data
var builtin embed.FS

// builtinLanguages parses the embedded definitions once; the values are
// immutable, so registries share them.
var builtinLanguages = sync.OnceValues(func() ([]*Language, error) {
	var out []*Language
	for _, code := range []string{"de", "en"} {
		l, err := Parse(builtin, "data/"+code)
		if err != nil {
			return nil, fmt.Errorf("built-in language %s: %w", code, err)
		}
		out = append(out, l)
	}
	return out, nil
})

// Default returns a new registry with the built-in languages, German and
// English. It panics only if the embedded definitions are broken, which the
// package's tests rule out.
func Default() *Registry {
	langs, err := builtinLanguages()
	if err != nil {
		panic(err)
	}
	r := NewRegistry()
	for _, l := range langs {
		if err := r.Register(l); err != nil {
			panic(err)
		}
	}
	return r
}

// reference returns the built-in English catalog, the key set every
// catalog must have.
func reference() *Catalog {
	langs, err := builtinLanguages()
	if err != nil {
		panic(err)
	}
	for _, l := range langs {
		if l.Code == "en" {
			return l.catalog
		}
	}
	panic("lang: no built-in English catalog")
}

// Load parses the language definition in directory dir of fsys (see Parse)
// and registers it.
func (r *Registry) Load(fsys fs.FS, dir string) error {
	l, err := Parse(fsys, dir)
	if err != nil {
		return err
	}
	return r.Register(l)
}

// Register adds l. Its code must be new and its catalog must define every
// message of the built-in English catalog.
//
// Abbreviations, ambiguous abbreviations and sentence openers are pooled
// across the registered languages: news quotes them across languages ("Dr.",
// "Nr.", "U.S."), and a word that some registered language abbreviates is
// far more often an abbreviation than the end of a sentence. Ordinal rules
// stay each language's own.
func (r *Registry) Register(l *Language) error {
	if l == nil || !codeRe.MatchString(l.Code) {
		return errors.New("lang: register: want a language with an ISO 639-1 code")
	}
	if _, dup := r.langs[l.Code]; dup {
		return fmt.Errorf("lang: language %q is already registered", l.Code)
	}
	var missing []string
	for _, k := range reference().Keys() {
		if !l.catalog.Has(k) && !strings.Contains(k, "@") {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("lang: %s: catalog lacks %s", l.Code, strings.Join(missing, ", "))
	}
	own := map[string]*Language{l.Code: l}
	for code, have := range r.langs {
		own[code] = have
	}
	r.codes = append(r.codes, l.Code)
	var abbr, maybe, open []wordSet
	var names []nameRules
	for _, x := range own {
		names = append(names, x.names)
		abbr = append(abbr, x.sentences.abbreviations)
		maybe = append(maybe, x.sentences.maybeFinal)
		open = append(open, x.sentences.openers)
	}
	pool := sentenceRules{abbreviations: union(abbr...), maybeFinal: union(maybe...), openers: union(open...)}
	pooledNames := poolNames(names...)
	r.names = &pooledNames
	// Each registry holds its own copies: the pooled rules depend on which
	// languages it has, and registered values are shared and immutable.
	for code, x := range own {
		c := *x
		p := pool
		p.ordinalLeaders, p.ordinalFollowers = x.sentences.ordinalLeaders, x.sentences.ordinalFollowers
		c.pooled = &p
		r.langs[code] = &c
	}
	return nil
}

// Lookup returns the language registered under code.
func (r *Registry) Lookup(code string) (*Language, bool) {
	l, ok := r.langs[code]
	return l, ok
}

// Get returns the language registered under code, or nil, which every
// Language method accepts (no stopwords, no stemmer, empty catalog).
func (r *Registry) Get(code string) *Language { return r.langs[code] }

// Codes returns the registered codes in registration order.
func (r *Registry) Codes() []string { return slices.Clone(r.codes) }

// Check returns an error naming the registered languages when code is not
// one of them.
func (r *Registry) Check(code string) error {
	if _, ok := r.langs[code]; ok {
		return nil
	}
	return fmt.Errorf("language %q is not registered (registered: %s)", code, strings.Join(r.codes, ", "))
}

// IsStopword reports whether word is a function word of any registered
// language: for text whose language is mixed or unknown.
func (r *Registry) IsStopword(word string) bool {
	for _, l := range r.langs {
		if l.IsStopword(word) {
			return true
		}
	}
	return false
}

var codeRe = regexp.MustCompile(`^[a-z]{2}$`)

// The files of a language definition directory.
const (
	languageFile  = "language.yaml"
	stopwordsFile = "stopwords.txt"
	catalogFile   = "catalog.yaml"
)

// spec is language.yaml.
type spec struct {
	Code    string `yaml:"code"`
	Name    string `yaml:"name"`
	Native  string `yaml:"native"`
	Script  string `yaml:"script"`
	Stemmer string `yaml:"stemmer"`
	Numbers struct {
		DecimalComma bool               `yaml:"decimal_comma"`
		LongScale    bool               `yaml:"long_scale"`
		Words        map[string]float64 `yaml:"words"`
		Checked      wordList           `yaml:"checked"`
	} `yaml:"numbers"`
	Sentences struct {
		Abbreviations    wordList `yaml:"abbreviations"`
		MaybeFinal       wordList `yaml:"maybe_final"`
		Openers          wordList `yaml:"openers"`
		OrdinalLeaders   wordList `yaml:"ordinal_leaders"`
		OrdinalFollowers wordList `yaml:"ordinal_followers"`
	} `yaml:"sentences"`
	Context struct {
		Openers     wordList `yaml:"openers"`
		Phrases     []string `yaml:"phrases"`
		Pronouns    wordList `yaml:"pronouns"`
		Reporting   wordList `yaml:"reporting_verbs"`
		Subjunctive wordList `yaml:"subjunctive"`
		Attribution wordList `yaml:"attribution"`
		FirstPerson wordList `yaml:"first_person"`
	} `yaml:"context"`
	Headlines struct {
		Nouns wordList `yaml:"nouns"`
	} `yaml:"headlines"`
}

// wordList is a YAML list of words or one string of words separated by
// white space, which reads better for long lists.
type wordList []string

func (w *wordList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*w = strings.Fields(n.Value)
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*w = list
	return nil
}

// Parse reads the language defined in directory dir of fsys:
//
//   - language.yaml: code, English and native name, Unicode script (Latin,
//     Cyrillic, …), Snowball stemmer
//     ("none" for none), number writing and words, sentence rules, and
//     the words that make a sentence lean on the one before it (context,
//     see NeedsContext; optional), and the function words that open a
//     headline as nouns (headlines.nouns, see HeadlineNoun; optional);
//   - stopwords.txt: the function words, separated by white space, with
//     "#" comments;
//   - catalog.yaml: the messages (see Catalog);
//   - names.yaml (optional): names the language writes its own way, under
//     keys every language shares ("München" and "Munich" are "munich"),
//     capitalised words that are not names, the endings that derive
//     words from names (see NameKeys), and the places each region holds
//     (see Regions).
//
// Unknown keys are errors. The directory's name does not matter; the code
// in language.yaml does.
func Parse(fsys fs.FS, dir string) (*Language, error) {
	read := func(name string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("lang: %w", err)
		}
		return b, nil
	}
	raw, err := read(languageFile)
	if err != nil {
		return nil, err
	}
	var s spec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("lang: %s: %w", path.Join(dir, languageFile), err)
	}
	if !codeRe.MatchString(s.Code) {
		return nil, fmt.Errorf("lang: %s: code %q: want an ISO 639-1 code like de", path.Join(dir, languageFile), s.Code)
	}
	if strings.TrimSpace(s.Name) == "" || strings.TrimSpace(s.Native) == "" {
		return nil, fmt.Errorf("lang: %s: name and native are required", path.Join(dir, languageFile))
	}
	l := &Language{Code: s.Code, Name: s.Name, Native: s.Native, stemmer: s.Stemmer, script: unicode.Scripts[s.Script]}
	if l.script == nil {
		return nil, fmt.Errorf("lang: %s: script %q: want a Unicode script name such as Latin or Cyrillic", path.Join(dir, languageFile), s.Script)
	}
	if l.stem, err = stemmer(s.Stemmer); err != nil {
		return nil, fmt.Errorf("lang: %s: %w", path.Join(dir, languageFile), err)
	}
	stop, err := read(stopwordsFile)
	if err != nil {
		return nil, err
	}
	l.stopwords = newWordSet(wordsOfList(string(stop))...)
	l.numbers = numberRules{
		decimalComma: s.Numbers.DecimalComma, longScale: s.Numbers.LongScale,
		words: s.Numbers.Words, checked: newWordSet(s.Numbers.Checked...),
	}
	for w := range l.numbers.checked {
		if _, ok := l.numbers.words[w]; !ok {
			return nil, fmt.Errorf("lang: %s: numbers.checked: %q is not in numbers.words", path.Join(dir, languageFile), w)
		}
	}
	l.sentences = sentenceRules{
		abbreviations:    newWordSet(s.Sentences.Abbreviations...),
		maybeFinal:       newWordSet(s.Sentences.MaybeFinal...),
		openers:          newWordSet(s.Sentences.Openers...),
		ordinalLeaders:   newWordSet(s.Sentences.OrdinalLeaders...),
		ordinalFollowers: newWordSet(s.Sentences.OrdinalFollowers...),
	}
	l.headlineNouns = newWordSet(s.Headlines.Nouns...)
	l.context = contextRules{
		openers: newWordSet(s.Context.Openers...), pronouns: newWordSet(s.Context.Pronouns...),
		reporting: newWordSet(s.Context.Reporting...), subjunctive: newWordSet(s.Context.Subjunctive...),
		attribution: newWordSet(s.Context.Attribution...), firstPerson: newWordSet(s.Context.FirstPerson...),
		phrases: newWordSet(),
	}
	for _, p := range s.Context.Phrases {
		l.context.phrases[strings.Join(strings.Fields(strings.ToLower(p)), " ")] = struct{}{}
	}
	if l.names, err = parseNames(fsys, dir); err != nil {
		return nil, err
	}
	cat, err := read(catalogFile)
	if err != nil {
		return nil, err
	}
	if l.catalog, err = parseCatalog(s.Code, cat); err != nil {
		return nil, fmt.Errorf("lang: %s: %w", path.Join(dir, catalogFile), err)
	}
	return l, nil
}

// wordsOfList splits a word list file: white-space separated words, "#"
// to the end of a line is a comment.
func wordsOfList(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}
