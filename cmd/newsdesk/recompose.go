package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/publish"
	"github.com/newsdesk/newsdesk/summarize"
)

// cmdRecompose composes one edition slot again on purpose: it shows what it
// would publish and whom it would mail, and publishes only with --yes or
// the operator's answer. Languages that went out with stories get a new
// revision that replaces the old one in feeds and archive; nobody who was
// mailed the edition is mailed again.
func cmdRecompose(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "recompose", "EDITION [--date YYYY-MM-DD] [--slot HH:MM] [--dry-run | --yes] [--config FILE] [--nats URL]",
		"Compose one slot of an edition again from the articles of its window (today's current slot unless --date/--slot say otherwise), "+
			"show each language's new digest and whom it would be mailed to, and publish it after confirmation. "+
			"A digest that went out with stories is replaced in feeds and archive but mailed to nobody who had it; "+
			"it is never replaced by one without stories.")
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	natsURL := fs.String("nats", "", "external NATS server or cluster `URL`(s), comma-separated (overrides nats.url); its publish stage mails")
	date := fs.String("date", "", "edition date in the edition's time zone, `YYYY-MM-DD` (default: today)")
	clock := fs.String("slot", "", "the slot's time `HH:MM`, for an edition that runs several times a day (default: today's current slot)")
	dry := fs.Bool("dry-run", false, "show what would be published and mailed, change nothing")
	yes := fs.Bool("yes", false, "publish without asking")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pos := fs.Args()
	if len(pos) != 1 {
		return usageErr("want exactly one EDITION, got %d arguments", len(pos))
	}
	if *dry && *yes {
		return usageErr("--dry-run and --yes contradict each other")
	}
	cfg, err := loadSendingConfig(*cfgPath, *natsURL)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, cfg.NewLogger(e.stderr), stageSet{summarize: true, publish: true}, nil)
	if err != nil {
		return operatorStoreErr(cfg, err)
	}
	defer a.close()
	name := pos[0]
	slot, err := recomposeSlot(a.summarize, name, *date, *clock)
	if err != nil {
		return usageErr("%v", err)
	}
	plan, err := a.summarize.PlanEdition(ctx, summarize.EditionRequest{Edition: name, Slot: slot, Force: true})
	if err != nil {
		return err
	}
	mails, err := printPlan(ctx, e.stdout, a.publish, plan)
	if err != nil {
		return err
	}
	if len(plan.Digests) == 0 {
		fmt.Fprintln(e.stdout, "Nothing to publish.")
		return nil
	}
	if *dry {
		fmt.Fprintln(e.stdout, "Dry run: nothing published, nobody mailed.")
		return nil
	}
	if !*yes {
		if !e.interactive || e.stdin == nil {
			return errors.New("not published: confirm with --yes (or look first with --dry-run)")
		}
		fmt.Fprintf(e.stdout, "Publish %d digest(s) and mail %d subscriber(s)? [y/N] ", len(plan.Digests), mails)
		answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(e.stdout, "Not published.")
			return nil
		}
	}
	published, err := a.summarize.CommitEdition(ctx, plan)
	if err != nil {
		return err
	}
	for _, d := range published {
		fmt.Fprintf(e.stdout, "published %s revision %d (%d stories)\n", d.ID, d.Revision, len(d.Stories))
	}
	if cfg.NATS.URL != "" {
		fmt.Fprintln(e.stdout, "The publish stage on NATS updates feeds and archive and mails it.")
		return nil
	}
	pub := a.startPublish(ctx)
	v, err := pub.await(ctx, published, nil)
	err = errors.Join(err, pub.stop())
	res := passResult{digests: published, delivery: v.verdicts, stalled: v.stalled, publishHere: true}
	printVerdicts(e.stdout, res)
	return errors.Join(err, res.deliveryErr())
}

// recomposeSlot finds the slot --date and --slot name; both empty: today's
// current slot. A slot still ahead is refused: composed early, it would
// go out without the news until its time.
func recomposeSlot(s *summarize.Stage, name, date, clock string) (time.Time, error) {
	now := time.Now()
	slot, err := s.SlotAt(name, now)
	if err != nil {
		return time.Time{}, err
	}
	if date != "" || clock != "" {
		if date == "" {
			date = slot.Format(time.DateOnly)
		}
		if slot, err = s.SlotOn(name, date, clock); err != nil {
			return time.Time{}, err
		}
	}
	if slot.After(now) {
		return time.Time{}, fmt.Errorf("edition %s's slot %s is still ahead; it is composed when it is due", name, slot.Format("2006-01-02 15:04 MST"))
	}
	return slot, nil
}

// printPlan shows what a recompose would publish and mail; it returns how
// many subscribers would be mailed.
func printPlan(ctx context.Context, w io.Writer, pub *publish.Stage, p *summarize.Plan) (int, error) {
	loc := p.Slot.Location()
	fmt.Fprintf(w, "Edition %s, slot %s %s: %d articles ingested %s – %s.\n", p.Edition, p.Slot.Format("2006-01-02 15:04"), loc,
		p.Articles, p.Since.In(loc).Format("2006-01-02 15:04"), p.Until.In(loc).Format("2006-01-02 15:04"))
	previous := map[string]summarize.SlotDigest{}
	for _, d := range p.Previous {
		previous[d.Lang] = d
	}
	mails := 0
	for _, d := range p.Digests {
		replaces := "the slot has no digest in this language yet"
		if prev, ok := previous[d.Language]; ok {
			replaces = fmt.Sprintf("replaces revision %d (%d stories)", prev.Revision, prev.Stories)
		}
		fmt.Fprintf(w, "\n%s: revision %d of %s, %d stories; %s.\n", d.Language, d.Revision, d.ID, len(d.Stories), replaces)
		for i, st := range d.Stories {
			fmt.Fprintf(w, "  %d. %s\n", i+1, st.Headline)
		}
		mp, err := pub.PlanMail(ctx, d)
		if err != nil {
			return 0, err
		}
		mails += mp.To
		switch {
		case len(d.Stories) == 0:
			fmt.Fprintf(w, "  mail: nobody (no stories)\n")
		default:
			fmt.Fprintf(w, "  mail: %d of %d subscribers; %d had this edition already and get nothing\n", mp.To, mp.Subscribers, mp.Already)
		}
	}
	for _, lang := range slices.Sorted(maps.Keys(p.Kept)) {
		fmt.Fprintf(w, "\n%s: kept as it is (%s).\n", lang, p.Kept[lang])
	}
	fmt.Fprintln(w)
	return mails, nil
}
