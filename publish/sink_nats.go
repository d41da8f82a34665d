package publish

import (
	"context"
	"fmt"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/publish/render"
)

// natsSink announces each digest revision on news.published.<edition>.<lang>
// once its pages and feeds are out, for programs that act on a published
// edition (the digest itself is on news.digest.>). The message id is the
// digest's MsgID, so a repeated announcement inside the duplicate window
// is dropped by the server.
type natsSink struct {
	*shared
	bus *bus.Bus
}

func (n *natsSink) Name() string { return "nats" }

func (n *natsSink) Deliver(ctx context.Context, d news.Digest) error {
	ev := n.published(d)
	hdr := map[string]string{bus.HeaderSchema: news.PublishedSchema, bus.HeaderLang: ev.Language}
	if _, err := n.bus.Publish(ctx, bus.PublishedSubject(d.Edition, ev.Language), d.MsgID(), ev, hdr); err != nil {
		return fmt.Errorf("publish: announcing %s: %w", d.ID, err)
	}
	return nil
}

// published is the event that says d is out, with its links.
func (s *shared) published(d news.Digest) news.Published {
	lang := digestLang(d)
	return news.Published{
		Schema:     news.PublishedSchema,
		DigestID:   d.ID,
		Revision:   max(d.Revision, 1),
		Edition:    d.Edition,
		Date:       d.Date,
		Slot:       d.Slot,
		Language:   lang,
		Title:      render.Title(d, s.lang(lang)),
		Stories:    len(d.Stories),
		ArchiveURL: s.url(digestPath(lang, slug(d))),
		Feeds: map[string]string{
			"rss":  s.url(feedPath(lang, "xml")),
			"atom": s.url(feedPath(lang, "atom")),
			"json": s.url(feedPath(lang, "json")),
		},
		PublishedAt: s.now().UTC(),
	}
}
