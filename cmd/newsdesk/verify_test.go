package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/summarize/verify"
)

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src1 := write("nvidia.txt", "Nvidia expects a $5.5 billion charge\n\nNvidia said on Friday that new US export controls on its H20 chip will lead to a charge of $5.5 billion in the current quarter. The Commerce Department told the company that sales of the H20 to China now require a license.")
	src2 := write("huawei.txt", "Huawei plans to produce about 1.1 million Ascend chips next year, nearly double this year's output.")
	tests := []struct {
		name, lang, summary string
		code                int
		problems            []string
	}{
		{"clean", "de", "Nvidia rechnet wegen der neuen US-Exportkontrollen mit 5,5 Milliarden Dollar Belastung [1]. Huawei will im kommenden Jahr etwa 1,1 Millionen Ascend-Chips bauen [2].", 0, nil},
		{"one bad sentence among good ones", "de", "Nvidia rechnet wegen der neuen US-Exportkontrollen mit 5,5 Milliarden Dollar Belastung [1]. Huawei will 3 Millionen Ascend-Chips bauen [2]. Der Verkauf des H20 nach China braucht jetzt eine Lizenz [1][4].", 0,
			[]string{verify.ProblemUnsupported, verify.ProblemBadCitation}},
		{"too little left", "en", "Nvidia expects a charge of $7 billion [1]. Huawei will build 3 million chips [2]. Sales of the H20 to China need a license [1].", 1,
			[]string{verify.ProblemUnsupported, verify.ProblemUnsupported}},
		{"wrong language", "de", "Nvidia expects a charge because of the new export controls on its chip [1].", 1, []string{verify.ProblemLanguage}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := write(strings.ReplaceAll(tt.name, " ", "_")+".txt", tt.summary)
			code, out, errOut := runCmd(t.Context(), "verify", "--lang", tt.lang, "--source", src1, "--source", src2, sum)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			var problems []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if line == "" {
					continue
				}
				var is verify.Issue
				if err := json.Unmarshal([]byte(line), &is); err != nil {
					t.Fatalf("not a JSON line: %q", line)
				}
				if is.Sentence == "" || is.Evidence == "" {
					t.Errorf("finding without sentence or evidence: %+v", is)
				}
				problems = append(problems, is.Problem)
			}
			if strings.Join(problems, ",") != strings.Join(tt.problems, ",") {
				t.Errorf("problems %q, want %q\n%s", problems, tt.problems, out)
			}
			if !strings.Contains(errOut, "sentences kept") {
				t.Errorf("stderr %q lacks the verdict", errOut)
			}
		})
	}
	if code, _, errOut := runCmd(t.Context(), "verify", "--lang", "fr", "--source", src1, src1); code != 2 || !strings.Contains(errOut, "registered") {
		t.Errorf("--lang fr: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCmd(t.Context(), "verify", "--lang", "de", src1); code != 2 {
		t.Errorf("no --source: exit %d, want 2", code)
	}
}
