package publish

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/news"
)

// follow keeps this replica's feeds and archive current with an ordered
// (ephemeral) consumer over every digest published after the start-up
// rebuild. The durable consumer hands each digest to only one replica for
// mailing; without the follower the other replicas would serve stale feeds.
// Rendering is idempotent, so a digest seen here and in Deliver costs one
// extra render at most.
func (s *Stage) follow(ctx context.Context) error {
	err := s.bus.Follow(ctx, bus.StreamDigests, bus.SubjectDigests, s.rebuiltTo, func(m jetstream.Msg) {
		var d news.Digest
		if err := json.Unmarshal(m.Data(), &d); err != nil || d.Validate() != nil {
			return // the durable consumer dead-letters it
		}
		lang := digestLang(d)
		if s.files.lib.add(lang, d) {
			if err := s.files.render(lang, slug(d)); err != nil {
				s.log.Error("follow: rendering", "digest_id", d.ID, "err", err)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}
