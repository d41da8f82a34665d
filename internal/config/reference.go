package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
)

// Reference renders every configuration key with its type and default as a
// Markdown table, required keys marked. It is built by reflection from the
// defaulted Config, so the reference in docs/configuration.md (checked by a
// test) cannot drift from the code.
func Reference() string {
	var b strings.Builder
	b.WriteString("| key | type | default |\n|---|---|---|\n")
	for _, r := range referenceRows() {
		def := r.def
		if req, ok := Required[r.key]; ok {
			def = "**required**"
			if req != "" {
				def += " " + req
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.key, r.typ, def)
	}
	return b.String()
}

// Required names the keys a config must set, each with the condition under
// which it must ("" for always). TestRequired checks each against
// Validate: the minimal config holds exactly the unconditional ones.
var Required = map[string]string{
	"ingest.feeds":                    "(at least one)",
	"ingest.feeds[].id":               "",
	"ingest.feeds[].url":              "",
	"ingest.topic":                    "",
	"publish.base_url":                "",
	"publish.email.from":              "",
	"summarize.llm.model":             "with `summarize.llm.base_url`",
	"publish.email.smtp_password_env": "with `publish.email.smtp_username`",
	"publish.email.dkim.selector":     "with `publish.email.dkim.domain`",
	"publish.email.dkim.key_file":     "with `publish.email.dkim.domain`",
}

// refRow is one key of the reference.
type refRow struct{ key, typ, def string }

// referenceRows lists every key of the defaulted Config in field order.
func referenceRows() []refRow {
	var c Config
	c.Defaults()
	var rows []refRow
	walk(reflect.ValueOf(c), "", &rows)
	return rows
}

var durationType = reflect.TypeOf(time.Duration(0))

func walk(v reflect.Value, prefix string, rows *[]refRow) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("yaml"), ",")
		name := tag[0]
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		key := prefix + name
		fv := v.Field(i)
		ft := f.Type
		switch {
		case ft == durationType:
			*rows = append(*rows, refRow{key, "duration", durationDefault(fv)})
		case ft.Kind() == reflect.Struct:
			walk(fv, key+".", rows)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() != reflect.Struct:
			d := ""
			if !fv.IsNil() {
				d = fmt.Sprint(fv.Elem().Interface())
			}
			*rows = append(*rows, refRow{key, ft.Elem().Kind().String(), code(d)})
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			*rows = append(*rows, refRow{key, "list", fmt.Sprintf("%d entries", fv.Len())})
			elem := reflect.New(ft.Elem()).Elem()
			if fv.Len() > 0 {
				elem = fv.Index(0)
			}
			walk(elem, key+"[].", rows)
		case ft.Kind() == reflect.Slice:
			*rows = append(*rows, refRow{key, "list of " + typeName(ft.Elem()), code(sliceDefault(fv))})
		case ft.Kind() == reflect.Map:
			*rows = append(*rows, refRow{key, "map", code(mapDefault(fv))})
		default:
			*rows = append(*rows, refRow{key, typeName(ft), code(scalarDefault(fv))})
		}
	}
}

func typeName(t reflect.Type) string {
	if t == durationType {
		return "duration"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "int"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}

func durationDefault(v reflect.Value) string {
	d := time.Duration(v.Int())
	if d == 0 {
		return ""
	}
	return code(prettyDuration(d))
}

// prettyDuration prints 168h rather than 168h0m0s.
func prettyDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func scalarDefault(v reflect.Value) string {
	if v.IsZero() {
		return ""
	}
	return fmt.Sprint(v.Interface())
}

func sliceDefault(v reflect.Value) string {
	var parts []string
	for i := range v.Len() {
		e := v.Index(i)
		if e.Type() == durationType {
			parts = append(parts, prettyDuration(time.Duration(e.Int())))
		} else {
			parts = append(parts, fmt.Sprint(e.Interface()))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 8 {
		return fmt.Sprintf("[%s, … %d in all]", strings.Join(parts[:5], ", "), len(parts))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func mapDefault(v reflect.Value) string {
	var parts []string
	for _, k := range v.MapKeys() {
		parts = append(parts, fmt.Sprintf("%v: %v", k.Interface(), v.MapIndex(k).Interface()))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "|", "\\|") + "`"
}
