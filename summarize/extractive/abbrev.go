package extractive

// Abbreviations after which a period does not end a sentence, lower-cased
// and without the period. They are our own lists for news prose.
var abbrevAlways = setOf(`
mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm maj mt ft st ave blvd vs approx dept fig
jan feb mar apr jun jul aug sep sept oct nov dec tue tues wed thu thur thurs fri
hr fr nr ca bzw vgl ggf evtl inkl zzgl ggü mio mrd tsd str tel abs bd kap dipl ing med jur rer nat
chr jh jhd jhdt okt dez sog std sek geb gest verh univ lic hl
`)

// Abbreviations that often end a sentence too: they end one only when the
// next word is a typical sentence opener.
var abbrevMaybeFinal = setOf(`
etc usw inc ltd co corp jr sr plc llc ag gmbh bros
no nos art mag min max est mon sat sun frau
`)

// Words that typically open a sentence; after an ambiguous abbreviation
// ("etc.", "U.S.") such a word means the sentence did end.
var sentenceOpeners = setOf(`
the a an he she it they we i you his her its their our this that these those there here but and or so yet
in on at for after before when while if although though as since however meanwhile still now then also
der die das ein eine er sie es wir ich du ihr man dies diese dieser dieses doch aber und oder denn so auch
nun dann da in im am an auf bei nach vor seit mit für zum zur als wenn während obwohl trotz jetzt
`)

// Words after which a German "3." is an ordinal, not the end of a sentence.
var ordinalLeaders = setOf(`
am im zum vom beim zur der die das den dem des ab bis seit vor nach ihr ihre ihrem ihren sein seine seinem seinen
jeder jedes jede jedem jeden dieser dieses diese diesem diesen
`)

// Words that follow a German ordinal: months and counted nouns.
var ordinalFollowers = setOf(`
januar jänner februar märz april mai juni juli august september oktober november dezember
jan feb mär apr jun jul aug sep sept okt nov dez
mal platz rang runde spieltag jahrhundert jahrestag geburtstag stock etage klasse liga bundesliga weltkrieg
quartal halbjahr tag woche monat jahr auflage ausgabe sitzung lesung kapitel absatz artikel
minute sekunde stelle etappe lauf staffel folge grades ordnung durchgang wahlgang instanz senat
`)

func setOf(words string) map[string]struct{} {
	m := make(map[string]struct{})
	start := -1
	for i := 0; i <= len(words); i++ {
		if i < len(words) && words[i] != ' ' && words[i] != '\n' && words[i] != '\t' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			m[words[start:i]] = struct{}{}
			start = -1
		}
	}
	return m
}

func has(set map[string]struct{}, w string) bool {
	_, ok := set[w]
	return ok
}
