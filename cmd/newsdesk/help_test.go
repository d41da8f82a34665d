package main

import (
	"bytes"
	"flag"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// helpFor runs "newsdesk ARGS… --help" and returns its output and every
// flag set the command made on the way.
func helpFor(t *testing.T, args ...string) (code int, stdout, stderr string, sets []*flags) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, onFlags: func(f *flags) { sets = append(sets, f) }}
	code = runEnv(t.Context(), e, append(args, "--help"))
	return code, out.String(), errb.String(), sets
}

// TestHelpListsEveryFlag runs --help for every command and subcommand: it
// exits 0, prints to stdout, lists every flag the command's flag set
// accepts and marks the required ones.
func TestHelpListsEveryFlag(t *testing.T) {
	// required lists, per command, the flags its help must mark required
	// (always or under a condition it names).
	required := map[string][]string{
		"ingest":    {"nats"},
		"publish":   {"nats"},
		"summarize": {"nats", "lang"},
		"demo":      {"out", "llm-model", "webhook-secret"},
		"verify":    {"lang", "source"},
	}
	var cmds [][]string
	for _, c := range commands() {
		switch c.name {
		case "feed":
			cmds = append(cmds, []string{"feed"}, []string{"feed", "parse"})
		case "feeds":
			cmds = append(cmds, []string{"feeds"}, []string{"feeds", "import"}, []string{"feeds", "export"})
		default:
			cmds = append(cmds, []string{c.name})
		}
	}
	for _, args := range cmds {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			code, out, errOut, sets := helpFor(t, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if !strings.HasPrefix(out, "usage: newsdesk "+name) {
				t.Errorf("help does not start with the usage line:\n%s", out)
			}
			if len(sets) == 0 {
				t.Fatal("the command made no flag set")
			}
			var marked []string
			for _, fs := range sets {
				fs.VisitAll(func(fl *flag.Flag) {
					dash := "--"
					if len(fl.Name) == 1 {
						dash = "-"
					}
					if !strings.Contains(out, "\n  "+dash+fl.Name+" ") && !strings.Contains(out, "\n  "+dash+fl.Name+"\n") {
						t.Errorf("help does not list %s%s:\n%s", dash, fl.Name, out)
					}
					if _, ok := fs.required[fl.Name]; ok {
						marked = append(marked, fl.Name)
					}
				})
			}
			if strings.Count(out, "(required") != len(marked) {
				t.Errorf("%d flags required, help says (required %d times:\n%s", len(marked), strings.Count(out, "(required"), out)
			}
			if want := strings.Join(required[args[0]], " "); len(args) == 1 && strings.Join(sorted(marked), " ") != strings.Join(sorted(required[args[0]]), " ") {
				t.Errorf("required flags %v, want %s", marked, want)
			}
			// "newsdesk help CMD" is "newsdesk CMD --help".
			if len(args) == 1 {
				var o2 bytes.Buffer
				if code := runEnv(t.Context(), &env{stdout: &o2, stderr: &o2}, []string{"help", args[0]}); code != 0 || o2.String() != out {
					t.Errorf("help %s differs from %s --help (exit %d):\n%s", args[0], args[0], code, o2.String())
				}
			}
		})
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// TestFlagsAfterArguments: flags work before and after a command's
// arguments, "--" ends them, and a bad or missing flag is a usage error
// (exit 2) that names it.
func TestFlagsAfterArguments(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "extract FILE --json", args: []string{"extract", "testdata/article.html", "--json"}, wantOut: `"canonical_url": "https://testblatt.example/artikel/chipregeln"`},
		{name: "extract FILE --max-bytes N --json", args: []string{"extract", "testdata/article.html", "--max-bytes", "100000", "--json"}, wantOut: `"canonical_url"`},
		{name: "feed parse FILE --max-bytes", args: []string{"feed", "parse", "testdata/feed.xml", "--max-bytes=100000"}, wantOut: `"guid":"tb-1"`},
		{name: "summarize FILE --lang", args: []string{"summarize", "testdata/article.txt", "--lang", "en"}, wantOut: "export controls"},
		{name: "check FILE is not a flag", args: []string{"check", "testdata/good.yaml"}, wantCode: 2, wantErr: "unexpected arguments [testdata/good.yaml]"},
		{name: "-- ends the flags", args: []string{"extract", "--", "--json"}, wantCode: 1, wantErr: "--json"},
		{name: "unknown flag after the argument", args: []string{"extract", "testdata/article.html", "--jsn"}, wantCode: 2, wantErr: "flag provided but not defined: -jsn"},
		{name: "flag without its value", args: []string{"feed", "parse", "testdata/feed.xml", "--max-bytes"}, wantCode: 2, wantErr: "flag needs an argument: -max-bytes"},
		{name: "required flag missing", args: []string{"demo"}, wantCode: 2, wantErr: "--out is required"},
		{name: "required flag missing after arguments", args: []string{"verify", "summary.txt", "--lang", "en"}, wantCode: 2, wantErr: "--source is required"},
		{name: "stage without --nats", args: []string{"publish", "--config", "testdata/good.yaml"}, wantCode: 2, wantErr: "external NATS"},
		{name: "summarize stage with --lang", args: []string{"summarize", "--lang", "en", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: "--lang is for summarizing FILEs"},
		{name: "summarize files with --nats", args: []string{"summarize", "testdata/article.txt", "--lang", "en", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: "--nats runs the summarize stage"},
		{name: "--once only where summarize runs", args: []string{"ingest", "--once", "--nats", "nats://127.0.0.1:1"}, wantCode: 2, wantErr: "flag provided but not defined: -once"},
		{name: "feeds subcommand after a flag", args: []string{"feeds", "--config", "testdata/good.yaml", "export"}, wantCode: 2, wantErr: "export comes first"},
		{name: "misspelt command", args: []string{"chek"}, wantCode: 2, wantErr: `unknown command "chek"; did you mean check?`},
		{name: "no command", args: nil, wantCode: 2, wantErr: "Commands:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NATS_URL", "")
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, out)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
			if tt.wantCode == 2 && len(tt.args) > 0 && !strings.HasPrefix(tt.args[0], "chek") && !strings.Contains(errOut, "--help' for every flag") {
				t.Errorf("a usage error does not point at --help:\n%s", errOut)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(out, "newsdesk ") || !strings.Contains(out, "go1.") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{name: "released module", info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.1"}},
			want: "newsdesk v0.3.1, go1.26.8 linux/amd64"},
		{name: "go build in a git checkout",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261206101324-33dca400c513"},
				Settings: settings("vcs", "git", "vcs.revision", "33dca400c513bdfc414fd1a3df264493e428211a", "vcs.time", "2026-12-06T10:13:24Z", "vcs.modified", "false")},
			want: "newsdesk v0.0.0-20261206101324-33dca400c513 (git 33dca400c513, 2026-12-06T10:13:24Z), go1.26.8 linux/amd64"},
		{name: "uncommitted changes",
			info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261206101324-33dca400c513+dirty"},
				Settings: settings("vcs", "git", "vcs.revision", "33dca400c513bdfc414fd1a3df264493e428211a", "vcs.modified", "true")},
			want: "newsdesk v0.0.0-20261206101324-33dca400c513+dirty (git 33dca400c513, modified), go1.26.8 linux/amd64"},
		{name: "go run", info: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			want: "newsdesk (devel), built without version control information (go run, -buildvcs=false or outside a git checkout), go1.26.8 linux/amd64"},
	}
	for _, tt := range tests {
		if got := formatVersion(tt.info, true, "linux/amd64"); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	if got := formatVersion(nil, false, "linux/amd64"); !strings.Contains(got, "version unknown") {
		t.Errorf("without build info: %s", got)
	}
}

func TestFeedsImportFlagAfterFile(t *testing.T) {
	dir := t.TempDir()
	opmlPath := writeFile(t, dir, "subs.opml", subsOPML)
	missing := dir + "/missing.yaml"
	code, _, errOut := runCLI(t, "feeds", "import", opmlPath, "--into", missing)
	if code != 1 || !strings.Contains(errOut, "missing.yaml") {
		t.Errorf("--into after the file was not used: exit %d\n%s", code, errOut)
	}
}
