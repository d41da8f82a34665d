package render

import (
	"fmt"
	"strings"
)

// Labels are the fixed words of a rendered digest in one language.
type Labels struct {
	Digest      string
	Sources     string
	Update      string
	Notes       string
	Unsubscribe string
	UnsubHint   string
	Archive     string
	// Extractive and LLM say who wrote an edition; LLM takes the model.
	Extractive string
	LLM        string
}

var labels = map[string]Labels{
	"de": {
		Digest:      "Nachrichtenüberblick",
		Sources:     "Quellen",
		Update:      "Fortsetzung",
		Notes:       "Hinweise",
		Unsubscribe: "Abmelden",
		UnsubHint:   "Sie erhalten diese E-Mail, weil Ihre Adresse für diesen Newsletter eingetragen ist. Abmelden mit einem Klick:",
		Archive:     "Im Browser lesen",
		Extractive:  "Aus Sätzen der Quellen zusammengestellt (ohne Sprachmodell)",
		LLM:         "Zusammengefasst vom Sprachmodell %s; jede Aussage ist mit ihrer Quelle verlinkt",
	},
	"en": {
		Digest:      "News digest",
		Sources:     "Sources",
		Update:      "Update",
		Notes:       "Notes",
		Unsubscribe: "Unsubscribe",
		UnsubHint:   "You receive this email because your address is subscribed to this newsletter. Unsubscribe with one click:",
		Archive:     "Read in the browser",
		Extractive:  "Compiled from sentences of the sources (no language model)",
		LLM:         "Summarized by the language model %s; every statement links to its source",
	},
}

// LabelsFor returns the labels for lang, falling back to English.
func LabelsFor(lang string) Labels {
	if l, ok := labels[lang]; ok {
		return l
	}
	return labels["en"]
}

// GeneratorText tells readers in lang who wrote a digest, from its
// Generator field ("extractive" or "llm:<model>"); "" for anything else.
func GeneratorText(generator, lang string) string {
	l := LabelsFor(lang)
	switch {
	case generator == "extractive":
		return l.Extractive
	case strings.HasPrefix(generator, "llm:") && len(generator) > len("llm:"):
		return fmt.Sprintf(l.LLM, strings.TrimPrefix(generator, "llm:"))
	}
	return ""
}
