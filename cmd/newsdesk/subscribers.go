package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdesk/newsdesk/publish"
)

const subscribersSummary = "List, add, remove and export the newsletter's subscribers (the subscribers bucket in the NATS store). " +
	"Addresses are printed to stdout for the operator and never logged."

const subscribersUsage = "list [--json] [--status S]\n" +
	"   or: newsdesk subscribers add EMAIL --lang de[,en]\n" +
	"   or: newsdesk subscribers remove EMAIL [--erase]\n" +
	"   or: newsdesk subscribers export [--format csv|json] [--out FILE]\n" +
	"   (each with [--config FILE] [--nats URL])"

func cmdSubscribers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		// Without a subcommand: list, with the overview as help.
		return cmdSubscribersList(ctx, e, newFlags(e, "subscribers", subscribersUsage,
			subscribersSummary+" Without a subcommand, list. 'newsdesk subscribers SUBCOMMAND --help' lists a subcommand's flags."), args)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		return cmdSubscribersList(ctx, e, newFlags(e, "subscribers list", "[--json] [--status S] [--config FILE] [--nats URL]", subscribersSummary), args)
	case "add":
		return cmdSubscribersAdd(ctx, e, args)
	case "remove":
		return cmdSubscribersRemove(ctx, e, args)
	case "export":
		return cmdSubscribersExport(ctx, e, args)
	}
	return usageErr("unknown subcommand %q (want list, add, remove or export)", sub)
}

// subscriberFlags are the flags every subcommand takes.
type subscriberFlags struct{ config, nats *string }

func addStoreFlags(fs *flags) subscriberFlags {
	return subscriberFlags{
		config: fs.String("config", defaultConfigPath, "configuration `FILE`"),
		nats:   fs.String("nats", "", "NATS server `URL`(s) (overrides nats.url; default: the embedded store of nats.data_dir; while `run` holds that store, give its server nats.listen and pass its URL here)"),
	}
}

// openStore opens the subscriber store the way run opens the NATS store.
func openStore(ctx context.Context, f subscriberFlags) (*publish.SubscriberStore, func(), error) {
	cfg, err := loadConfig(*f.config, *f.nats)
	if err != nil {
		return nil, nil, err
	}
	b, closeBus, err := openOperatorBus(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	st, err := publish.OpenSubscriberStore(ctx, b, cfg.Publish, nil)
	if err != nil {
		closeBus()
		return nil, nil, err
	}
	return st, closeBus, nil
}

func cmdSubscribersList(ctx context.Context, e *env, fs *flags, args []string) error {
	f := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "one JSON object per subscriber (the export's fields) instead of the table")
	status := fs.String("status", "", "only subscribers in this `STATUS`: confirmed, pending, unsubscribed or bounced")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	switch *status {
	case "", publish.StatusConfirmed, publish.StatusPending, publish.StatusUnsubscribed, publish.StatusBounced:
	default:
		return usageErr("--status %q: want confirmed, pending, unsubscribed or bounced", *status)
	}
	st, closeBus, err := openStore(ctx, f)
	if err != nil {
		return err
	}
	defer closeBus()
	all, err := st.List(ctx)
	if err != nil {
		return err
	}
	var subs []publish.Subscriber
	for _, s := range all {
		if *status == "" || s.Status == *status {
			subs = append(subs, s)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, s := range subs {
			if err := enc.Encode(exportOf(s)); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tSTATUS\tLANGUAGES\tSINCE\tSOURCE")
	counts := map[string]int{}
	for _, s := range subs {
		counts[s.Status]++
		since := "-"
		if t := statusSince(s); !t.IsZero() {
			since = t.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Email, s.Status, strings.Join(s.Languages, ","), since, s.Consent.Source)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d subscribers: %d confirmed, %d pending, %d unsubscribed, %d bounced\n", len(subs),
		counts[publish.StatusConfirmed], counts[publish.StatusPending], counts[publish.StatusUnsubscribed], counts[publish.StatusBounced])
	return nil
}

// statusSince is when a subscriber came into their status.
func statusSince(s publish.Subscriber) time.Time {
	switch s.Status {
	case publish.StatusConfirmed:
		return s.Consent.ConfirmedAt
	case publish.StatusPending:
		return s.Consent.RequestedAt
	case publish.StatusUnsubscribed:
		return s.UnsubscribedAt
	case publish.StatusBounced:
		return s.BouncedAt
	}
	return time.Time{}
}

func cmdSubscribersAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "subscribers add", "EMAIL --lang de[,en] [--config FILE] [--nats URL]",
		"Subscribe an address as confirmed by you, the operator (consent source \"operator\"): only for people who agreed to get the newsletter. An address that unsubscribed stays unsubscribed.")
	f := addStoreFlags(fs)
	langs := fs.String("lang", "", "the `LANGUAGES` to send, comma-separated (site languages)")
	fs.require("lang", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("want one EMAIL")
	}
	st, closeBus, err := openStore(ctx, f)
	if err != nil {
		return err
	}
	defer closeBus()
	s, err := st.Add(ctx, fs.Arg(0), strings.Split(*langs, ","))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s (%s)\n", s.Email, s.Status, strings.Join(s.Languages, ","))
	return nil
}

func cmdSubscribersRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "subscribers remove", "EMAIL [--erase] [--config FILE] [--nats URL]",
		"Unsubscribe an address, as its one-click link would; the consent record stays as proof. --erase deletes everything kept about the address instead (subscriber and delivery records), for a request to erase it.")
	f := addStoreFlags(fs)
	erase := fs.Bool("erase", false, "delete the subscriber record, its consent proof and its delivery records")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("want one EMAIL")
	}
	st, closeBus, err := openStore(ctx, f)
	if err != nil {
		return err
	}
	defer closeBus()
	addr := fs.Arg(0)
	if *erase {
		n, err := st.Erase(ctx, addr)
		if err != nil {
			return subscriberErr(addr, err)
		}
		fmt.Fprintf(e.stdout, "%s: erased (subscriber record and %d delivery records)\n", addr, n)
		return nil
	}
	s, err := st.Remove(ctx, addr)
	if err != nil {
		return subscriberErr(addr, err)
	}
	fmt.Fprintf(e.stdout, "%s: %s\n", s.Email, s.Status)
	return nil
}

