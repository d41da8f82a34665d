package lang

import "strings"

// The lists are short on purpose: they hold function words (articles,
// pronouns, auxiliaries, prepositions, conjunctions, particles) that carry no
// topic. They serve two uses: telling German from English in short text, and
// keeping function words out of sentence similarity. Content words that are
// merely frequent in news ("said", "sagte") are not here; callers that want
// them out add their own.

var stopwordsDE = setOf(`
aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch auf aus
bei beim bin bis bist da dabei dadurch dafür dagegen daher damit dann darauf darum das dass dem den denen denn der deren des
dessen die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines einige einigen
er es etwa euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre
ihrem ihren ihrer ihres im in indem ins ist ja jede jedem jeden jeder jedes jedoch jene jenem jenen jener jenes
kann kein keine keinem keinen keiner können könnte man manche mehr mein meine mich mir mit muss musste nach nicht
nichts noch nun nur ob oder ohne schon sehr sei seien sein seine seinem seinen seiner seines seit sich sie sind so
solche soll sollen sollte sondern sowie über um und uns unser unsere unter vom von vor war waren warum was weil
welche welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wirst wo wurde wurden zu zum zur
zwar zwischen laut bereits sowohl weder beide beiden wegen trotz während ab dazu davon sodass worden wäre hätte
`)

var stopwordsEN = setOf(`
a about above after again against all am an and any are aren't as at be because been before being below between both
but by can could did didn't do does doesn't doing don't down during each few for from further had has hasn't have
haven't having he her here hers herself him himself his how i if in into is isn't it it's its itself just let me more
most my myself no nor not of off on once only or other our ours ourselves out over own same she should so some such
than that that's the their theirs them themselves then there these they this those through to too under until up upon
very was wasn't we were weren't what when where which while who whom why will with won't would wouldn't you your
yours yourself also its into amid among since though although whether shall may might must via per
`)

func setOf(words string) map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(words) {
		m[w] = struct{}{}
	}
	return m
}

// IsStopword reports whether word (any case) is a function word of the
// language code ("de" or "en"). It is false for every other language.
func IsStopword(word, code string) bool {
	w := strings.ToLower(word)
	switch code {
	case "de":
		_, ok := stopwordsDE[w]
		return ok
	case "en":
		_, ok := stopwordsEN[w]
		return ok
	}
	return false
}
