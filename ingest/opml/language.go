package opml

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// languageNames maps language names, as people title folders, to ISO 639-1
// codes: the English name, the German one and the language's own.
var languageNames = map[string]string{
	"german": "de", "deutsch": "de",
	"english": "en", "englisch": "en",
	"french": "fr", "französisch": "fr", "franzoesisch": "fr", "français": "fr", "francais": "fr",
	"spanish": "es", "spanisch": "es", "español": "es", "espanol": "es",
	"italian": "it", "italienisch": "it", "italiano": "it",
	"dutch": "nl", "niederländisch": "nl", "nederlands": "nl",
	"portuguese": "pt", "portugiesisch": "pt", "português": "pt", "portugues": "pt",
	"polish": "pl", "polnisch": "pl", "polski": "pl",
	"russian": "ru", "russisch": "ru", "русский": "ru",
	"ukrainian": "uk", "ukrainisch": "uk", "українська": "uk",
	"chinese": "zh", "chinesisch": "zh", "中文": "zh",
	"japanese": "ja", "japanisch": "ja", "日本語": "ja",
	"korean": "ko", "koreanisch": "ko", "한국어": "ko",
	"swedish": "sv", "schwedisch": "sv", "svenska": "sv",
	"danish": "da", "dänisch": "da", "dansk": "da",
	"norwegian": "no", "norwegisch": "no", "norsk": "no",
	"finnish": "fi", "finnisch": "fi", "suomi": "fi",
	"czech": "cs", "tschechisch": "cs", "čeština": "cs",
	"turkish": "tr", "türkisch": "tr", "türkçe": "tr",
	"greek": "el", "griechisch": "el", "ελληνικά": "el",
	"arabic": "ar", "arabisch": "ar", "العربية": "ar",
	"hebrew": "he", "hebräisch": "he", "עברית": "he",
	"hindi": "hi", "हिन्दी": "hi",
}

var lower = cases.Lower(language.Und)

// LanguageCode returns the ISO 639-1 code a category or attribute names:
// a language tag ("de", "de-AT", "en_US") or a language name in English,
// German or the language itself ("German", "Deutsch", "Français"). It
// returns "" for anything else, so "News" or "Tech" stay categories. A tag
// must be written the way tags are, its language in lower case: a folder
// called "IT" is about computers, not Italian.
func LanguageCode(s string) string {
	s = strings.TrimSpace(s)
	if code, ok := languageNames[lower.String(s)]; ok {
		return code
	}
	// Tags: two letters, optionally a region, that x/text knows.
	tag := strings.ReplaceAll(s, "_", "-")
	base, _, _ := strings.Cut(tag, "-")
	if len(base) != 2 {
		return ""
	}
	t, err := language.Parse(tag)
	if err != nil {
		return ""
	}
	if b, conf := t.Base(); conf == language.Exact && b.String() == base {
		return base
	}
	return ""
}