func subscriberErr(addr string, err error) error {
	if errors.Is(err, publish.ErrNoSuchSubscriber) {
		return fmt.Errorf("%s: %w", addr, err)
	}
	return err
}

func cmdSubscribersExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "subscribers export", "[--format csv|json] [--out FILE] [--config FILE] [--nats URL]",
		"Write every subscriber with their consent record (when and from where they signed up and confirmed, the consent text version) as CSV or JSON; the secrets of their links are left out.")
	f := addStoreFlags(fs)
	format := fs.String("format", "csv", "`csv` or json")
	out := fs.String("out", "", "write to `FILE` (mode 0600) instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	if *format != "csv" && *format != "json" {
		return usageErr("--format %q: want csv or json", *format)
	}
	st, closeBus, err := openStore(ctx, f)
	if err != nil {
		return err
	}
	defer closeBus()
	subs, err := st.List(ctx)
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "" {
		file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	rows := make([]subscriberExport, 0, len(subs))
	for _, s := range subs {
		rows = append(rows, exportOf(s))
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return writeSubscribersCSV(w, rows)
}

// subscriberExport is what an export holds of a subscriber: everything
// but the secrets of their links.
type subscriberExport struct {
	Email          string            `json:"email"`
	Status         string            `json:"status"`
	Languages      []string          `json:"languages"`
	Lang           string            `json:"lang,omitempty"`
	Consent        publish.Consent   `json:"consent"`
	UnsubscribedAt time.Time         `json:"unsubscribed_at,omitzero"`
	BouncedAt      time.Time         `json:"bounced_at,omitzero"`
	BounceReason   string            `json:"bounce_reason,omitempty"`
	History        []publish.Consent `json:"history,omitempty"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

func exportOf(s publish.Subscriber) subscriberExport {
	return subscriberExport{Email: s.Email, Status: s.Status, Languages: s.Languages, Lang: s.Lang, Consent: s.Consent,
		UnsubscribedAt: s.UnsubscribedAt, BouncedAt: s.BouncedAt, BounceReason: s.BounceReason, History: s.History, UpdatedAt: s.UpdatedAt}
}

var subscribersCSVHeader = []string{"email", "status", "languages", "consent_source", "requested_at", "request_ip", "user_agent",
	"consent_text_version", "confirmed_at", "confirm_ip", "unsubscribed_at", "bounced_at", "bounce_reason"}

func writeSubscribersCSV(w io.Writer, rows []subscriberExport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(subscribersCSVHeader); err != nil {
		return err
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, r := range rows {
		c := r.Consent
		rec := []string{r.Email, r.Status, strings.Join(r.Languages, " "), c.Source, ts(c.RequestedAt), c.RequestIP, c.UserAgent,
			c.TextVersion, ts(c.ConfirmedAt), c.ConfirmIP, ts(r.UnsubscribedAt), ts(r.BouncedAt), r.BounceReason}
		for i, f := range rec {
			rec[i] = csvSafe(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a field as a formula: user
// agents and bounce texts come from strangers.
func csvSafe(f string) string {
	if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
		return "'" + f
	}
	return f
}
