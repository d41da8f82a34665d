package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// flags is one command's flag set. Flags may come before or after the
// command's arguments ("extract page.html --json"); "--" ends them.
// --help prints every flag, with the required ones marked, to stdout; a
// bad flag is a usage error (exit 2).
type flags struct {
	*flag.FlagSet
	e                    *env
	name, usage, summary string
	// required maps a flag to the condition under which it is required
	// ("" always; Parse then enforces it).
	required map[string]string
	args     []string
}

// newFlags makes a command's flag set. usage is the argument line after
// the command's name, summary the paragraph --help prints under it.
func newFlags(e *env, name, usage, summary string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Parse reports errors itself, as usage errors.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f := &flags{FlagSet: fs, e: e, name: name, usage: usage, summary: summary, required: map[string]string{}}
	if e != nil && e.onFlags != nil {
		e.onFlags(f)
	}
	return f
}

// require marks a flag required, under condition cond ("" for always).
func (f *flags) require(name, cond string) {
	if f.Lookup(name) == nil {
		panic("require: no flag " + name)
	}
	f.required[name] = cond
}

// isHelp reports whether a is a request for help.
func isHelp(a string) bool {
	switch a {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// Parse parses flags before and between arguments, prints help when asked
// (returning flag.ErrHelp) and checks the flags required without condition.
func (f *flags) Parse(args []string) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if isHelp(a) {
			f.printHelp(f.e.stdout)
			return flag.ErrHelp
		}
	}
	f.args = nil
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			return usageErr("%v", err)
		}
		rest := f.FlagSet.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			f.args = append(f.args, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, name := range slices.Sorted(maps.Keys(f.required)) {
		if f.required[name] == "" && !set[name] {
			return usageErr("--%s is required", name)
		}
	}
	return nil
}

// Args returns the arguments that are not flags, wherever they stood.
func (f *flags) Args() []string { return f.args }

// NArg is len(Args()).
func (f *flags) NArg() int { return len(f.args) }

// Arg returns the i-th argument, or "".
func (f *flags) Arg(i int) string {
	if i < 0 || i >= len(f.args) {
		return ""
	}
	return f.args[i]
}

// isSet reports whether the command line set the flag.
func (f *flags) isSet(name string) bool {
	found := false
	f.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}

// printHelp writes the usage line, the summary and every flag, folded for
// a terminal.
func (f *flags) printHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: newsdesk %s %s\n\n%s\n", f.name, f.usage, wrap(f.summary, helpWidth, ""))
	var b strings.Builder
	f.VisitAll(func(fl *flag.Flag) {
		kind, usage := flag.UnquoteUsage(fl)
		dash := "--"
		if len(fl.Name) == 1 {
			dash = "-"
		}
		fmt.Fprintf(&b, "  %s%s", dash, fl.Name)
		if kind != "" {
			fmt.Fprintf(&b, " %s", kind)
		}
		if showDefault(fl) {
			usage += fmt.Sprintf(" (default %s)", fl.DefValue)
		}
		if cond, ok := f.required[fl.Name]; ok {
			usage += " (required"
			if cond != "" {
				usage += " " + cond
			}
			usage += ")"
		}
		b.WriteString("\n" + wrap(usage, helpWidth, "        ") + "\n")
	})
	if b.Len() > 0 {
		fmt.Fprintf(w, "\nFlags (before or after the arguments):\n%s", b.String())
	}
}

// helpWidth is the width --help folds its text to.
const helpWidth = 78

// showDefault reports whether a flag's default says anything.
func showDefault(fl *flag.Flag) bool {
	switch fl.DefValue {
	case "", "false", "0", "[]":
		return false
	}
	return true
}

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// errUsage marks an error the user fixes by reading --help; it exits 2.
var errUsage = errors.New("usage")
