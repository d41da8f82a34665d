package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// defaultConfigPath is used when --config is not given.
const defaultConfigPath = "configs/default.yaml"

func cmdRun(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "run", args, allStages,
		"Run ingest, summarize and publish in one process. Without --nats (or nats.url) it starts an embedded NATS server with JetStream on nats.data_dir.")
}

func cmdIngest(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "ingest", args, stageSet{ingest: true},
		"Run only the ingest stage: poll feeds, extract, score and publish articles to NATS.")
}

func cmdPublish(ctx context.Context, e *env, args []string) error {
	return runStagesCmd(ctx, e, "publish", args, stageSet{publish: true},
		"Run only the publish stage: consume digests, send email, serve feeds and the archive.")
}

// runStagesCmd is the long-running mode shared by run and the stage-only
// commands: they differ only in which stages the process builds.
func runStagesCmd(ctx context.Context, e *env, name string, args []string, set stageSet, summary string) error {
	fs := newFlags(e, name, stageUsage(set), summary)
	o := stageFlags(fs, set)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("unexpected arguments %v", fs.Args())
	}
	return runStages(ctx, e, name, set, o)
}

// stageOptions are the flags of a process that runs stages.
type stageOptions struct {
	config, nats string
	once         bool
}

// stageUsage is the argument line of a process that runs the stages in set.
func stageUsage(set stageSet) string {
	u := "[--config FILE] [--nats URL]"
	if set != allStages {
		u = "--nats URL [--config FILE]"
	}
	if set.summarize {
		u += " [--once]"
	}
	return u
}

// stageFlags defines the flags of a process that runs the stages in set:
// --config, --nats (required for a stage-only process, which shares its
// NATS with the other stages) and, with summarize, --once.
func stageFlags(fs *flags, set stageSet) *stageOptions {
	o := &stageOptions{}
	fs.StringVar(&o.config, "config", defaultConfigPath, "configuration `FILE`")
	if set == allStages {
		fs.StringVar(&o.nats, "nats", "", "use this external NATS server or cluster (`URL`s comma-separated, overrides nats.url) instead of the embedded one")
	} else {
		fs.StringVar(&o.nats, "nats", "", "the NATS server or cluster the other stages use (`URL`s comma-separated, overrides nats.url)")
		fs.require("nats", "unless nats.url or $NATS_URL is set")
	}
	if set.summarize {
		fs.BoolVar(&o.once, "once", false, "poll once (when ingest runs here), compose each edition's current slot (again, if an earlier run left it without stories or failed), let publish deliver it and exit: 0 done, 1 every feed failed or an edition or a delivery failed, 3 no edition has stories yet")
	}
	return o
}

// runStages builds the stages in set from o's config and runs them until
// ctx ends (or, with --once, for one pass).
func runStages(ctx context.Context, e *env, name string, set stageSet, o *stageOptions) error {
	natsURL := o.nats
	if set != allStages && natsURL == "" && os.Getenv("NATS_URL") != "" {
		natsURL = os.Getenv("NATS_URL")
	}
	load := loadConfig
	if set.publish {
		load = loadSendingConfig
	}
	cfg, err := load(o.config, natsURL)
	if err != nil {
		return err
	}
	if set != allStages && cfg.NATS.URL == "" {
		return usageErr("a stage-only process needs an external NATS: --nats nats://… (or nats.url, or NATS_URL)")
	}
	log := cfg.NewLogger(e.stderr)
	a, err := newApp(ctx, cfg, log, set, nil)
	if err != nil {
		if ctx.Err() != nil {
			// A stop signal that arrives while the process is still starting
			// (declaring streams, binding consumers) is a stop, not a failure:
			// systemd and cron must not see it as one.
			log.Info("newsdesk stopped while starting", "command", name, "err", err)
			return nil
		}
		return err
	}
	defer a.close()
	if o.once {
		return a.once(ctx, e)
	}
	log.Info("newsdesk running", "command", name)
	err = a.runStages(ctx)
	log.Info("newsdesk stopped", "command", name, "err", err)
	return err
}

