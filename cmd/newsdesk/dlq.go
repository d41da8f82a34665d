package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/clip"
)

const dlqSummary = "List the messages a stage gave up on (the DLQ stream: the error, how often it was delivered, " +
	"where it came from), or replay them: each goes back to the subject it was consumed from, so its stage " +
	"handles it again, and leaves the DLQ. Replay after fixing the cause (the LLM is back, a config is " +
	"corrected); a message that fails again is dead-lettered again."

func cmdDLQ(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "dlq", "list|replay [SEQ…|--all] [--stage S] [--json] [--config FILE] [--nats URL]", dlqSummary)
	cfgPath := fs.String("config", defaultConfigPath, "configuration `FILE`")
	natsURL := fs.String("nats", "", "NATS server or cluster `URL`s, comma-separated (overrides nats.url; default: the embedded store)")
	stage := fs.String("stage", "", "only the dead letters of this `STAGE` (summarize, publish)")
	asJSON := fs.Bool("json", false, "list: one JSON object per dead letter")
	all := fs.Bool("all", false, "replay: every dead letter (of --stage)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	verb := fs.Arg(0)
	var seqs []uint64
	switch verb {
	case "list":
		if fs.NArg() != 1 || *all {
			return usageErr("dlq list takes no arguments")
		}
	case "replay":
		for _, a := range fs.Args()[1:] {
			n, err := strconv.ParseUint(a, 10, 64)
			if err != nil || n == 0 {
				return usageErr("dlq replay: %q is not a DLQ sequence number (see dlq list)", a)
			}
			seqs = append(seqs, n)
		}
		if (len(seqs) == 0) == !*all {
			return usageErr("dlq replay needs SEQ… or --all")
		}
	default:
		return usageErr("dlq needs list or replay")
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
	if verb == "list" || *all {
		dead, err := b.DeadLetters(ctx, *stage)
		if err != nil {
			return err
		}
		if verb == "list" {
			if *asJSON {
				return listDeadJSON(e.stdout, dead)
			}
			listDead(e.stdout, dead, time.Now())
			return nil
		}
		for _, d := range dead {
			seqs = append(seqs, d.Seq)
		}
	}
	var errs []error
	for _, seq := range seqs {
		d, err := b.Replay(ctx, seq)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if *stage != "" && d.Stage != *stage {
			// Named on the command line but of another stage: it is
			// replayed anyway (the sequence says which one), and said so.
			fmt.Fprintf(e.stdout, "note: %d is a dead letter of %s, not %s\n", seq, d.Stage, *stage)
		}
		fmt.Fprintf(e.stdout, "replayed %d (%s) to %s\n", seq, d.Stage, d.Subject)
	}
	fmt.Fprintf(e.stdout, "%d replayed, %d failed\n", len(seqs)-len(errs), len(errs))
	return errors.Join(errs...)
}

func listDead(w io.Writer, dead []bus.DeadLetter, now time.Time) {
	if len(dead) == 0 {
		fmt.Fprintln(w, "no dead letters")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tSTAGE\tDEAD SINCE\tDELIVERED\tSUBJECT\tERROR")
	for _, d := range dead {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", d.Seq, d.Stage, ago(d.At, now), d.Delivered, d.Subject, oneLine(d.Error, 100))
	}
	_ = tw.Flush()
}

// deadJSON is dlq list --json's line.
type deadJSON struct {
	Seq       uint64          `json:"seq"`
	Stage     string          `json:"stage"`
	Subject   string          `json:"subject"`
	Stream    string          `json:"stream,omitempty"`
	StreamSeq uint64          `json:"stream_seq,omitempty"`
	Delivered uint64          `json:"delivered,omitempty"`
	At        time.Time       `json:"at"`
	Error     string          `json:"error"`
	MsgID     string          `json:"msg_id,omitempty"`
	Message   json.RawMessage `json:"message,omitempty"`
	// Raw is the message when it is not JSON (a poison message).
	Raw string `json:"raw,omitempty"`
}

func listDeadJSON(w io.Writer, dead []bus.DeadLetter) error {
	enc := json.NewEncoder(w)
	for _, d := range dead {
		j := deadJSON{Seq: d.Seq, Stage: d.Stage, Subject: d.Subject, Stream: d.Stream, StreamSeq: d.StreamSeq,
			Delivered: d.Delivered, At: d.At.UTC(), Error: d.Error, MsgID: d.MsgID}
		if json.Valid(d.Data) {
			j.Message = d.Data
		} else {
			j.Raw = strings.ToValidUTF8(string(d.Data), "\uFFFD")
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}

// oneLine folds s onto one line of at most n runes.
func oneLine(s string, n int) string {
	return clip.Runes(strings.Join(strings.Fields(s), " "), n)
}
