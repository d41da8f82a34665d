package verify

import (
	"reflect"
	"strings"
	"testing"
)

// unsupportedCase is one case of Unsupported: the findings of text (in
// lang) against sources.
type unsupportedCase struct {
	name    string
	text    string
	lang    string
	sources []string
	want    []Finding
}

func runUnsupported(t *testing.T, tests []unsupportedCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unsupported(langs, tt.text, tt.sources, tt.lang)
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Unsupported(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	tests := []unsupportedCase{
		{
			name:    "german billions from english source",
			text:    "Nvidia investiert 1,5 Milliarden Dollar in China.",
			lang:    "de",
			sources: []string{"Nvidia will invest $1.5 billion in China, the company said."},
			want:    nil,
		},
		{
			name:    "wrong amount",
			text:    "Nvidia investiert 2,5 Milliarden Dollar in China.",
			lang:    "de",
			sources: []string{"Nvidia will invest $1.5 billion in China, the company said."},
			want:    []Finding{{"money", "2,5 Milliarden Dollar"}},
		},
		{
			name:    "wrong currency",
			text:    "Nvidia investiert 1,5 Milliarden Euro.",
			lang:    "de",
			sources: []string{"Nvidia will invest $1.5 billion, the company said."},
			want:    []Finding{{"money", "1,5 Milliarden Euro"}},
		},
		{
			name:    "thousands separators across languages",
			text:    "Das Werk soll 3.000 Menschen beschäftigen.",
			lang:    "de",
			sources: []string{"The plant will employ 3,000 people."},
			want:    nil,
		},
		{
			name:    "english thousands from german source",
			text:    "The plant will employ 3,000 people.",
			lang:    "en",
			sources: []string{"Das Werk soll 3.000 Menschen beschäftigen, teilte der Konzern mit."},
			want:    nil,
		},
		{
			name:    "rounded at stated precision",
			text:    "Exports fell by 12 percent to $1.5 billion.",
			lang:    "en",
			sources: []string{"Exports dropped 11.8% to $1.47 billion."},
			want:    nil,
		},
		{
			name:    "wrong percent",
			text:    "Die Exporte sanken um 20 Prozent.",
			lang:    "de",
			sources: []string{"Exports dropped 11.8% in the quarter."},
			want:    []Finding{{"percent", "20 Prozent"}},
		},
		{
			name:    "month across languages",
			text:    "Die Regeln gelten ab dem 3. Oktober 2025.",
			lang:    "de",
			sources: []string{"The rules take effect on October 3, 2025."},
			want:    nil,
		},
		{
			name:    "wrong day",
			text:    "Die Regeln gelten ab dem 13. Oktober.",
			lang:    "de",
			sources: []string{"The rules take effect on October 3, 2025."},
			want:    []Finding{{"date", "13. Oktober"}},
		},
		{
			name:    "weekday",
			text:    "Am Dienstag teilte das Ministerium mit, die Regeln seien verschärft worden.",
			lang:    "de",
			sources: []string{"The ministry said on Monday the rules had been tightened."},
			want:    []Finding{{"date", "Dienstag"}},
		},
		{
			name:    "spelled number in source",
			text:    "Two firms, Huawei and SMIC, were named. 2 firms is what the report says.",
			lang:    "en",
			sources: []string{"The report named two firms: Huawei and SMIC."},
			want:    nil,
		},
		{
			name:    "invented name",
			text:    "The deal was announced by Jensen Huang and Lisa Su in Taipei.",
			lang:    "en",
			sources: []string{"Nvidia chief executive Jensen Huang announced the deal in Taipei."},
			want:    []Finding{{"name", "Lisa Su"}},
		},
		{
			name:    "possessive and country equivalents",
			text:    "Die USA und Peking streiten über Nvidias Chips.",
			lang:    "de",
			sources: []string{"The U.S. and Beijing are at odds over Nvidia's chips."},
			want:    nil,
		},
		{
			name:    "product names with digits",
			text:    "DeepSeek nutzte H800-Chips statt H100 für GPT-4o-Konkurrenten.",
			lang:    "de",
			sources: []string{"DeepSeek used H800 chips to build a rival to GPT-4o."},
			want:    []Finding{{"name", "H100"}},
		},
		{
			name:    "german nouns are not names",
			text:    "Die Regierung in Peking kritisierte die Sanktionen scharf.",
			lang:    "de",
			sources: []string{"Beijing's government sharply criticised the sanctions."},
			want:    nil,
		},
		{
			name:    "year",
			text:    "The ban dates from 2019.",
			lang:    "en",
			sources: []string{"The ban dates from 2022."},
			want:    []Finding{{"date", "2019"}},
		},
		{
			name:    "german noun phrases are not names",
			text:    "Der Verein bot Erste Hilfe an und zog ins WM-Viertelfinale ein.",
			lang:    "de",
			sources: []string{"The club offered first aid and reached the World Cup quarter-finals."},
			want:    nil,
		},
		{
			name:    "invented german name",
			text:    "Laut Lisa Su und Nvidia-Chef Jensen Wong wächst der Markt.",
			lang:    "de",
			sources: []string{"Nvidia chief executive Jensen Huang said the market is growing."},
			want:    []Finding{{"name", "Lisa Su"}, {"name", "Jensen Wong"}},
		},
		{
			name:    "space as thousands separator and pound",
			text:    "Jeder Spieler verliert 500 000 Pfund.",
			lang:    "de",
			sources: []string{"Players will lose £500,000-a-man in bonuses."},
			want:    nil,
		},
		{
			name:    "decade",
			text:    "Der Mann in seinen 50ern wurde verletzt. The man in his 50s was hurt.",
			lang:    "de",
			sources: []string{"The man in his 50s was hurt."},
			want:    nil,
		},
		{
			name:    "two days one month",
			text:    "Bolt läuft am 2. und 3. Mai.",
			lang:    "de",
			sources: []string{"Bolt will compete on May 2 and 3."},
			want:    nil,
		},
		{
			name:    "diacritics folded",
			text:    "Jürgen Klopp verlässt Dortmund.",
			lang:    "de",
			sources: []string{"Jurgen Klopp will leave Dortmund."},
			want:    nil,
		},
		{
			name:    "english titles and sentence-initial words",
			text:    "Former Newcastle manager Sir Bobby Robson was honoured. Suspects Adnan Farah and Ali Khan were held.",
			lang:    "en",
			sources: []string{"Newcastle honoured its manager Bobby Robson. Police held Adnan Farah and Ali Khan."},
			want:    nil,
		},
		{
			name:    "KI from artificial intelligence",
			text:    "Die KI-Regeln der Vereinten Nationen betreffen auch Nvidia-Chips.",
			lang:    "de",
			sources: []string{"United Nations rules on artificial intelligence also affect Nvidia's chips."},
			want:    nil,
		},
		{
			name:    "exonyms through the names registry",
			text:    "Die Vereinten Nationen tagten in Göteborg; Brasiliens Team erreichte das Achtelfinale.",
			lang:    "de",
			sources: []string{"The United Nations met in Gothenburg, where Brazil's team reached the round of 16."},
			want:    nil,
		},
		{
			name:    "an exonym of another place is still found",
			text:    "The United Nations met in Vienna.",
			lang:    "en",
			sources: []string{"Die Vereinten Nationen tagten in Göteborg."},
			want:    []Finding{{"name", "Vienna"}},
		},
		{
			name:    "english exonym of a german source",
			text:    "Munich and the German Football Association welcomed the Greens.",
			lang:    "en",
			sources: []string{"München und der Deutsche Fußball-Bund begrüßten die Grünen."},
			want:    nil,
		},
		{
			name:    "derived words and transliterated umlauts",
			text:    "The Karlsruhe court heard Mueller and the Bavarian minister.",
			lang:    "en",
			sources: []string{"Das Karlsruher Gericht hörte Müller und den bayerischen Minister."},
			want:    nil,
		},
		{
			name:    "a number word is not a name",
			text:    "Die Top Vier der Liga spielen weiter.",
			lang:    "de",
			sources: []string{"The top four of the league play on."},
			want:    nil,
		},
		{
			name:    "a wrong number word is a wrong number",
			text:    "Die Top Fünf der Liga spielen weiter.",
			lang:    "de",
			sources: []string{"The top four of the league play on."},
			want:    []Finding{{"number", "Fünf"}},
		},
		{
			name:    "two words the source writes as one",
			text:    "The club won the Fair Play award.",
			lang:    "en",
			sources: []string{"Der Verein gewann den Fairplay-Preis."},
			want:    nil,
		},
		{
			name:    "a german word the source uses in a compound",
			text:    "Die Ministerin für Heimat kam nach Arkansas.",
			lang:    "de",
			sources: []string{"Die Heimatschutzministerin reiste nach Arkansas."},
			want:    nil,
		},
		{
			name:    "numbers inside german compounds",
			text:    "He served three years and needs a two-thirds majority for four-man bobs.",
			lang:    "en",
			sources: []string{"Nach einer dreijährigen Amtszeit braucht er eine Zweidrittelmehrheit für den Viererbob."},
			want:    nil,
		},
		{
			name:    "a compound of another number",
			text:    "He served five years.",
			lang:    "en",
			sources: []string{"Nach einer dreijährigen Amtszeit ging er. Achtung: elf Tage später kam er zurück."},
			want:    []Finding{{"number", "five"}},
		},
		{
			name:    "names inside german compounds",
			text:    "The end of Nazi rule in Western Europe was a Bundesliga topic.",
			lang:    "en",
			sources: []string{"Die Naziherrschaft in Westeuropa endete, sagte ein Bundesligatrainer."},
			want:    nil,
		},
		{
			name:    "a short name is not found inside a compound",
			text:    "They met Ems.",
			lang:    "en",
			sources: []string{"Sie trafen sich an der Emsland-Grenze."},
			want:    []Finding{{"name", "Ems"}},
		},
		{
			name:    "names transcribed the german way",
			text:    "Pavel Ustinov, Benjamin Netanyahu and Mikhail Khodorkovsky met in the Hindu Kush.",
			lang:    "en",
			sources: []string{"Pawel Ustinow, Benjamin Netanjahu und Michail Chodorkowski trafen sich am Hindukusch."},
			want:    nil,
		},
		{
			name:    "a transcription of another name",
			text:    "Pavel Ustinov met Dmitry Medvedev.",
			lang:    "en",
			sources: []string{"Pawel Ustinow traf Dmitrij Peskow."},
			want:    []Finding{{"name", "Dmitry Medvedev"}},
		},
		{
			name:    "institutions translated into english",
			text:    "The Federal Government and the Ministry of Justice watched the DFB Cup.",
			lang:    "en",
			sources: []string{"Die Bundesregierung und das Justizministerium sahen das DFB-Pokalspiel."},
			want:    nil,
		},
		{
			name:    "units written onto numbers and metres",
			text:    "The 726-foot tower stood next to the 200m pool.",
			lang:    "en",
			sources: []string{"Der 726ft hohe Turm steht neben dem Becken für die 200 Meter."},
			want:    nil,
		},
		{
			name:    "a small m is a million",
			text:    "He stole 16m.",
			lang:    "en",
			sources: []string{"He stole 16 cars worth millions."},
			want:    []Finding{{"number", "16m"}},
		},
		{
			name:    "one as an article before a scale word",
			text:    "The US ran up nearly $1 trillion in debt.",
			lang:    "en",
			sources: []string{"Die USA machten knapp eine Billion Dollar Schulden."},
			want:    nil,
		},
		{
			name:    "one as an article is the scale word's number, not one alone",
			text:    "The central bank printed €1 and then €1,000 trillion.",
			lang:    "en",
			sources: []string{"Die Notenbank druckte eine Billiarde Euro."},
			want:    []Finding{{"money", "€1"}},
		},
		{
			name:    "parties, groups and titles",
			text:    "The EPP, the Liberals and Labour MPs met Fed Chairman Powell at the Aachen Grand Prix.",
			lang:    "en",
			sources: []string{"Die EVP, die Liberalen und Labour-Abgeordnete trafen Fed-Chef Powell beim Großen Preis von Aachen."},
			want:    nil,
		},
		{
			name:    "no sources",
			text:    "OpenAI raised $6.6 billion.",
			lang:    "en",
			sources: nil,
			want:    []Finding{{"name", "OpenAI"}, {"money", "$6.6 billion"}},
		},
	}
	runUnsupported(t, tests)
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		name, text, want string
		ok               bool
		detail           string // substring of detail
	}{
		{"clean german", "Die USA verschärfen die Exportregeln für KI-Chips. Nvidia darf weniger nach China liefern.", "de", true, ""},
		{"clean english", "The US tightened export rules for AI chips. Nvidia may ship less to China.", "en", true, ""},
		{"english leaks into german", "Die USA verschärfen die Exportregeln für KI-Chips. The company said it would comply with the new rules.", "de", false, "sentence 2 is en"},
		{"chinese leaks into german", "Die USA verschärfen die Exportregeln. 中国表示坚决反对。", "de", false, "Chinese"},
		{"german into english", "The US tightened export rules. Die Regierung in Peking hat das scharf kritisiert und mit Gegenmaßnahmen gedroht.", "en", false, "sentence 2 is de"},
		{"short quote tolerated", "Das Modell heißt „Deep Research“. Es soll im Oktober erscheinen und viel können.", "de", true, ""},
		{"empty", "", "de", false, "empty"},
		{"english headline of names", "Huawei to double Ascend 910C output. The company expects strong demand from Chinese cloud providers.", "en", true, ""},
		{"german line of names", "Alibaba, Tencent und Baidu investieren. Die drei Konzerne wollen eigene Chips entwickeln.", "de", true, ""},
		{"french leaks into english", "The US tightened export rules. Le gouvernement chinois a dénoncé une mesure protectionniste inacceptable.", "en", false, "sentence 2 is fr"},
		{"cyrillic", "Die Regierung reagierte. Министерство заявило о новых мерах.", "de", false, "Cyrillic"},
		{"name-heavy english line in german", "Huawei plans to lift Ascend AI chip output to 1.1 million in 2027", "de", false, "en"},
		{"name-heavy german line in english", "Huawei will die Produktion der Ascend-Chips bis 2027 auf 1,1 Millionen steigern", "en", false, "de"},
		{"german headline of names", "Huawei: Ascend 910C, SMIC und CXMT im Fokus", "de", true, ""},
		// Story texts as the summarize stage checks them.
		{"german story sentence with citation", "Nvidia darf seinen KI-Chip H20 nur noch mit einer Lizenz nach China verkaufen [1].", "de", true, ""},
		{"english line of names and numbers", "Huawei to double Ascend 910C output as SMIC improves 7-nanometre yields.", "en", true, ""},
		{"english line with a dollar amount", "Today: Nvidia says new US export rules on H20 chips will cost it $5.5 billion.", "en", true, ""},
		{"english sentence after a german one", "Nvidia erwartet eine Belastung. The company said that the rules will hurt its sales in China.", "de", false, "en"},
		{"han characters in german", "Huawei will die Produktion verdoppeln, sagte ein Sprecher 华为公司.", "de", false, "Chinese"},
		{"german sentence in english", "Die Bundesnetzagentur soll die Aufsicht übernehmen, das hat das Kabinett beschlossen.", "en", false, "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, detail := Language(langs, tt.text, tt.want)
			if ok != tt.ok || !strings.Contains(detail, tt.detail) {
				t.Errorf("Language() = %v, %q; want %v, detail containing %q", ok, detail, tt.ok, tt.detail)
			}
		})
	}
}

func FuzzUnsupported(f *testing.F) {
	f.Add("Nvidia investiert 1,5 Milliarden Dollar am 3. Oktober 2025.", "Nvidia will invest $1.5 billion on October 3.", "de")
	f.Add("The U.S. said 3,000 people, 12% and €4m on Tuesday.", "Die USA: 3.000 Menschen, 12 Prozent.", "en")
	f.Add("\xff9.\xfe,1 May 99999999999999999999999999999", "", "en")
	f.Fuzz(func(t *testing.T, text, source, lang string) {
		got := Unsupported(langs, text, []string{source}, lang)
		for _, f := range got {
			if f.Value == "" || !strings.Contains(text, f.Value) {
				t.Fatalf("finding %+v not a span of %q", f, text)
			}
		}
		// A text is always grounded in itself.
		if self := Unsupported(langs, text, []string{text}, lang); len(self) > 0 {
			t.Fatalf("text not supported by itself: %q → %+v", text, self)
		}
		Language(langs, text, lang)
	})
}
