package summarize

import "fmt"

// Notes tell readers, in the digest's own language, how an edition was
// degraded. Languages other than German get the English text.

type noteKind int

const (
	noteLLMDown noteKind = iota
	noteLLMSlow
	noteLLMPartial
	noteRejected
)

func note(kind noteKind, lang string, n int) string {
	de := lang == "de"
	switch kind {
	case noteLLMDown:
		if de {
			return "Das Sprachmodell war nicht erreichbar. Diese Ausgabe wurde mit dem eingebauten extraktiven Verfahren aus deutschsprachigen Quellen zusammengestellt."
		}
		return "The language model was unavailable. This edition was composed by the built-in extractive summarizer from " + langName(lang) + "-language sources."
	case noteLLMSlow:
		if de {
			return "Das Sprachmodell antwortete nicht rechtzeitig. Diese Ausgabe wurde mit dem eingebauten extraktiven Verfahren aus deutschsprachigen Quellen zusammengestellt."
		}
		return "The language model did not answer in time. This edition was composed by the built-in extractive summarizer from " + langName(lang) + "-language sources."
	case noteLLMPartial:
		if de {
			return fmt.Sprintf("Das Sprachmodell fiel während der Erstellung aus; %d Meldungen wurden mit dem eingebauten extraktiven Verfahren zusammengefasst.", n)
		}
		return fmt.Sprintf("The language model failed while this edition was composed; %d stories were summarized by the built-in extractive summarizer.", n)
	case noteRejected:
		if de {
			return fmt.Sprintf("%d Meldungen wurden mit dem extraktiven Verfahren zusammengefasst, weil der generierte Text unsere Prüfung gegen die Quellen nicht bestand.", n)
		}
		return fmt.Sprintf("%d stories were summarized extractively because the generated text failed our checks against the sources.", n)
	}
	return ""
}