// once polls (when ingest runs here), composes each edition's current
// slot and waits for publish to handle what it published: a cron-friendly
// single pass. It says what it did on stdout and exits non-zero when cron
// should tell someone: 1 when every feed failed, an edition failed or a
// delivery must be retried, 3 when no edition has stories to publish yet
// (a later run in the slot composes it again).
func (a *app) once(ctx context.Context, e *env) error {
	res, err := a.pass(ctx, passOptions{})
	printPass(e.stdout, res)
	var problems []string
	if st := res.stats; a.ingest != nil && st.FeedsFailed > 0 && st.FeedsOK+st.FeedsNotModified == 0 {
		problems = append(problems, fmt.Sprintf("every feed failed (%d): %v", st.FeedsFailed, res.feedErr))
	}
	if err != nil {
		problems = append(problems, err.Error())
	}
	if err := res.deliveryErr(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	for _, er := range res.editions {
		for _, d := range er.Digests {
			if d.Stories > 0 {
				return nil
			}
		}
	}
	return &exitError{code: exitNothing, msg: "nothing to publish yet: no edition has stories; a later run in the same slot composes it again"}
}

// say tells a new operator where a delivered digest's mail went ("" for a
// digest this pass did not publish).
func (m mailReach) say(via string) string {
	switch {
	case m.lang == "":
		return ""
	case m.stories == 0:
		return ": to feeds and archive; no stories, so no mail"
	case m.Subscribers == 0:
		return fmt.Sprintf(": no confirmed %s subscribers, nobody mailed (newsdesk subscribers add EMAIL --lang %s)", m.lang, m.lang)
	}
	said := fmt.Sprintf(": mail reached %d of %d %s subscribers, through %s", m.Sent, m.Subscribers, m.lang, via)
	if m.Earlier > 0 {
		// Nobody gets a slot twice: say who had it before this revision.
		said += fmt.Sprintf(" (%d of them had an earlier revision and get no second mail)", m.Earlier)
	}
	return said
}

// exitNothing is run --once's exit status when no edition had stories.
const exitNothing = 3

// printPass tells what a pass did, one line per fact.
func printPass(w io.Writer, res passResult) {
	st := res.stats
	fmt.Fprintf(w, "feeds: %d ok, %d not modified, %d failed, %d skipped; %d articles published\n",
		st.FeedsOK, st.FeedsNotModified, st.FeedsFailed, st.FeedsSkipped, st.ItemsPublished)
	for _, er := range res.editions {
		name := er.Edition + " " + er.Slot.Format("2006-01-02 15:04")
		for _, d := range er.Published {
			fmt.Fprintf(w, "%s: published %s revision %d (%d stories)\n", name, d.ID, d.Revision, len(d.Stories))
		}
		if er.Skipped != "" {
			fmt.Fprintf(w, "%s: %s\n", name, er.Skipped)
		}
		for _, d := range er.Digests {
			if d.Stories == 0 {
				fmt.Fprintf(w, "%s: %s has no stories yet; a later run in this slot composes it again\n", name, d.Lang)
			}
		}
	}
	printVerdicts(w, res)
}

// printVerdicts tells what publish did with the digests it handled.
func printVerdicts(w io.Writer, res passResult) {
	for _, id := range slices.Sorted(maps.Keys(res.delivery)) {
		if err := res.delivery[id]; err != nil {
			fmt.Fprintf(w, "publish: %s: %v\n", id, err)
		} else {
			fmt.Fprintf(w, "publish: delivered %s%s\n", id, res.mailed[id].say(res.via))
		}
	}
	if res.stalled {
		fmt.Fprintln(w, "publish: earlier digests are waiting to be retried (is the SMTP server down?); the next run delivers them")
	}
}
