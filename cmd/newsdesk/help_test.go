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
		case "subscribers":
			cmds = append(cmds, []string{"subscribers"}, []string{"subscribers", "list"}, []string{"subscribers", "add"},
				[]string{"subscribers", "remove"}, []string{"subscribers", "export"})
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
