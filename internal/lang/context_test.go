package lang

import "testing"

// TestNeedsContext: one case for each way a sentence leans on the one
// before it, in both languages, and sentences that stand alone.
func TestNeedsContext(t *testing.T) {
	reg := Default()
	tests := []struct {
		code, sentence string
		want           bool
	}{
		// Subjunctive without a speaker.
		{"de", "Man habe sich mit der Regierung in Peking auf einen Zeitplan geeinigt.", true},
		{"de", "Es liege nun an den Behörden, die Lizenzen zu prüfen.", true},
		{"de", "Das Unternehmen habe keine Chips mehr nach China geliefert.", true},
		{"de", "Man habe sich geeinigt, sagte ein Sprecher des Ministeriums.", false},
		{"de", "Laut Ministerium sei die Regel seit Dienstag in Kraft.", false},
		// A fronted phrase.
		{"de", "Betroffen sind vor allem Rechenzentren in Shanghai und Shenzhen.", true},
		{"de", "Hinzu kommt eine Kontrolle des Fernzugriffs auf Cloud-Rechner.", true},
		// A word that points back.
		{"de", "Dabei geht es um Chips, die Nvidia eigens für China entwickelt hat.", true},
		{"de", "Er kündigte weitere Maßnahmen gegen chinesische Firmen an.", true},
		{"de", "Diese Regel gilt ab dem 15. Dezember.", true},
		{"de", "Zudem setzt das BIS 23 Unternehmen auf die Entity List.", true},
		// A contrast with what came before; "Es" for a thing named before.
		{"de", "Nun nicht im Staub, sondern mit hellen Sternstrahlen über dem Feld.", true},
		{"de", "Es liegt im Süden der Stadt und gehört seit 1901 zu Essen.", true},
		{"de", "Es liegt nahe, dass die Regel bald verschärft wird.", false},
		{"de", "Es gibt seit Dienstag neue Regeln für den Export.", false},
		{"en", "Not this time: the rules leave no exemption for older chips.", true},
		{"en", "Not all chips are covered by the new rules.", false},
		// A pronoun speaks.
		{"de", "„Wir halten uns an alle Regeln“, sagte er am Montag in Berlin.", true},
		{"de", "Der Minister sagte, er wolle die Regeln prüfen lassen.", false},
		// Stands alone.
		{"de", "Das US-Handelsministerium hat am Dienstag neue Exportregeln für KI-Chips veröffentlicht.", false},
		{"de", "Es gibt in Deutschland bislang keine vergleichbare Regel.", false},
		{"de", "Alibaba hat die vierte Generation seiner Modellfamilie Qwen veröffentlicht.", false},

		{"en", "He said the company would comply with the new rules.", true},
		{"en", "This is the third time the rules have been tightened.", true},
		{"en", "However, analysts expect Huawei to fill the gap.", true},
		{"en", "The move puts about $2.8 billion of orders at risk.", true},
		{"en", "“We will comply with every rule,” she said on Tuesday.", true},
		{"en", "“We will comply with every rule,” said he.", true},
		{"en", "Its shares fell 2% in early trading.", true},
		{"en", "Nvidia said he would not comment on the rules.", false},
		{"en", "The Commerce Department said on Tuesday that it would end sales of the H20 chip to China.", false},
		{"en", "There are no comparable rules in Europe yet.", false},
		{"en", "“We will comply,” said Jensen Huang, Nvidia's chief executive.", false},
		{"en", "", false},
		// A noun that stands for a company named before.
		{"en", "The company is relying on SMIC's 7-nanometre process for the chips.", true},
		{"en", "The chipmaker said it would comply with the rule.", true},
		{"en", "The company's rivals in China are testing Ascend clusters.", false},
		{"de", "Das Unternehmen aus Hangzhou hat die Gewichte unter der MIT-Lizenz veröffentlicht.", true},
		{"de", "Der Konzern will die Produktion verdoppeln.", true},
		// A pronoun in indirect speech whose speaker the sentence names.
		{"de", "Er werde das bis zum letzten Atemzug verhindern, sagte Bercow am Abend in Edinburgh.", false},
		{"de", "Er habe das Budget für einen Stürmer erhalten, berichtete der Trainer des TSV 1860 München.", false},
		{"de", "Er könne das nicht beurteilen, witzelte Hansi Flick nach dem Spiel.", false},
		{"de", "Sie habe sich bedroht gefühlt, schilderte sie den Abgeordneten.", true},
		{"de", "Er habe das Budget erhalten, sagte er am Montag.", true},
		{"de", "Er kündigte weitere Maßnahmen an, sagte Bercow.", true},
		// Not indirect speech, and a pronoun with its antecedent.
		{"de", "\"Ich habe diese Kommentare gehört.", false},
		{"de", "\"Ich gehe davon aus, dass ich nicht kandidieren werde\", hat Weil nun gesagt.", false},
		{"en", "John Carver has hit back at Michael Owen after he said they would lose every match.", false},
		{"en", "She said the rules would change.", true},
	}
	for _, tt := range tests {
		if got := reg.Get(tt.code).NeedsContext(tt.sentence); got != tt.want {
			t.Errorf("%s NeedsContext(%q) = %v, want %v", tt.code, tt.sentence, got, tt.want)
		}
	}
	if (*Language)(nil).NeedsContext("He said so.") {
		t.Error("a nil language has no context rules")
	}
}
