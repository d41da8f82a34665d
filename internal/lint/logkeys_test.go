package lint

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The log attribute keys are listed in docs/logging.md, one table row a
// key; TestLogKeys holds every slog call in the repository's non-test code
// to that list, and to the logger passed in (no slog.Default, no slog.Info). go vet's slog check already rejects a key/value mismatch
// and a key that is neither a string nor an Attr; this test adds what vet
// cannot know: which keys there are.

// logMethods are the *slog.Logger methods whose variadic arguments are
// key/value pairs or Attrs, with the index of the first such argument.
var logMethods = map[string]int{
	"Debug": 1, "Info": 1, "Warn": 1, "Error": 1,
	"DebugContext": 2, "InfoContext": 2, "WarnContext": 2, "ErrorContext": 2,
	"Log": 3, "LogAttrs": 3, "With": 0,
}

// attrFuncs are the slog functions whose first argument is a key.
var attrFuncs = []string{"String", "Int", "Int64", "Uint64", "Float64", "Bool", "Duration", "Time", "Any", "Group"}

// loggerName is how a logger is named where it is used: log, logger,
// s.log, deps.Log. A call of a log method on anything else with a string
// message and attributes is reported, so a logger under another name
// cannot slip past the check.
var loggerName = regexp.MustCompile(`^(?i:log|logger)$`)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func TestLogKeys(t *testing.T) {
	root := moduleRoot(t)
	allowed := documentedKeys(t, filepath.Join(root, "docs", "logging.md"))
	used := map[string]bool{}
	var problems []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, k := range logKeys(fset, f, &problems) {
			used[k.name] = true
			switch {
			case !snakeCase.MatchString(k.name):
				problems = append(problems, fmt.Sprintf("%s: log key %q is not snake_case", k.pos, k.name))
			case !allowed[k.name]:
				problems = append(problems, fmt.Sprintf("%s: log key %q is not in docs/logging.md", k.pos, k.name))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range allowed {
		if !used[k] {
			problems = append(problems, fmt.Sprintf("docs/logging.md: key %q is used nowhere; drop it", k))
		}
	}
	slices.Sort(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

type logKey struct {
	name string
	pos  token.Position
}

// logKeys returns the keys of the slog calls in f. A key that is not a
// string literal is a problem: keys are fixed words, never built.
func logKeys(fset *token.FileSet, f *ast.File, problems *[]string) []logKey {
	slogName := ""
	for _, imp := range f.Imports {
		if imp.Path.Value == `"log/slog"` {
			slogName = "slog"
			if imp.Name != nil {
				slogName = imp.Name.Name
			}
		}
	}
	var keys []logKey
	bad := func(n ast.Node, format string, args ...any) {
		*problems = append(*problems, fmt.Sprintf("%s: ", fset.Position(n.Pos()))+fmt.Sprintf(format, args...))
	}
	key := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			bad(e, "log key is not a string literal")
			return
		}
		s, _ := strconv.Unquote(lit.Value)
		keys = append(keys, logKey{s, fset.Position(lit.Pos())})
	}
	// pairs checks the keys among a call's key/value pairs and Attrs.
	pairs := func(call *ast.CallExpr, args []ast.Expr) {
		if call.Ellipsis.IsValid() {
			bad(call, "log attributes passed as a slice: pass each one so the log key check sees it")
			return
		}
		for i := 0; i < len(args); i++ {
			if c, ok := args[i].(*ast.CallExpr); ok {
				if s, ok := c.Fun.(*ast.SelectorExpr); ok {
					if p, ok := s.X.(*ast.Ident); ok && p.Name == slogName {
						continue // an Attr, checked on its own
					}
				}
			}
			key(args[i])
			i++ // the value
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && slogName != "" && pkg.Name == slogName {
			if slices.Contains(attrFuncs, sel.Sel.Name) && len(call.Args) > 0 {
				key(call.Args[0])
				if sel.Sel.Name == "Group" {
					pairs(call, call.Args[1:])
				}
			}
			if _, global := logMethods[sel.Sel.Name]; global || sel.Sel.Name == "Default" || sel.Sel.Name == "SetDefault" {
				bad(call, "%s.%s: use the logger passed in, not the default one", slogName, sel.Sel.Name)
			}
			return true
		}
		first, ok := logMethods[sel.Sel.Name]
		if !ok || len(call.Args) <= first {
			return true
		}
		if !loggerName.MatchString(lastName(sel.X)) {
			if first > 0 && isString(call.Args[first-1]) {
				bad(call, "%s on %s: name a logger log or logger so the log key check sees it", sel.Sel.Name, lastName(sel.X))
			}
			return true
		}
		pairs(call, call.Args[first:])
		return true
	})
	return keys
}

// lastName is the name an expression ends in: log for log, s.log and
// s.cfg.log; "" for anything else.
func lastName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func isString(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}

// documentedKeys reads the keys from the table in docs/logging.md: rows
// that start with a key in backquotes.
func documentedKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| `([^`]+)` \\|")
	keys := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := row.FindStringSubmatch(sc.Text()); m != nil {
			if keys[m[1]] {
				t.Errorf("%s: key %q listed twice", path, m[1])
			}
			keys[m[1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatalf("%s lists no log keys", path)
	}
	return keys
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// TestLogKeysFinds holds the check to what it must catch, on sources made
// here.
func TestLogKeysFinds(t *testing.T) {
	tests := []struct {
		name, body string
		keys       []string
		problem    string
	}{
		{"pairs", `log.Info("m", "feed_id", 1, "err", err)`, []string{"err", "feed_id"}, ""},
		{"field logger", `s.log.Warn("m", "articleID", 1)`, []string{"articleID"}, ""},
		{"context", `s.log.InfoContext(ctx, "m", "lang", "de")`, []string{"lang"}, ""},
		{"level", `log.Log(ctx, slog.LevelInfo, "m", "slot", 1)`, []string{"slot"}, ""},
		{"with", `log = log.With("stage", "ingest")`, []string{"stage"}, ""},
		{"attrs", `log.Info("m", slog.String("digest_id", id), "x", 1, slog.Group("g", "y", 2))`, []string{"digest_id", "g", "x", "y"}, ""},
		{"built key", `log.Info("m", "feed_"+kind, 1)`, nil, "not a string literal"},
		{"key variable", `log.Info("m", k, 1)`, nil, "not a string literal"},
		{"slice", `log.Info("m", attrs...)`, nil, "passed as a slice"},
		{"other name", `l.Info("m", "feed_id", 1)`, nil, "name a logger"},
		{"not a logger", `t.Error(err)`, nil, ""},
		{"default logger", `slog.Info("m", "lang", "de")`, nil, "the logger passed in"},
		{"default fallback", `log = slog.Default()`, nil, "the logger passed in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "package p\nimport \"log/slog\"\nfunc f() {\n" + tt.body + "\n}\nvar _ = slog.Info\n"
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", src, 0)
			if err != nil {
				t.Fatal(err)
			}
			var problems []string
			var got []string
			for _, k := range logKeys(fset, f, &problems) {
				got = append(got, k.name)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.keys) {
				t.Errorf("keys %q, want %q", got, tt.keys)
			}
			switch {
			case tt.problem == "" && len(problems) > 0:
				t.Errorf("unexpected problems %q", problems)
			case tt.problem != "" && (len(problems) != 1 || !strings.Contains(problems[0], tt.problem)):
				t.Errorf("problems %q, want one saying %q", problems, tt.problem)
			}
		})
	}
	if snakeCase.MatchString("articleID") || snakeCase.MatchString("feed-id") || !snakeCase.MatchString("tokens_per_second") {
		t.Error("snake_case pattern is wrong")
	}
}
