package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The judge must see each problem it counts, in both languages, and keep
// quiet on sentences a newsletter editor would pass.
func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		lang  string
		sents []string
		truth truth
		want  []string // kinds, in order
	}{
		{"de clean", "de", []string{"Der Stadtrat hat am Dienstag den Haushalt für 2025 beschlossen.", "Die Opposition stimmte dagegen."}, truth{}, nil},
		{"en clean", "en", []string{"The city council passed the 2025 budget on Tuesday.", "The opposition voted against it."}, truth{}, nil},
		{"de leans on a pronoun", "de", []string{"Er sagte, der Haushalt sei solide."}, truth{}, []string{"lean"}},
		{"de subjunctive without speaker", "de", []string{"Man habe sich auf einen Kompromiss geeinigt."}, truth{}, []string{"lean"}},
		{"en leans on this", "en", []string{"This means the plan is dead."}, truth{}, []string{"lean"}},
		{"en pronoun speaks", "en", []string{"The plan is dead, he said."}, truth{}, []string{"lean"}},
		{"de no finite verb", "de", []string{"Nun nicht im Staub, sondern mit hellen Sternen über dem Feld."}, truth{}, []string{"fragment"}},
		{"en lower-case start", "en", []string{"urkey and Poland were removed from the list."}, truth{}, []string{"fragment"}},
		{"en caption without a verb", "en", []string{"The island of Redonda, home to wild goats and rats."}, truth{}, []string{"fragment"}},
		{"de support appeal", "de", []string{"Die einfachste Art, uns bei unserer Arbeit zu unterstützen, ist ein Abo."}, truth{}, []string{"boilerplate"}},
		{"en newsletter", "en", []string{"Sign up for our newsletter to get the news every morning."}, truth{}, []string{"boilerplate"}},
		{"de photo credit", "de", []string{"Foto: Anna Muster/dpa zeigt den Hafen am Morgen."}, truth{}, []string{"boilerplate"}},
		{"en affiliate", "en", []string{"We may earn a commission when you buy through links on our site."}, truth{}, []string{"boilerplate"}},
		{"de ground truth without", "de", []string{"Mehr aus der Region finden Sie jeden Tag auf unserer Seite."}, truth{without: []string{"Mehr aus der Region finden Sie"}}, []string{"boilerplate"}},
		{"en not in the true text", "en", []string{"The council met on Tuesday to vote on the budget."}, truth{text: "Something else entirely was written in this article body."}, []string{"not-main"}},
		{"en in the true text", "en", []string{"The council met on Tuesday to vote on the budget."}, truth{text: "Earlier: The council met on Tuesday to vote on the budget. Later: more."}, nil},
		{"de repeat", "de", []string{"Der Stadtrat hat den Haushalt beschlossen.", "Der Stadtrat hat den Haushalt beschlossen, hieß es."}, truth{}, []string{"repeat"}},
		{"de ellipsis", "de", []string{"Mit dabei war der Personalchef des bei Arbeitnehmern beliebtesten ..."}, truth{}, []string{"truncation"}},
		{"en cut off", "en", []string{"The council passed the budget after a long debate and"}, truth{}, []string{"truncation"}},
		{"empty", "en", nil, truth{}, []string{"empty"}},
		{"de it stands for a place", "de", []string{"Es liegt in unmittelbarer Nähe zum Stadtkern."}, truth{}, []string{"lean"}},
		{"de expletive it", "de", []string{"Es gibt in der Stadt zwei neue Schulen."}, truth{}, nil},
		{"de teaser question", "de", []string{"Welche Pläne die Firma hat und warum sie keine Sorgen hat."}, truth{}, []string{"fragment"}},
		{"de indirect question with main clause", "de", []string{"Wie die Firma das schafft, erklärt ihr Chef im Interview."}, truth{}, nil},
		{"en newsletter reply", "en", []string{"If you have tips, just hit reply to this email."}, truth{}, []string{"boilerplate"}},
		{"de live-ticker stamp", "de", []string{"Update vom 3. Mai, 16:05 Uhr: Der Präsident ist zurück."}, truth{}, []string{"boilerplate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(tt.sents, tt.lang, &tt.truth)
			var kinds []string
			for _, p := range got {
				kinds = append(kinds, p.kind)
			}
			if len(kinds) != len(tt.want) {
				t.Fatalf("got %v (%v), want %v", kinds, got, tt.want)
			}
			for i := range kinds {
				if kinds[i] != tt.want[i] {
					t.Fatalf("got %v (%v), want %v", kinds, got, tt.want)
				}
			}
		})
	}
}

func TestInSplit(t *testing.T) {
	for n := range 60 {
		if inSplit(n, "tune", 6) && inSplit(n, "holdout", 6) {
			t.Fatalf("page %d is in both splits", n)
		}
	}
	if !inSplit(0, "tune", 6) || !inSplit(3, "holdout", 6) || inSplit(1, "tune", 6) {
		t.Fatal("split rule is not every 6th page from 0 (tune) and from 3 (holdout)")
	}
}

// TestRunWithoutCorpus: a corpus directory without an index is an error,
// not an empty report.
func TestRunWithoutCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(os.Stderr, dir, "tune", 6, false); err == nil {
		t.Fatal("no error for a directory without INDEX.tsv")
	}
}
