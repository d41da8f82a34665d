package extractive

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/lang"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSummarizeGolden summarizes our own fixture articles and compares with
// testdata/*.golden; refresh with -update after a deliberate change and
// read the diff.
func TestSummarizeGolden(t *testing.T) {
	tests := []struct {
		file, lang string
		n          int
	}{
		{"de_exportregeln.txt", "de", 3},
		{"en_open_models.txt", "en", 3},
		{"en_open_models.txt", "", 2}, // language detected
	}
	for _, tt := range tests {
		name := strings.TrimSuffix(tt.file, ".txt") + "_" + tt.lang + "_" + string(rune('0'+tt.n))
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			code := tt.lang
			if code == "" {
				code = lang.Detect(string(text))
			}
			got := strings.Join(Summarize(string(text), langs.Get(code), tt.n), "\n") + "\n"
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if got != string(want) {
				t.Errorf("summary differs from %s:\n got:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestSummarizeProperties(t *testing.T) {
	de, err := os.ReadFile(filepath.Join("testdata", "de_exportregeln.txt"))
	if err != nil {
		t.Fatal(err)
	}
	en, err := os.ReadFile(filepath.Join("testdata", "en_open_models.txt"))
	if err != nil {
		t.Fatal(err)
	}
	junk := []string{"Von Anna Muster", "Foto:", "Lesen Sie auch", "Newsletter", "By John Smith", "Updated", "Photo:", "Read more", "Click here"}
	tests := []struct {
		name, text, lang string
		n                int
	}{
		{"german 1", string(de), "de", 1},
		{"german 5", string(de), "de", 5},
		{"english 4", string(en), "en", 4},
		{"more than available", "Erster Satz mit genug Wörtern hier. Zweiter Satz mit genug Wörtern dort.", "de", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.text, langs.Get(tt.lang), tt.n)
			if len(got) == 0 || len(got) > tt.n {
				t.Fatalf("got %d sentences, want 1..%d", len(got), tt.n)
			}
			all := Sentences(tt.text, langs.Get(tt.lang))
			last := -1
			for _, s := range got {
				idx := indexOf(all, s)
				if idx < 0 {
					t.Fatalf("summary sentence %q is not a sentence of the text", s)
				}
				if idx <= last {
					t.Fatalf("summary not in original order: %q", got)
				}
				last = idx
				for _, j := range junk {
					if strings.Contains(s, j) {
						t.Errorf("junk sentence chosen: %q", s)
					}
				}
			}
		})
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func TestSummarizeEdgeCases(t *testing.T) {
	tests := []struct {
		name, text, lang string
		n                int
		want             []string
	}{
		{"zero sentences asked", "Ein ganz normaler Satz mit Inhalt.", "de", 0, nil},
		{"negative", "Ein ganz normaler Satz mit Inhalt.", "de", -3, nil},
		{"empty text", "", "en", 3, nil},
		{"only junk", "Foto: dpa\nLesen Sie auch: Mehr zum Thema KI\n", "de", 3, nil},
		{"only headline", "Nvidia darf wieder Chips nach China liefern", "de", 3, nil},
		{"one real sentence", "Foto: dpa\nDie Regierung in Peking hat am Montag neue Regeln vorgestellt.", "de", 3,
			[]string{"Die Regierung in Peking hat am Montag neue Regeln vorgestellt."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.text, langs.Get(tt.lang), tt.n); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Summarize = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSummarizeMulti(t *testing.T) {
	a := "Die US-Regierung hat neue Exportregeln für KI-Chips nach China vorgestellt. Betroffen sind vor allem Nvidia und AMD. Peking kündigte Gegenmaßnahmen an und sprach von Erpressung."
	b := "Washington verschärft die Exportregeln für KI-Chips nach China erneut. Betroffen sind vor allem Nvidia und AMD. Analysten erwarten Umsatzeinbußen im Milliardenbereich für beide Konzerne."
	c := "Huawei stellte am Mittwoch einen neuen KI-Chip vor, der mit Nvidia konkurrieren soll. Der Chip wird von SMIC gefertigt und soll im Frühjahr ausgeliefert werden."
	got := SummarizeMulti([]string{a, b, c}, langs.Get("de"), 4)
	if len(got) == 0 || len(got) > 4 {
		t.Fatalf("got %d sentences: %q", len(got), got)
	}
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s] {
			t.Errorf("duplicate sentence %q", s)
		}
		seen[s] = true
	}
	if seen["Betroffen sind vor allem Nvidia und AMD."] && strings.Count(strings.Join(got, " "), "Betroffen sind") > 1 {
		t.Errorf("same fact twice: %q", got)
	}
	docs := 0
	for _, d := range []string{a, b, c} {
		for _, s := range got {
			if strings.Contains(d, s) {
				docs++
				break
			}
		}
	}
	if docs < 2 {
		t.Errorf("summary draws on %d of 3 documents: %q", docs, got)
	}
	if got := SummarizeMulti(nil, langs.Get("de"), 3); got != nil {
		t.Errorf("no documents: %q", got)
	}
	if got := SummarizeMulti([]string{a}, langs.Get("de"), 0); got != nil {
		t.Errorf("zero sentences: %q", got)
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("Die Regierung hat am 3. Oktober neue Regeln vorgestellt. Foto: dpa\nPeking reagierte scharf und kündigte Gegenmaßnahmen an.", "de", 2)
	f.Add("\xff. . . ... !!! ??? U.S. z. B.", "en", 3)
	f.Fuzz(func(t *testing.T, text, lang string, n int) {
		n %= 20
		got := Summarize(text, langs.Get(lang), n)
		if len(got) > max(n, 0) {
			t.Fatalf("%d sentences for n=%d", len(got), n)
		}
		multi := SummarizeMulti([]string{text, text}, langs.Get(lang), n)
		if len(multi) > max(n, 0) {
			t.Fatalf("multi: %d sentences for n=%d", len(multi), n)
		}
	})
}

func BenchmarkSummarize(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("testdata", "de_exportregeln.txt"))
	if err != nil {
		b.Fatal(err)
	}
	long := strings.Repeat(string(text), 5)
	for b.Loop() {
		Summarize(long, langs.Get("de"), 3)
	}
}

// BenchmarkSummarizeHostile shows the cost stays near-linear on large
// input: one long article, and a text of initials and abbreviations with
// almost no sentence ends.
func BenchmarkSummarizeHostile(b *testing.B) {
	article := "Die Regierung in Peking hat am Montag neue Regeln für KI-Modelle vorgestellt, die ab Oktober gelten. "
	initials := "A. B. C. z. B. Dr. U.S. 3. Oktober "
	for _, size := range []int{64 << 10, 1 << 20} {
		for name, unit := range map[string]string{"article": article, "initials": initials} {
			text := strings.Repeat(unit, size/len(unit))
			b.Run(fmt.Sprintf("%s/%dKiB", name, size>>10), func(b *testing.B) {
				for b.Loop() {
					Summarize(text, langs.Get("de"), 3)
				}
			})
		}
	}
}

// TestJunk: page furniture that reaches an article's text (support
// appeals, newsletter and account text, teasers cut off with an ellipsis,
// a teaser's indirect question standing alone, template filler) is never
// taken; news sentences that look a little like it are. The cases are
// testdata/junk.tsv, in both languages.
func TestJunk(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "junk.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 3)
		if len(cols) != 3 || (cols[1] != "junk" && cols[1] != "keep") {
			t.Fatalf("bad fixture line %q", line)
		}
		lg, want, sentence := cols[0], cols[1] == "junk", cols[2]
		seen[lg+cols[1]]++
		f := New(langs.Get(lg)).analyze([]string{sentence})
		if len(f.sents) != 1 {
			t.Fatalf("%q splits into %d sentences", sentence, len(f.sents))
		}
		if f.sents[0].junk != want {
			t.Errorf("%s %q: junk %v, want %v", lg, sentence, f.sents[0].junk, want)
		}
	}
	for _, k := range []string{"dejunk", "dekeep", "enjunk", "enkeep"} {
		if seen[k] == 0 {
			t.Errorf("no %s fixture", k)
		}
	}
}

// TestSupportAppealIsJunk: a site's appeal to its readers is page
// furniture, not news; a sentence that merely names the topic is not.
func TestSupportAppealIsJunk(t *testing.T) {
	tests := []struct {
		lang, sentence string
		junk           bool
	}{
		{"de", "Die einfachste Art, uns zu unterstützen, ist, wenn ihr eure Werbeblocker ausschaltet.", true},
		{"de", "Unterstützen Sie uns mit einem Abonnement unserer Berichterstattung über China.", true},
		{"en", "Please turn off your ad blocker to support our journalism on China and AI.", true},
		{"en", "Nvidia said the new export rule would cost it about $2.8 billion in orders.", false},
	}
	for _, tt := range tests {
		f := New(langs.Get(tt.lang)).analyze([]string{tt.sentence})
		if len(f.sents) != 1 || f.sents[0].junk != tt.junk {
			t.Errorf("%q: junk %v, want %v", tt.sentence, len(f.sents) == 1 && f.sents[0].junk, tt.junk)
		}
	}
}

// TestCutOff: a sentence that stops on an ellipsis at the end of its
// paragraph is a teaser cut off before the link to the rest; one that
// pauses on an ellipsis with more of the paragraph after it is prose.
func TestCutOff(t *testing.T) {
	tests := []struct {
		lang, text string
		cut        []bool // per sentence
	}{
		{"de", "Die Stadt lud zur Gesprächsrunde ein. Mit dabei war der Personalchef des beliebtesten …\nDer Umbau beginnt im Mai.", []bool{false, true, false}},
		{"de", "Die Stadt wartet ... Dann beginnt im Mai der Umbau des Hafens.", []bool{false, false}},
		{"en", "The council met on Monday. Among the guests was the head of the largest ...", []bool{false, true}},
		{"en", "The council waited… Then the harbour works began in May.", []bool{false, false}},
		{"en", "“We will see what the winter brings…” the mayor said.\nThe works begin in May.", []bool{false, false}},
	}
	for _, tt := range tests {
		sents := Sentences(tt.text, langs.Get(tt.lang))
		if len(sents) != len(tt.cut) {
			t.Fatalf("%q splits into %q", tt.text, sents)
		}
		for i, s := range sents {
			if got := cutOff(s, tt.text); got != tt.cut[i] {
				t.Errorf("%q in %q: cut off %v, want %v", s, tt.text, got, tt.cut[i])
			}
		}
	}
}
