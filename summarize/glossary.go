package summarize

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Term is one glossary entry: the words for one concept in each language,
// keyed by language code. English is the pivot every term needs: the
// checks compare each version of a story with the English one. The first
// word of a language is the one to write, the others are accepted too.
//
// In YAML a term maps language codes to a word or a list of words:
//
//   - en: export controls
//     de: [Exportkontrollen, Exportkontrolle]
//
// The older form with alt (more German words) still reads:
//
//   - {en: tariffs, de: Zölle, alt: [Zöllen]}
type Term struct {
	Words map[string][]string `yaml:"<lang>"`
}

// pivot is the language every term is written in.
const pivot = "en"

// UnmarshalYAML reads a term in either form.
func (t *Term) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a glossary term is a map of language codes to words", n.Line)
	}
	t.Words = map[string][]string{}
	var alt []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i].Value, n.Content[i+1]
		var words []string
		switch val.Kind {
		case yaml.ScalarNode:
			words = []string{val.Value}
		case yaml.SequenceNode:
			if err := val.Decode(&words); err != nil {
				return fmt.Errorf("line %d: %s: %w", val.Line, key, err)
			}
		default:
			return fmt.Errorf("line %d: %s: want a word or a list of words", val.Line, key)
		}
		if key == "alt" {
			alt = words
			continue
		}
		t.Words[key] = append(t.Words[key], words...)
	}
	if len(alt) > 0 {
		t.Words["de"] = append(t.Words["de"], alt...)
	}
	return nil
}

// MarshalYAML writes the map form.
func (t Term) MarshalYAML() (any, error) { return t.Words, nil }

// term builds a Term of the defaults: the English word, then the German
// words.
func term(en string, de ...string) Term {
	return Term{Words: map[string][]string{"en": {en}, "de": de}}
}

// word returns the word to write for the term in lang, or "".
func (t Term) word(lang string) string {
	if w := t.Words[lang]; len(w) > 0 {
		return w[0]
	}
	return ""
}

// Glossary is the multilingual vocabulary the LLM must use, and the names
// it must never translate. It also lends the clusterer concepts that look
// different across languages ("Exportkontrollen" / "export controls").
type Glossary struct {
	Terms []Term `yaml:"terms"`
	// Keep lists names written the same in every language.
	Keep []string `yaml:"keep"`
}

// defaultTerms and defaultKeep come from the project's topic notes
// (China–US AI race). They are returned as fresh slices by Defaults.
func defaultTerms() []Term {
	return []Term{
		term("export controls", "Exportkontrollen", "Exportkontrolle", "Ausfuhrbeschränkungen", "Ausfuhrkontrollen", "Exportbeschränkungen"),
		term("semiconductor", "Halbleiter"),
		term("chip-making equipment", "Halbleiterfertigungsanlagen", "Chipfertigungsanlagen", "Anlagen zur Chipherstellung"),
		term("large language model", "großes Sprachmodell", "Großsprachmodell", "große Sprachmodelle", "großen Sprachmodell"),
		term("open-weight", "offenen Gewichten", "Open-Weight", "offene Gewichte"),
		term("open-source model", "Open-Source-Modell", "Open-Source-Modelle"),
		term("artificial intelligence", "künstliche Intelligenz", "künstlicher Intelligenz", "KI"),
		term("trade war", "Handelskrieg", "Handelskrieges", "Handelskriegs"),
		term("national security", "nationale Sicherheit", "nationalen Sicherheit"),
		term("mainland China", "chinesisches Festland", "chinesischen Festland"),
		term("reasoning model", "Reasoning-Modell", "Denkmodell", "Reasoning-Modelle"),
		term("tariffs", "Zölle", "Zöllen", "Zoll"),
		term("data centre", "Rechenzentrum", "Rechenzentren", "data center"),
	}
}

