package render

import (
	"strings"

	"github.com/newsdesk/newsdesk/internal/lang"
)

// Labels are the fixed words of a rendered digest in one language, from
// the language's catalog (the label.* messages of internal/lang).
type Labels struct {
	Digest      string
	Sources     string
	Also        string
	Update      string
	Notes       string
	Unsubscribe string
	UnsubHint   string
	Archive     string
}

// LabelsFor returns the labels of l.
func LabelsFor(l *lang.Language) Labels {
	return Labels{
		Digest:      l.T("label.digest"),
		Sources:     l.T("label.sources"),
		Also:        l.T("label.also_reported"),
		Update:      l.T("label.update"),
		Notes:       l.T("label.notes"),
		Unsubscribe: l.T("label.unsubscribe"),
		UnsubHint:   l.T("label.unsubscribe_hint"),
		Archive:     l.T("label.archive"),
	}
}

// GeneratorText tells readers in l who wrote a digest, from its Generator
// field ("extractive" or "llm:<model>"); "" for anything else.
func GeneratorText(generator string, l *lang.Language) string {
	switch {
	case generator == "extractive":
		return l.T("generator.extractive")
	case strings.HasPrefix(generator, "llm:") && len(generator) > len("llm:"):
		return l.T("generator.llm", "model", strings.TrimPrefix(generator, "llm:"))
	}
	return ""
}
