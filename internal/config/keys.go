package config

import (
	"encoding"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"go.yaml.in/yaml/v3"
)

// This file checks a document's keys against the Config type before it is
// decoded. yaml.v3's strict mode names only the Go type of an unknown key
// ("field modle not found in type llm.Config") and its type errors only a
// line; an operator needs the key's full path in the file and what to write
// instead, so the document is walked beside the type here.

// keyProblem is one error found in the document, at a line of it.
type keyProblem struct {
	line int
	msg  string
}

func (p keyProblem) Error() string { return fmt.Sprintf("%s (line %d)", p.msg, p.line) }

// scalarAt is a value in the document: its key path and text.
type scalarAt struct{ path, value string }

// keyWalker walks a document beside a Go type.
type keyWalker struct {
	problems []keyProblem
	// values records every value's key path by line, to name the key of a
	// decode error, which yaml.v3 reports by line only.
	values map[int][]scalarAt
	// known maps each key name to the full paths it has in Config
	// ("model" → "summarize.llm.model"), for a key in the wrong section.
	known map[string][]string
}

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkKeys reports every mapping key in doc that t (a struct type) does
// not have, with its path and the closest known key, and returns the
// walker, whose values name the keys of later decode errors.
func checkKeys(doc *yaml.Node, t reflect.Type) *keyWalker {
	w := &keyWalker{values: map[int][]scalarAt{}, known: map[string][]string{}}
	for _, k := range keyPaths() {
		name := k[strings.LastIndexAny(k, ".]")+1:]
		w.known[name] = append(w.known[name], k)
	}
	if doc != nil && doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		w.walk(doc.Content[0], t, "")
	}
	slices.SortStableFunc(w.problems, func(a, b keyProblem) int { return a.line - b.line })
	return w
}

// leaf reports whether values of t decode themselves (durations, types
// with their own YAML or text unmarshaling), so their insides are not keys.
func leaf(t reflect.Type) bool {
	if t == durationType {
		return true
	}
	p := reflect.PointerTo(t)
	return t.Implements(unmarshalerType) || p.Implements(unmarshalerType) ||
		t.Implements(textUnmarshalerType) || p.Implements(textUnmarshalerType)
}

func (w *keyWalker) walk(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode {
		w.values[n.Line] = append(w.values[n.Line], scalarAt{path, n.Value})
	} else {
		w.values[n.Line] = append(w.values[n.Line], scalarAt{path: path})
	}
	if leaf(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // a type error the decoder reports
		}
		fields := structKeys(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				w.walkMerge(v, t, path)
				continue
			}
			ft, ok := fields[k.Value]
			if !ok {
				w.unknown(k, path, fields)
				continue
			}
			w.walk(v, ft, join(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.walk(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value))
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, e := range n.Content {
			w.walk(e, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	}
}

// walkMerge walks the mapping (or list of mappings) a "<<" key merges in.
func (w *keyWalker) walkMerge(v *yaml.Node, t reflect.Type, path string) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			w.walk(e, t, path)
		}
		return
	}
	w.walk(v, t, path)
}

// unknown records an unknown key with the closest key that path has, or
// else the places where a key of that name belongs.
func (w *keyWalker) unknown(k *yaml.Node, path string, fields map[string]reflect.Type) {
	msg := join(path, k.Value) + ": unknown key"
	if s := closest(k.Value, slices.Sorted(maps.Keys(fields))); s != "" {
		msg += "; did you mean " + s + "?"
	} else if elsewhere := w.known[k.Value]; len(elsewhere) > 0 {
		msg += "; it belongs under " + strings.Join(parents(elsewhere), " or ")
	} else if len(fields) > 0 {
		where := "this section"
		if path != "" {
			where = path
		}
		msg += fmt.Sprintf(" (%s has %s)", where, strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
	}
	w.problems = append(w.problems, keyProblem{line: k.Line, msg: msg})
}

// parents turns "summarize.llm.model" into "summarize.llm".
func parents(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if i := strings.LastIndex(p, "."); i > 0 {
			p = p[:i]
		} else {
			p = "the top level"
		}
		out = append(out, p)
	}
	return out
}

