package testbed

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Build compiles newsdesk into dir and returns the binary's path. It must
// run from the repository root.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "newsdesk")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/newsdesk")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building newsdesk (run from the repository root): %w", err)
	}
	return bin, nil
}

// Setup runs `newsdesk setup` until the cluster at url takes it (a fresh
// cluster may still be electing its meta leader), at most ten times, and
// returns the last line it printed.
func Setup(ctx context.Context, newsdesk, config, url string) (string, error) {
	var out []byte
	var err error
	for range 10 {
		out, err = exec.CommandContext(ctx, newsdesk, "setup", "--config", config, "--nats", url).CombinedOutput()
		if err == nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			return lines[len(lines)-1], nil
		}
		time.Sleep(3 * time.Second)
	}
	return "", fmt.Errorf("newsdesk setup: %w\n%s", err, out)
}