func defaultKeep() []string {
	return []string{
		"Entity List", "BIS", "CHIPS and Science Act",
		"Alibaba", "Qwen", "DeepSeek", "DeepSeek-R1", "Moonshot AI", "Kimi", "Zhipu", "GLM", "MiniMax",
		"Baidu", "ERNIE", "Tencent", "Hunyuan", "ByteDance", "Doubao",
		"Meta", "Llama", "OpenAI", "gpt-oss", "Google", "Gemma", "Anthropic", "xAI",
		"Nvidia", "A800", "H800", "H20", "H100", "H200", "Blackwell", "B200", "GB200", "AMD", "MI308",
		"Huawei", "Ascend", "910B", "910C", "Cambricon", "Hygon", "Moore Threads", "Biren", "MetaX",
		"SMIC", "Hua Hong", "CXMT", "TSMC", "Hugging Face",
	}
}

// Defaults fills an empty glossary with the topic defaults.
func (g *Glossary) Defaults() {
	if len(g.Terms) == 0 {
		g.Terms = defaultTerms()
	}
	if len(g.Keep) == 0 {
		g.Keep = defaultKeep()
	}
}

// Validate checks that every term has an English word and a word in at
// least one other language, and that its keys look like language codes
// (whether they are registered is checked with the registry; see
// Config.Languages).
func (g *Glossary) Validate() error {
	var errs []error
	for i, t := range g.Terms {
		if strings.TrimSpace(t.word(pivot)) == "" || len(t.Words) < 2 {
			errs = append(errs, fmt.Errorf("terms[%d]: want an en word and a word in at least one other language", i))
		}
		for code, words := range t.Words {
			if !langRe.MatchString(code) {
				errs = append(errs, fmt.Errorf("terms[%d]: %q is not a language code like de", i, code))
			}
			for _, w := range words {
				if strings.TrimSpace(w) == "" {
					errs = append(errs, fmt.Errorf("terms[%d].%s: empty word", i, code))
				}
			}
		}
	}
	for i, k := range g.Keep {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, fmt.Errorf("keep[%d] is empty", i))
		}
	}
	return errors.Join(errs...)
}

// languages returns the language codes the glossary's terms use.
func (g *Glossary) languages() []string {
	var out []string
	for _, t := range g.Terms {
		for code := range t.Words {
			if !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	slices.Sort(out)
	return out
}

// forms returns the renderings of t in lang, lower-cased.
func (t Term) forms(lang string) []string {
	out := make([]string, 0, len(t.Words[lang]))
	for _, w := range t.Words[lang] {
		out = append(out, strings.ToLower(w))
	}
	return out
}

// pivotFirst orders language codes for the glossary: English first, then
// the others in their order.
func pivotFirst(codes ...string) []string {
	out := []string{pivot}
	for _, c := range codes {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// prompt renders, as instructions for the model, the glossary terms and
// names that occur in texts: the whole list would add some 350 tokens to
// every call for terms the story never uses. codes are the languages to
// render, English first; name gives their English names.
func (g *Glossary) prompt(codes []string, name func(string) string, texts ...string) string {
	joined := strings.Join(texts, "\n")
	lower := strings.ToLower(joined)
	var b strings.Builder
	for _, t := range g.Terms {
		used := false
		var words []string
		for _, code := range codes {
			w := t.word(code)
			if w == "" {
				continue
			}
			words = append(words, w)
			if code == pivot {
				used = used || containsWord(lower, strings.ToLower(w))
				continue
			}
			// Other languages glue words into compounds: a substring
			// counts ("Exportkontrollen" in "US-Exportkontrollen").
			for _, f := range t.forms(code) {
				used = used || strings.Contains(lower, f)
			}
		}
		if !used || len(codes) < 2 || len(words) < len(codes) {
			continue // nothing to map, or a language the term lacks
		}
		if b.Len() == 0 {
			names := make([]string, len(codes))
			for i, c := range codes {
				names[i] = name(c)
			}
			b.WriteString("Glossary (" + strings.Join(names, " = ") + "):\n")
		}
		b.WriteString("- " + strings.Join(words, " = ") + "\n")
	}
	var names []string
	for _, k := range g.Keep {
		if keepIn(joined, lower, k) {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		b.WriteString("Never translate these names: " + strings.Join(names, ", ") + ".\n")
	}
	return b.String()
}
