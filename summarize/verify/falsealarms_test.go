package verify

import "testing"

// TestFalseAlarmClasses pins each class of false alarm the gate had on
// human reference summaries (see summarize/strictness_test.go) from both
// sides: the correct sentence is kept, and a wrong variant of the same
// fact is still reported.
func TestFalseAlarmClasses(t *testing.T) {
	runUnsupported(t, []unsupportedCase{
		// Weekdays inside German compounds.
		{"weekday in a compound supports the English weekday",
			"Holland beat Spain 2-0 on Tuesday night.", "en",
			[]string{"Holland besiegte Spanien am Dienstagabend mit 2:0."}, nil},
		{"weekday in a compound: another weekday",
			"Holland beat Spain 2-0 on Wednesday night.", "en",
			[]string{"Holland besiegte Spanien am Dienstagabend mit 2:0."}, []Finding{{"date", "Wednesday"}}},
		{"weekday in a compound in the text",
			"Die Truppe verabschiedete sie am Donnerstagabend.", "de",
			[]string{"On Thursday evening the troops said goodbye."}, nil},
		{"weekday in a compound in the text: wrong day",
			"Die Truppe verabschiedete sie am Freitagabend.", "de",
			[]string{"On Thursday evening the troops said goodbye."}, []Finding{{"date", "Freitagabend"}}},
		{"holiday ending in a weekday",
			"City were beaten on Easter Monday.", "en",
			[]string{"City verlor am Ostermontag."}, nil},
		{"holiday ending in a weekday: another day",
			"City were beaten on Sunday.", "en",
			[]string{"City verlor am Ostermontag."}, []Finding{{"date", "Sunday"}}},

		// Lower-case month names are common words in a cased text.
		{"march the noun",
			"Riots broke out on the fringes of a march for the climate.", "en",
			[]string{"Am Rande einer Klimademo kam es zu Ausschreitungen."}, nil},
		{"March the month",
			"Riots broke out in March.", "en",
			[]string{"Am Rande einer Klimademo kam es zu Ausschreitungen."}, []Finding{{"date", "March"}}},
		{"lower-case text keeps its months",
			"riots broke out in march.", "en",
			[]string{"Am Rande einer Klimademo kam es im Mai zu Ausschreitungen."}, []Finding{{"date", "march"}}},

		// Year ranges written short.
		{"year range written short in the source",
			"Short-time work has reached the level of the 2012 / 2013 recession.", "en",
			[]string{"Das Niveau wurde zuletzt auf dem Höhepunkt der Rezession 2012/13 gemessen."}, nil},
		{"year range written short in the text",
			"Die Saison 2019/20 endete im Juli.", "de",
			[]string{"The 2019-2020 season ended in July."}, nil},
		{"year range: a year outside it",
			"Short-time work has reached the level of the 2014 recession.", "en",
			[]string{"Das Niveau wurde zuletzt auf dem Höhepunkt der Rezession 2012/13 gemessen."}, []Finding{{"date", "2014"}}},

		// Clock times with am/pm and on the 24-hour clock.
		{"pm time as a German 24-hour time",
			"Das Kind stürzte am Samstag gegen 15.00 Uhr in die Grube.", "de",
			[]string{"The boy fell into the pit on Saturday around 3pm."}, nil},
		{"pm time with minutes",
			"Er soll gegen 23.50 Uhr geschossen haben.", "de",
			[]string{"He was firing into a crowd about 11.50pm Friday."}, nil},
		{"pm time: another hour",
			"Das Kind stürzte am Samstag gegen 16 Uhr in die Grube.", "de",
			[]string{"The boy fell into the pit on Saturday around 3pm."}, []Finding{{"number", "16"}}},
		{"12-hour time in the text, 24-hour in the source",
			"The boy fell into the pit around 3 p.m.", "en",
			[]string{"Der Junge stürzte gegen 15 Uhr in die Grube."}, nil},
		{"am is no word of its own",
			"Sie wurde 5 am Montag entlassen.", "de",
			[]string{"She was released on Monday, aged 5."}, nil},

		// Money with a scale word after a space.
		{"money with a spaced scale letter",
			"Losses are estimated at $7.5 m in Queensland alone.", "en",
			[]string{"In Queensland, losses to businesses are estimated at more than $7.5 million."}, nil},
		{"money with a spaced scale letter: another amount",
			"Losses are estimated at $8.5 m in Queensland alone.", "en",
			[]string{"In Queensland, losses to businesses are estimated at more than $7.5 million."}, []Finding{{"money", "$8.5 m"}}},

		// Spelled numbers of tens and units.
		{"hyphenated English number",
			"Ninety-nine percent of tariffs are to be eliminated.", "en",
			[]string{"Die Vereinbarung sieht vor, dass 99 Prozent der Zölle abgebaut werden."}, nil},
		{"hyphenated English number: another number",
			"Ninety-eight percent of tariffs are to be eliminated.", "en",
			[]string{"Die Vereinbarung sieht vor, dass 99 Prozent der Zölle abgebaut werden."}, []Finding{{"number", "Ninety-eight"}}},
		{"German units and tens in one word",
			"Ninety-nine percent of tariffs are to be eliminated.", "en",
			[]string{"Neunundneunzig Prozent der Zölle sollen fallen."}, nil},
		{"German units and tens in the text",
			"Einundzwanzig Menschen starben.", "de",
			[]string{"Twenty-one people died."}, nil},
		{"German units and tens in the text: another number",
			"Zweiundzwanzig Menschen starben.", "de",
			[]string{"Twenty-one people died."}, []Finding{{"number", "Zweiundzwanzig"}}},

		// A name transcribed with another vowel next to a word both share.
		{"transcription differs by a vowel",
			"Mohammed Morsi was 67.", "en",
			[]string{"Der frühere Präsident Mohammed Mursi ist mit 67 Jahren gestorben."}, nil},
		{"transcription: a name with more to it",
			"Mohammed Morsy Ali was 67.", "en",
			[]string{"Der frühere Präsident Mohammed Mursi ist mit 67 Jahren gestorben."}, []Finding{{"name", "Mohammed Morsy Ali"}}},
		{"transcription: a consonant differs",
			"Mohammed Bursi was 67.", "en",
			[]string{"Der frühere Präsident Mohammed Mursi ist mit 67 Jahren gestorben."}, []Finding{{"name", "Mohammed Bursi"}}},
		{"transcription: two vowels differ",
			"Mohammed Marsa was 67.", "en",
			[]string{"Der frühere Präsident Mohammed Mursi ist mit 67 Jahren gestorben."}, []Finding{{"name", "Mohammed Marsa"}}},
		{"transcription: no shared neighbour",
			"Ahmed Morsi was 67.", "en",
			[]string{"Der frühere Präsident Mohammed Mursi ist mit 67 Jahren gestorben."}, []Finding{{"name", "Ahmed Morsi"}}},
		{"genitive of a name transcribed another way",
			"Yemens rebels claimed the attack.", "en",
			[]string{"Rebellen im Jemen bekannten sich zu dem Angriff."}, nil},

		// Regions that hold the place a source names.
		{"region adjective for the country the source names",
			"Venezuela's UN mission asked for help after new sanctions on the South American country.", "en",
			[]string{"Venezuelas Staatschef Nicolás Maduro hat sich an die Vereinten Nationen gewandt."}, nil},
		{"region adjective of another region",
			"Venezuela's UN mission asked for help after new sanctions on the North African country.", "en",
			[]string{"Venezuelas Staatschef Nicolás Maduro hat sich an die Vereinten Nationen gewandt."}, []Finding{{"name", "North"}}},
		{"North African country from Tunesien",
			"The North African country will elect a new president on Sunday.", "en",
			[]string{"In Tunesien wird am Sonntag ein neuer Präsident gewählt."}, nil},

		// Demonyms and country adjectives across languages (names data).
		{"demonyms from German nouns and adjectives",
			"The Briton wins the sprint, the Frenchman keeps the yellow jersey in Germany and Europe, and a singer speaks Hessian.", "en",
			[]string{"Der Brite gewinnt den Sprint, der Franzose bleibt im Gelben Trikot, auf deutschen und europäischen Straßen, und die Sängerin spricht hessisch."}, nil},
		{"demonym the source does not support",
			"The Dutchman wins the sprint.", "en",
			[]string{"Der Brite gewinnt den Sprint, der Franzose bleibt im Gelben Trikot."}, []Finding{{"name", "Dutchman"}}},

		// Exonyms from the names data.
		{"historical exonym",
			"250 years ago, Frederick the Great invented a security.", "en",
			[]string{"Vor genau 250 Jahren hat Friedrich der Große den Grundstein für ein Finanzinstrument gelegt."}, nil},
		{"historical exonym: another ruler",
			"250 years ago, Peter the Great invented a security.", "en",
			[]string{"Vor genau 250 Jahren hat Friedrich der Große den Grundstein für ein Finanzinstrument gelegt."}, []Finding{{"name", "Peter"}, {"name", "Great"}}},
		{"institution exonym",
			"Moscow is returning to the Council of Europe.", "en",
			[]string{"Russlands Rückkehr in die Versammlung des Europarats ist Realpolitik."}, nil},
		{"city exonym",
			"The government should stop supporting the regime in Riyadh.", "en",
			[]string{"Die Regierung macht sich keine Illusionen über das Regime in Riad."}, nil},
		{"city exonym: another city",
			"The government should stop supporting the regime in Tehran.", "en",
			[]string{"Die Regierung macht sich keine Illusionen über das Regime in Riad."}, []Finding{{"name", "Tehran"}}},
	})
}
