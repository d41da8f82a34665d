package render

// Labels are the fixed words of a rendered digest in one language.
type Labels struct {
	Digest      string
	Sources     string
	Update      string
	Notes       string
	Unsubscribe string
	UnsubHint   string
	Archive     string
	Generated   string
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
		Generated:   "Erstellt von",
	},
	"en": {
		Digest:      "News digest",
		Sources:     "Sources",
		Update:      "Update",
		Notes:       "Notes",
		Unsubscribe: "Unsubscribe",
		UnsubHint:   "You receive this email because your address is subscribed to this newsletter. Unsubscribe with one click:",
		Archive:     "Read in the browser",
		Generated:   "Written by",
	},
}

// LabelsFor returns the labels for lang, falling back to English.
func LabelsFor(lang string) Labels {
	if l, ok := labels[lang]; ok {
		return l
	}
	return labels["en"]
}
