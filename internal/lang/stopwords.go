package lang

import (
	"strings"
	"sync"
)

// detectorStopwords are the German and English function words the detector
// weighs: the lists of the built-in language definitions (data/de and
// data/en). The detector is tuned for that pair and gated on it; other
// languages, registered or not, are told by script and trigrams.
var detectorStopwords = sync.OnceValues(func() (de, en wordSet) {
	langs, err := builtinLanguages()
	if err != nil {
		panic(err) // the package's tests parse the embedded files
	}
	for _, l := range langs {
		switch l.Code {
		case "de":
			de = l.stopwords
		case "en":
			en = l.stopwords
		}
	}
	return de, en
})

func setOf(words string) map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(words) {
		m[w] = struct{}{}
	}
	return m
}
