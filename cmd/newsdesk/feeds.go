package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/newsdesk/newsdesk/ingest"
	"github.com/newsdesk/newsdesk/ingest/opml"
	"github.com/newsdesk/newsdesk/internal/clip"
	"github.com/newsdesk/newsdesk/internal/config"
)

const feedsSummary = `Without a subcommand: a table of every feed's state as ingest keeps it in
the feed_state bucket: last fetch, HTTP status, items, consecutive errors,
next poll. It opens the NATS store like run does; while newsdesk runs with
its embedded server, give that server a nats.listen address and pass
--nats nats://thataddress.

import: read an OPML subscription list (what feed readers export). Without
--into it prints the feeds as YAML for ingest.feeds; with --into it adds
them to that config file (keeping a copy as FILE.bak), skipping feeds whose
URL is already there, and checks the result. Folders and categories that
name a language ("de", "German", "Deutsch") set the feed's language.

export: write the config's feeds as OPML 2.0 to stdout.`

func cmdFeeds(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return cmdFeedsImport(e, args[1:])
		case "export":
			return cmdFeedsExport(e, args[1:])
		}
	}
	fs := newFlags(e, "feeds", "[--config FILE] [--nats URL] [--json]\n   or: newsdesk feeds import [--into CONFIG] FILE.opml\n   or: newsdesk feeds export [--config FILE]",
		feedsSummary+"\n\n'newsdesk feeds import --help' and 'newsdesk feeds export --help' list those subcommands' flags.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	natsURL := fs.String("nats", "", "NATS server `URL`(s) (overrides nats.url; default: the embedded store of nats.data_dir)")
	asJSON := fs.Bool("json", false, "print one JSON object per feed instead of the table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		if a := fs.Arg(0); a == "import" || a == "export" {
			return usageErr("%s comes first: newsdesk feeds %s [flags] …", a, a)
		}
		return usageErr("unknown subcommand %q (want import or export)", fs.Arg(0))
	}
	cfg, err := loadConfig(*cfgPath, *natsURL)
	if err != nil {
		return err
	}
	b, closeBus, err := openOperatorBus(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeBus()
	st, err := ingest.FeedStatuses(ctx, b, cfg.Ingest.Feeds)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, s := range st {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	printFeedTable(e.stdout, st, time.Now())
	return nil
}

// printFeedTable writes the status table, a line per feed.
func printFeedTable(w io.Writer, st []ingest.FeedStatus, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tSTATE\tLAST FETCH\tHTTP\tITEMS\tERRORS\tNEXT POLL\tNOTE")
	failing := 0
	for _, s := range st {
		state, note := "ok", ""
		switch {
		case !s.InConfig:
			state, note = "removed", "not in the config any more"
		case !s.Polled:
			state = "new"
		case s.Gone:
			state, note = "gone", "410: not polled again until its url changes"
		case s.Errors > 0:
			state, note = "failing", s.LastError
			failing++
		case len(s.Repairs) > 0:
			note = "repaired: " + strings.Join(s.Repairs, "; ")
		}
		if note == "" && s.DiscoveredFrom != "" {
			note = "feed found on the page: " + s.URL
		} else if note == "" && s.URL != "" && s.URL != s.ConfigURL {
			note = "moved to " + s.URL
		}
		status := "-"
		if s.LastStatus != 0 {
			status = fmt.Sprint(s.LastStatus)
		}
		next := ago(s.NextPoll, now)
		if s.NotBefore.After(now) {
			next += " (server asked to wait)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, state, ago(s.LastPoll, now), status, s.Items, s.Errors, next, clip.Runes(note, 100))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d feeds, %d failing\n", len(st), failing)
}

// ago renders t relative to now: "12m ago", "in 3h", "-" for zero.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	if d >= 0 {
		return shortDuration(d) + " ago"
	}
	return "in " + shortDuration(-d)
}

func shortDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func cmdFeedsImport(e *env, args []string) error {
	fs := newFlags(e, "feeds import", "[--into CONFIG] FILE.opml", feedsSummary)
	into := fs.String("into", "", "`CONFIG` file to add the feeds to (a copy is kept as CONFIG.bak); without it the feeds are printed as YAML")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("want exactly one OPML file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	subs, err := opml.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	if *into == "" {
		added, _ := newFeedConfigs(subs, nil)
		enc := yaml.NewEncoder(e.stdout)
		enc.SetIndent(2)
		return enc.Encode(map[string]any{"ingest": map[string]any{"feeds": added}})
	}
	return importInto(e, *into, subs)
}

// importInto adds subs to the config file at path. The file is edited as
// text: each new feed is one line, "- {id: …, name: …, url: "…"}", added
// after the last feed of ingest.feeds (whose indentation it copies), so
// everything else in the file, comments and alignment included, stays as
// it was. The result must pass the same checks as `newsdesk check` before
// it replaces the file.
func importInto(e *env, path string, subs []opml.Feed) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	existing, err := config.Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	added, skipped := newFeedConfigs(subs, existing.Ingest.Feeds)
	if len(added) == 0 {
		fmt.Fprintf(e.stderr, "%s: nothing to add, all %d feeds are there already\n", path, skipped)
		return nil
	}
	var lines []string
	for _, f := range added {
		line, err := flowLine(f)
		if err != nil {
			return err
		}
		lines = append(lines, line)
	}
	out, err := insertFeeds(data, lines)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	if _, err := config.Parse(out, dir); err != nil {
		return fmt.Errorf("%s with the imported feeds would not be valid, left unchanged: %w", path, err)
	}
	if err := os.WriteFile(path+".bak", data, 0o644); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: added %d feeds, skipped %d already there (previous version in %s.bak)\n", path, len(added), skipped, path)
	return nil
}

// flowLine renders a feed as a YAML flow mapping on one line.
func flowLine(f feedYAML) (string, error) {
	var n yaml.Node
	if err := n.Encode(f); err != nil {
		return "", err
	}
	n.Style = yaml.FlowStyle
	for i := 1; i < len(n.Content); i += 2 {
		if n.Content[i-1].Value == "url" {
			n.Content[i].Style = yaml.DoubleQuotedStyle
		}
	}
	b, err := yaml.Marshal(&n)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// insertFeeds adds the "- …" lines to ingest.feeds in the YAML text data:
// after the sequence's last line when it has items, else under a
// "feeds:" key (made if missing, also replacing "feeds: []"), else under a
// new "ingest:" at the end of the file.
func insertFeeds(data []byte, items []string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	text := strings.Split(string(data), "\n")
	insertAt := func(line int, block []string) []byte { // after 1-based line
		out := append(append(append([]string{}, text[:line]...), block...), text[line:]...)
		return []byte(strings.Join(out, "\n"))
	}
	prefixed := func(indent string) []string {
		var out []string
		for _, it := range items {
			out = append(out, indent+"- "+it)
		}
		return out
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		root = doc.Content[0]
	}
	ingestKey, ingestVal := lookup(root, "ingest")
	if ingestVal == nil || ingestVal.Kind != yaml.MappingNode || len(ingestVal.Content) == 0 {
		if ingestKey != nil {
			return nil, fmt.Errorf("ingest is not a mapping with keys; add the feeds by hand")
		}
		if len(text) > 0 && text[len(text)-1] == "" {
			text = text[:len(text)-1]
		}
		return insertAt(len(text), append([]string{"ingest:", "  feeds:"}, append(prefixed("    "), "")...)), nil
	}
	feedsKey, feedsVal := lookup(ingestVal, "feeds")
	switch {
	case feedsKey == nil:
		indent := strings.Repeat(" ", ingestVal.Content[0].Column-1)
		return insertAt(ingestKey.Line, append([]string{indent + "feeds:"}, prefixed(indent+"  ")...)), nil
	case feedsVal.Kind == yaml.SequenceNode && len(feedsVal.Content) > 0 && feedsVal.Style&yaml.FlowStyle == 0:
		first := feedsVal.Content[0]
		line := text[first.Line-1]
		dash := strings.LastIndex(line[:min(len(line), first.Column-1)], "-")
		if dash < 0 {
			return nil, fmt.Errorf("ingest.feeds: cannot tell the list's indentation")
		}
		return insertAt(lastLine(feedsVal), prefixed(line[:dash])), nil
	case feedsVal.Kind == yaml.SequenceNode && len(feedsVal.Content) > 0:
		return nil, fmt.Errorf(`ingest.feeds is a one-line [list]; write it as a block list (one "- …" per line) and import again`)
	default: // "feeds:", "feeds: []" or "feeds: ~"
		l := feedsKey.Line - 1
		text[l] = text[l][:feedsKey.Column-1] + "feeds:"
		indent := strings.Repeat(" ", feedsKey.Column-1)
		return insertAt(feedsKey.Line, prefixed(indent+"  ")), nil
	}
}

// lookup finds key in mapping m: the key node and its value.
func lookup(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 1; i < len(m.Content); i += 2 {
		if m.Content[i-1].Value == key {
			return m.Content[i-1], m.Content[i]
		}
	}
	return nil, nil
}

// lastLine is the last line any node under n starts on.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// feedYAML is an imported feed as written into a config: only the keys
// an OPML file can fill.
type feedYAML struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name,omitempty"`
	URL      string `yaml:"url"`
	Language string `yaml:"language,omitempty"`
}