// closest returns the candidate nearest to key in edit distance, if it is
// near enough to be a typo: at most a third of the key's length, and at
// least 2 so that one swap of two letters ("modle") counts.
func closest(key string, candidates []string) string {
	best, bestD := "", max(2, len(key)/3)+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(key, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// structKeys maps each YAML key of struct type t to its field's type,
// including the keys of inlined structs.
func structKeys(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("yaml"), ",")
		if tag[0] == "-" {
			continue
		}
		if slices.Contains(tag[1:], "inline") && f.Type.Kind() == reflect.Struct {
			for k, v := range structKeys(f.Type) {
				out[k] = v
			}
			continue
		}
		name := tag[0]
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyPaths lists every key of Config as the reference names it
// ("ingest.feeds[].url"), without the placeholder keys of free maps.
func keyPaths() []string {
	var out []string
	for _, r := range referenceRows() {
		if !strings.Contains(r.key, "<") {
			out = append(out, r.key)
		}
	}
	return out
}

// yamlLine matches the "line N: " yaml.v3 puts before each decode error.
var (
	yamlLine  = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlValue = regexp.MustCompile("cannot unmarshal !!\\w+ `([^`]*)` into (\\S+)")
)

// explain rewrites one of yaml.v3's decode errors ("line 5: cannot
// unmarshal !!str `soon` into time.Duration") to name the key and say what
// is wanted: "shutdown_timeout: "soon" is not a duration (…) (line 5)".
func (w *keyWalker) explain(msg string) string {
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	rest := m[2]
	quoted, into := "", ""
	if v := yamlValue.FindStringSubmatch(rest); v != nil {
		quoted, into = v[1], v[2]
	}
	key, value := w.keyAt(line, quoted)
	if value == "" {
		value = quoted
	}
	switch into {
	case "time.Duration":
		rest = fmt.Sprintf("%q is not a duration (write e.g. 90s, 30m or 24h)", value)
	case "int", "int32", "int64":
		rest = fmt.Sprintf("%q is not a whole number", value)
	case "float64":
		rest = fmt.Sprintf("%q is not a number", value)
	case "bool":
		rest = fmt.Sprintf("%q is not true or false", value)
	}
	if key != "" {
		return fmt.Sprintf("%s: %s (line %d)", key, rest, line)
	}
	return fmt.Sprintf("%s (line %d)", rest, line)
}

// keyAt names the key of the value on line that a decode error quotes
// (yaml.v3 cuts values longer than 10 bytes to 7 and "...") and returns
// that value whole; failing that, the path all values on the line share.
func (w *keyWalker) keyAt(line int, quoted string) (key, value string) {
	at := w.values[line]
	if len(at) == 0 {
		return "", ""
	}
	prefix, cut := strings.CutSuffix(quoted, "...")
	var match []scalarAt
	for _, s := range at {
		if s.value == quoted || (cut && strings.HasPrefix(s.value, prefix)) {
			match = append(match, s)
		}
	}
	if len(match) > 0 {
		// Nested values start on one line ("- [a, b]" is a list item
		// and the start of its list): the innermost is meant.
		slices.SortFunc(match, func(a, b scalarAt) int { return len(b.path) - len(a.path) })
		if !slices.ContainsFunc(match[1:], func(s scalarAt) bool { return !strings.HasPrefix(match[0].path, s.path) }) {
			return match[0].path, match[0].value
		}
	}
	common := at[0].path
	for _, s := range at[1:] {
		for !strings.HasPrefix(s.path, common) {
			i := strings.LastIndexAny(common, ".[")
			if i < 0 {
				return "", ""
			}
			common = common[:i]
		}
	}
	return common, ""
}
