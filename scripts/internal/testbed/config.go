package testbed

import (
	"fmt"
	"path/filepath"
	"strings"
)

// WriteConfigHead writes the start of a stage config: three stream
// replicas and ingest on the bundled topic, allowed to poll the feed site
// on 127.0.0.1 every 10s. The caller goes on inside the ingest section.
// It must run from the repository root, where the topic file is.
func WriteConfigHead(b *strings.Builder) error {
	topic, err := filepath.Abs("configs/topics/china-us-ai.yaml")
	if err != nil {
		return err
	}
	fmt.Fprintf(b, `nats:
  replicas: 3
ingest:
  topic: %q
  allow_private_networks: true   # the feed site is on 127.0.0.1
  allow_fast_polling: true
  poll_interval: 10s
`, topic)
	return nil
}