// newFeedConfigs turns subscriptions into feed configs with ids unique
// among themselves and existing, skipping URLs already configured (or
// listed twice). It returns the new ones and how many it skipped.
func newFeedConfigs(subs []opml.Feed, existing []ingest.FeedConfig) ([]feedYAML, int) {
	ids, urls := map[string]bool{}, map[string]bool{}
	for _, f := range existing {
		ids[f.ID], urls[strings.TrimSpace(f.URL)] = true, true
	}
	var out []feedYAML
	skipped := 0
	for _, s := range subs {
		if urls[s.XMLURL] {
			skipped++
			continue
		}
		urls[s.XMLURL] = true
		base := feedID(s.Title, s.XMLURL)
		id := base
		for n := 2; ids[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		ids[id] = true
		out = append(out, feedYAML{ID: id, Name: cleanName(s.Title), URL: s.XMLURL, Language: s.Language})
	}
	return out, skipped
}

// feedID makes an id (a-z, 0-9, '-') from a title, else the feed's host:
// "SPIEGEL Netzwelt" → "spiegel-netzwelt", "Süddeutsche" → "sueddeutsche".
func feedID(title, feedURL string) string {
	id := slug(title)
	if id == "" {
		host := feedURL
		if i := strings.Index(host, "://"); i >= 0 {
			host = host[i+3:]
		}
		host, _, _ = strings.Cut(host, "/")
		id = slug(strings.TrimPrefix(host, "www."))
	}
	if id == "" {
		id = "feed"
	}
	return id
}

var germanLetters = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")

func slug(s string) string {
	s = germanLetters.Replace(s)
	// Drop accents: é → e.
	s, _, _ = transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	return b.String()
}

func cleanName(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

func cmdFeedsExport(e *env, args []string) error {
	fs := newFlags(e, "feeds export", "[--config FILE]", "Write the config's feeds (their URLs as configured) as OPML 2.0 to stdout.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	cfg, err := loadConfig(*cfgPath, "")
	if err != nil {
		return err
	}
	var feeds []opml.Export
	for _, f := range cfg.Ingest.Feeds {
		feeds = append(feeds, opml.Export{Title: f.Name, XMLURL: f.URL, Language: f.Language})
	}
	return opml.Write(e.stdout, "newsdesk feeds", time.Now(), feeds)
}
