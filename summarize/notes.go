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
	noteAllRejected
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
			return fmt.Sprintf("Das Sprachmodell fiel während der Erstellung aus; %s mit dem eingebauten extraktiven Verfahren zusammengefasst.", plural(n, "Meldung wurde", "Meldungen wurden"))
		}
		return fmt.Sprintf("The language model failed while this edition was composed; %s summarized by the built-in extractive summarizer.", plural(n, "story was", "stories were"))
	case noteRejected:
		if de {
			return fmt.Sprintf("%s mit dem extraktiven Verfahren zusammengefasst, weil der generierte Text unsere Prüfung gegen die Quellen nicht bestand.", plural(n, "Meldung wurde", "Meldungen wurden"))
		}
		return fmt.Sprintf("%s summarized extractively because the generated text failed our checks against the sources.", plural(n, "story was", "stories were"))
	case noteAllRejected:
		if de {
			return "Der generierte Text bestand unsere Prüfung gegen die Quellen nicht. Diese Ausgabe wurde mit dem eingebauten extraktiven Verfahren aus deutschsprachigen Quellen zusammengestellt."
		}
		return "The generated text failed our checks against the sources. This edition was composed by the built-in extractive summarizer from " + langName(lang) + "-language sources."
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
