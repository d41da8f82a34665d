package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/configs"
	"github.com/newsdesk/newsdesk/ingest/topic"
	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/lang"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/sample"
	"github.com/newsdesk/newsdesk/publish"
)

// demoOptions are the demo's flags; tests set them directly.
type demoOptions struct {
	out           string
	dataDir       string // NATS store; empty: a temporary directory, removed afterwards
	siteAddr      string // where the sample site listens; empty: a free loopback port
	natsURL       string // an external NATS server instead of the embedded one (tests)
	smtp          string // host:port; empty: write .eml files to out/outbox
	webhook       string // URL every digest is POSTed to, signed with webhookSecret
	webhookSecret string
	llmURL        string
	llmModel      string
	verbose       bool
	at            time.Time        // edition time; zero: now
	onBus         func(b *bus.Bus) // called once the bus is up (tests subscribe here)
	logTo         io.Writer        // log destination; nil: discarded
	logLevel      slog.Level       // the least level logged to logTo (zero: info)
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "--out DIR [--data DIR] [--smtp HOST:PORT] [--webhook URL --webhook-secret S] [--llm-url URL --llm-model NAME] [-v]",
		"Run the whole pipeline offline on bundled sample news: serve sample feeds and pages on 127.0.0.1, ingest them through an embedded NATS server, compose one edition in German and English, and write feeds, digests, archive pages and emails to DIR (the emails of an earlier run in DIR/outbox are removed first). It ends with the file:// addresses of the pages to open.")
	var o demoOptions
	fs.StringVar(&o.out, "out", "", "write everything to `DIR`")
	fs.StringVar(&o.smtp, "smtp", "", "send the emails to this SMTP server `HOST:PORT` (plain SMTP on localhost, e.g. mailpit) instead of writing DIR/outbox")
	fs.StringVar(&o.webhook, "webhook", "", "also POST each digest as signed JSON to this `URL` (docs/operations.md: Webhooks)")
	fs.StringVar(&o.webhookSecret, "webhook-secret", "", "the `SECRET` that signs --webhook's requests (HMAC-SHA256, Standard Webhooks)")
	fs.StringVar(&o.llmURL, "llm-url", "", "OpenAI-compatible base `URL`, e.g. http://127.0.0.1:11434/v1 (Ollama); the API key, if any, is read from $NEWSDESK_LLM_API_KEY")
	fs.StringVar(&o.llmModel, "llm-model", "", "`MODEL` name for --llm-url, e.g. qwen3:8b")
	fs.StringVar(&o.dataDir, "data", "", "keep the NATS store in `DIR` (default: a temporary one, removed afterwards)")
	fs.BoolVar(&o.verbose, "v", false, "log every stage's progress to stderr (warnings are logged without it)")
	fs.require("out", "")
	fs.require("llm-model", "with --llm-url")
	fs.require("webhook-secret", "with --webhook")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	if o.out == "" {
		return usageErr("--out must name a directory")
	}
	if (o.webhook == "") != (o.webhookSecret == "") {
		return usageErr("--webhook and --webhook-secret go together")
	}
	if (o.llmURL == "") != (o.llmModel == "") {
		return usageErr("--llm-url and --llm-model go together")
	}
	// Warnings always reach stderr (an LLM that failed the edition says
	// so at its end); -v adds every stage's progress.
	o.logTo = e.stderr
	if !o.verbose {
		o.logLevel = slog.LevelWarn
	}
	digests, err := runDemo(ctx, o)
	if err != nil {
		return err
	}
	printDemo(e.stdout, o, digests)
	return nil
}

