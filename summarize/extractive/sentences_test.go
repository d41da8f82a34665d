package extractive

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"empty", "de", "", nil},
		{"spaces only", "en", " \n\t ", nil},
		{"two plain", "en", "The rules take effect in October. Nvidia declined to comment.",
			[]string{"The rules take effect in October.", "Nvidia declined to comment."}},
		{"german z. B.", "de", "Viele Firmen, z. B. Huawei und Alibaba, bauen eigene Chips. Das dauert.",
			[]string{"Viele Firmen, z. B. Huawei und Alibaba, bauen eigene Chips.", "Das dauert."}},
		{"german z.B. unspaced", "de", "Modelle wie z.B. Qwen sind offen. Andere nicht.",
			[]string{"Modelle wie z.B. Qwen sind offen.", "Andere nicht."}},
		{"dr and prof", "de", "Dr. Anna Weber und Prof. Lin Hua sprachen in Berlin. Danach folgte eine Debatte.",
			[]string{"Dr. Anna Weber und Prof. Lin Hua sprachen in Berlin.", "Danach folgte eine Debatte."}},
		{"us abbreviation mid", "en", "The U.S. Commerce Department issued the rule. It applies to Nvidia.",
			[]string{"The U.S. Commerce Department issued the rule.", "It applies to Nvidia."}},
		{"us abbreviation final", "en", "Chips are made in the U.S. The plant opens in 2026.",
			[]string{"Chips are made in the U.S.", "The plant opens in 2026."}},
		{"nr and ca", "de", "Das Modell Nr. 3 kostet ca. 2 Mio. Euro. Es ist teuer.",
			[]string{"Das Modell Nr. 3 kostet ca. 2 Mio. Euro.", "Es ist teuer."}},
		{"german ordinal date", "de", "Am 3. Oktober wurde gefeiert. Die Regeln gelten ab dem 1. Januar 2026.",
			[]string{"Am 3. Oktober wurde gefeiert.", "Die Regeln gelten ab dem 1. Januar 2026."}},
		{"german ordinal noun", "de", "Er wurde zum 5. Mal gewählt. Der 2. Weltkrieg endete 1945.",
			[]string{"Er wurde zum 5. Mal gewählt.", "Der 2. Weltkrieg endete 1945."}},
		{"ordinal minute in brackets", "de", "Er verwandelte (89. Minute) beide Strafstöße. Dann war Schluss.",
			[]string{"Er verwandelte (89. Minute) beide Strafstöße.", "Dann war Schluss."}},
		{"number at end", "de", "Der Kurs stieg um 12. Danach fiel er.",
			[]string{"Der Kurs stieg um 12.", "Danach fiel er."}},
		{"english year end", "en", "The plant opens in 2026. It will employ 3,000 people.",
			[]string{"The plant opens in 2026.", "It will employ 3,000 people."}},
		{"decimals and versions", "en", "Qwen2.5 scored 3.5 points more than GPT-4.1 did. DeepSeek-V3.2 followed.",
			[]string{"Qwen2.5 scored 3.5 points more than GPT-4.1 did.", "DeepSeek-V3.2 followed."}},
		{"initials", "en", "John F. Kennedy spoke. J. R. R. Tolkien wrote.",
			[]string{"John F. Kennedy spoke.", "J. R. R. Tolkien wrote."}},
		{"english quotes", "en", `"We will respond," the ministry said. "It is unfair." Officials agreed.`,
			[]string{`"We will respond," the ministry said.`, `"It is unfair."`, "Officials agreed."}},
		{"german quotes", "de", "„Wir reagieren“, sagte der Sprecher. „Das ist unfair.“ Andere stimmten zu.",
			[]string{"„Wir reagieren“, sagte der Sprecher.", "„Das ist unfair.“", "Andere stimmten zu."}},
		{"exclamation inside quote", "en", `"Stop!" she said. Then she left.`,
			[]string{`"Stop!" she said.`, "Then she left."}},
		{"ellipsis mid", "de", "Er zögerte … und sagte dann ja. Das war's.",
			[]string{"Er zögerte … und sagte dann ja.", "Das war's."}},
		{"ellipsis end", "en", "He waited... Then he left.",
			[]string{"He waited...", "Then he left."}},
		{"question", "de", "Wer gewinnt das Rennen? Niemand weiß es.",
			[]string{"Wer gewinnt das Rennen?", "Niemand weiß es."}},
		{"newline ends", "en", "Headline without period\nFirst sentence here.",
			[]string{"Headline without period", "First sentence here."}},
		{"url and domain", "en", "Read it on example.com today. Fine.",
			[]string{"Read it on example.com today.", "Fine."}},
		{"bracket close", "en", "The chip (made by TSMC.) is fast. Yes.",
			[]string{"The chip (made by TSMC.) is fast.", "Yes."}},
		{"etc then sentence", "en", "They sell GPUs, CPUs, etc. The margins are high.",
			[]string{"They sell GPUs, CPUs, etc.", "The margins are high."}},
		{"no as a word", "en", "The answer was no. The talks ended. It is No. 1 in sales.",
			[]string{"The answer was no.", "The talks ended.", "It is No. 1 in sales."}},
		{"art as a word", "de", "Das ist eine neue Art. Sie wächst schnell. Art. 5 GG schützt die Presse.",
			[]string{"Das ist eine neue Art.", "Sie wächst schnell.", "Art. 5 GG schützt die Presse."}},
		{"the sun", "en", "He told The Sun. He was angry.",
			[]string{"He told The Sun.", "He was angry."}},
		{"inc mid", "en", "Apple Inc. said revenue rose.",
			[]string{"Apple Inc. said revenue rose."}},
		{"chinese", "zh", "美国收紧出口管制。中国表示反对！",
			[]string{"美国收紧出口管制。", "中国表示反对！"}},
		{"collapse whitespace", "en", "One   two\tthree.  Four.",
			[]string{"One two three.", "Four."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.text, langs.Get(tt.lang))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func FuzzSentences(f *testing.F) {
	f.Add("Am 3. Oktober sagte Dr. Weber: „Das ist z. B. neu.“ Dann ging er.", "de")
	f.Add("The U.S. said 3.5 billion... \"Really?\" Yes!", "en")
	f.Add("美国。中国！", "zh")
	f.Add("\xff. \xfe? A", "en")
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := Sentences(text, langs.Get(lang))
		if stripSpace(strings.Join(got, " ")) != stripSpace(text) {
			t.Fatalf("Sentences lost or invented characters:\n in %q\nout %q", text, got)
		}
		for _, s := range got {
			if strings.TrimSpace(s) != s || s == "" {
				t.Fatalf("sentence %q not trimmed or empty", s)
			}
		}
	})
}
