package summarize

import (
	"errors"
	"fmt"
	"strings"
)

// Term is one glossary entry: the English and German words for one concept.
// Alt lists other accepted German renderings.
type Term struct {
	EN  string   `yaml:"en"`
	DE  string   `yaml:"de"`
	Alt []string `yaml:"alt,omitempty"`
}

// Glossary is the bilingual vocabulary the LLM must use, and the names it
// must never translate. It also lends the clusterer concepts that look
// different in German and English ("Exportkontrollen" / "export controls").
type Glossary struct {
	Terms []Term `yaml:"terms"`
	// Keep lists names written the same in every language.
	Keep []string `yaml:"keep"`
}

// defaultTerms and defaultKeep come from the project's topic notes
// (China–US AI race). They are returned as fresh slices by Defaults.
func defaultTerms() []Term {
	return []Term{
		{EN: "export controls", DE: "Exportkontrollen", Alt: []string{"Exportkontrolle", "Ausfuhrbeschränkungen", "Ausfuhrkontrollen", "Exportbeschränkungen"}},
		{EN: "semiconductor", DE: "Halbleiter"},
		{EN: "chip-making equipment", DE: "Halbleiterfertigungsanlagen", Alt: []string{"Chipfertigungsanlagen", "Anlagen zur Chipherstellung"}},
		{EN: "large language model", DE: "großes Sprachmodell", Alt: []string{"Großsprachmodell", "große Sprachmodelle", "großen Sprachmodell"}},
		{EN: "open-weight", DE: "offenen Gewichten", Alt: []string{"Open-Weight", "offene Gewichte"}},
		{EN: "open-source model", DE: "Open-Source-Modell", Alt: []string{"Open-Source-Modelle"}},
		{EN: "artificial intelligence", DE: "künstliche Intelligenz", Alt: []string{"künstlicher Intelligenz", "KI"}},
		{EN: "trade war", DE: "Handelskrieg", Alt: []string{"Handelskrieges", "Handelskriegs"}},
		{EN: "national security", DE: "nationale Sicherheit", Alt: []string{"nationalen Sicherheit"}},
		{EN: "mainland China", DE: "chinesisches Festland", Alt: []string{"chinesischen Festland"}},
		{EN: "reasoning model", DE: "Reasoning-Modell", Alt: []string{"Denkmodell", "Reasoning-Modelle"}},
		{EN: "tariffs", DE: "Zölle", Alt: []string{"Zöllen", "Zoll"}},
		{EN: "data centre", DE: "Rechenzentrum", Alt: []string{"Rechenzentren", "data center"}},
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

// Validate checks that every term has both languages.
func (g *Glossary) Validate() error {
	var errs []error
	for i, t := range g.Terms {
		if strings.TrimSpace(t.EN) == "" || strings.TrimSpace(t.DE) == "" {
			errs = append(errs, fmt.Errorf("terms[%d]: both en and de are required", i))
		}
	}
	for i, k := range g.Keep {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, fmt.Errorf("keep[%d] is empty", i))
		}
	}
	return errors.Join(errs...)
}

// forms returns the renderings of t in lang, lower-cased.
func (t Term) forms(lang string) []string {
	if lang == "de" {
		out := []string{strings.ToLower(t.DE)}
		for _, a := range t.Alt {
			out = append(out, strings.ToLower(a))
		}
		return out
	}
	return []string{strings.ToLower(t.EN)}
}

// prompt renders, as instructions for the model, the glossary terms and
// names that occur in texts: the whole list would add some 350 tokens to
// every call for terms the story never uses.
func (g *Glossary) prompt(texts ...string) string {
	lower := strings.ToLower(strings.Join(texts, "\n"))
	var b strings.Builder
	for _, t := range g.Terms {
		used := containsWord(lower, strings.ToLower(t.EN))
		for _, f := range t.forms("de") {
			used = used || strings.Contains(lower, f)
		}
		if used {
			if b.Len() == 0 {
				b.WriteString("Glossary (English = German):\n")
			}
			fmt.Fprintf(&b, "- %s = %s\n", t.EN, t.DE)
		}
	}
	var names []string
	for _, k := range g.Keep {
		if containsWord(lower, strings.ToLower(k)) {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		b.WriteString("Never translate these names: " + strings.Join(names, ", ") + ".\n")
	}
	return b.String()
}