// runDemo runs the pipeline once over the bundled sample site.
func runDemo(ctx context.Context, o demoOptions) ([]news.Digest, error) {
	out, err := filepath.Abs(o.out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if o.smtp == "" {
		// Each run's mails, not every run's.
		if err := clearOutbox(filepath.Join(out, "outbox")); err != nil {
			return nil, err
		}
	}
	dataDir := o.dataDir
	if dataDir == "" {
		if dataDir, err = os.MkdirTemp("", "newsdesk-demo-nats-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dataDir)
	}
	log := slog.New(slog.DiscardHandler)
	if o.logTo != nil {
		log = slog.New(slog.NewTextHandler(o.logTo, &slog.HandlerOptions{Level: o.logLevel}))
	}

	// The sample site, on a loopback port of its own.
	if o.siteAddr == "" {
		o.siteAddr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", o.siteAddr)
	if err != nil {
		return nil, fmt.Errorf("sample site: %w", err)
	}
	site := &http.Server{Handler: sample.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = site.Serve(ln) }()
	defer site.Close()
	base := "http://" + ln.Addr().String()

	cfg, profile, err := demoConfig(base, out, dataDir, o)
	if err != nil {
		return nil, err
	}
	a, err := newApp(ctx, cfg, log, allStages, profile)
	if err != nil {
		return nil, err
	}
	defer a.close()
	if o.onBus != nil {
		o.onBus(a.bus)
	}
	res, err := a.pass(ctx, passOptions{at: o.at})
	if err == nil {
		err = res.deliveryErr()
	}
	if err != nil {
		return nil, err
	}
	if st := res.stats; st.ItemsPublished == 0 && st.ItemsSeen == 0 && st.FeedsNotModified == 0 {
		return nil, fmt.Errorf("demo: no article was ingested (%+v)", res.stats)
	}
	return res.digests, nil
}

// demoConfig is configs/demo.yaml (embedded) pointed at the sample site.
func demoConfig(base, out, dataDir string, o demoOptions) (*config.Config, *topic.Profile, error) {
	raw, err := fs.ReadFile(configs.Files, "demo.yaml")
	if err != nil {
		return nil, nil, err
	}
	cfg, err := config.Decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("demo.yaml: %w", err)
	}
	cfg.NATS.DataDir = dataDir
	cfg.NATS.URL = o.natsURL
	for i, f := range cfg.Ingest.Feeds {
		// demo.yaml names the sample site's feeds on a placeholder host.
		u, err := url.Parse(f.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("demo.yaml: ingest.feeds[%d].url: %w", i, err)
		}
		cfg.Ingest.Feeds[i].URL = base + u.RequestURI()
	}
	cfg.Publish.OutDir = out
	cfg.Publish.Email.OutboxDir = ""
	if o.smtp != "" {
		host, port, err := net.SplitHostPort(o.smtp)
		if err != nil {
			return nil, nil, fmt.Errorf("--smtp %q: %w", o.smtp, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, nil, fmt.Errorf("--smtp %q: bad port", o.smtp)
		}
		cfg.Publish.Email.SMTPHost, cfg.Publish.Email.SMTPPort, cfg.Publish.Email.TLS = host, p, "none"
	}
	if o.webhook != "" {
		cfg.Publish.Webhooks = append(cfg.Publish.Webhooks, publish.WebhookConfig{URL: o.webhook, Secret: o.webhookSecret})
	}
	if o.llmURL != "" {
		cfg.Summarize.LLM.BaseURL, cfg.Summarize.LLM.Model = o.llmURL, o.llmModel
	}
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("demo config: %w", err)
	}
	profRaw, err := fs.ReadFile(configs.Files, "topics/china-us-ai.yaml")
	if err != nil {
		return nil, nil, err
	}
	profile, err := topic.Parse(profRaw)
	if err != nil {
		return nil, nil, fmt.Errorf("topic profile: %w", err)
	}
	return cfg, profile, nil
}

func printDemo(w io.Writer, o demoOptions, digests []news.Digest) {
	if len(digests) == 0 {
		fmt.Fprintln(w, "No new digest: today's edition was already published from this data (--data); the outputs below are from that run.")
	}
	langs := lang.Default()
	for _, d := range digests {
		fmt.Fprintf(w, "\n=== %s — %s (%s, %s)\n\n%s\n", d.Title, d.Date, d.Language, d.Generator, wrap(d.Overview, 78, ""))
		for _, n := range d.Notes {
			fmt.Fprintf(w, "\nNote: %s\n", n)
		}
		for i, s := range d.Stories {
			upd := ""
			if s.Update {
				upd = " (update)"
			}
			fmt.Fprintf(w, "\n%d. %s%s\n", i+1, s.Headline, upd)
			if code := s.TextLanguage(d.Language); code != d.Language {
				// The label publish shows: "Englischsprachige Quelle".
				fmt.Fprintf(w, "   (%s)\n", langs.Get(d.Language).Catalog().TFor("label.source_language", code, "language", strings.ToUpper(code)))
			}
			if s.Summary != "" {
				fmt.Fprintf(w, "%s\n", wrap(s.Summary, 78, "   "))
			}
			for j, src := range s.Sources {
				fmt.Fprintf(w, "   [%d] %s: %s <%s>\n", j+1, src.Outlet, src.Title, src.URL)
			}
		}
	}
	out, _ := filepath.Abs(o.out)
	fmt.Fprintf(w, "\nWritten to %s:\n", out)
	for _, p := range []string{"feeds", "digests", "archive", "outbox"} {
		if n := countFiles(filepath.Join(out, p)); n > 0 {
			fmt.Fprintf(w, "  %-8s %d files\n", p+"/", n)
		}
	}
	if o.smtp != "" {
		fmt.Fprintf(w, "Emails sent to SMTP server %s.\n", o.smtp)
	}
	if o.webhook != "" {
		fmt.Fprintf(w, "Digests with stories POSTed to the webhook.\n")
	}
	// Last, what to open: the pages read offline.
	fmt.Fprintf(w, "\nOpen in a browser (the pages work offline):\n")
	for _, d := range digests {
		fmt.Fprintf(w, "  %s  (%s)\n", fileURL(filepath.Join(out, filepath.FromSlash(publish.DigestFile(d)))), d.Title)
	}
	fmt.Fprintf(w, "  %s  (the archive: every edition, both languages, the feeds)\n", fileURL(filepath.Join(out, filepath.FromSlash(publish.ArchiveIndexFile))))
}

// fileURL is the file:// URL of an absolute path.
func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// clearOutbox removes the .eml files an earlier demo run left in dir (and
// nothing else).
func clearOutbox(dir string) error {
	emls, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return err
	}
	for _, f := range emls {
		if err := os.Remove(f); err != nil {
			return fmt.Errorf("clearing the demo's outbox: %w", err)
		}
	}
	return nil
}

func countFiles(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// wrap folds text at width for the terminal.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	for pi, para := range strings.Split(s, "\n") {
		if pi > 0 {
			b.WriteByte('\n')
		}
		line := indent
		for _, w := range strings.Fields(para) {
			if len(line) > len(indent) && len(line)+1+len(w) > width {
				b.WriteString(line + "\n")
				line = indent
			}
			if len(line) > len(indent) {
				line += " "
			}
			line += w
		}
		b.WriteString(line)
	}
	return b.String()
}
