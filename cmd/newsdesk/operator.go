package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdesk/newsdesk/internal/bus"
	"github.com/newsdesk/newsdesk/internal/config"
	"github.com/newsdesk/newsdesk/internal/natsembed"
)

// defaultOperatorListen is the loopback port the advice below suggests
// for a service that serves NATS to operator commands.
const defaultOperatorListen = "127.0.0.1:4222"

// operatorStoreErr turns the store's "already in use" error, which an
// operator command (feeds, subscribers, recompose, dlq) meets while the
// service runs on the same config, into what to do for such a command:
// stop the service, or reach its server with --nats. The embedded
// server's own advice ("give this one another nats.data_dir") fits a
// second run, not a command that must see the service's data. Other
// errors pass unchanged.
func operatorStoreErr(cfg *config.Config, err error) error {
	if !errors.Is(err, natsembed.ErrInUse) {
		return err
	}
	who := ""
	if pid, _ := os.ReadFile(filepath.Join(cfg.NATS.DataDir, natsembed.LockFile)); len(strings.TrimSpace(string(pid))) > 0 {
		who = " (pid " + strings.TrimSpace(string(pid)) + ")"
	}
	reach := fmt.Sprintf("or let it serve NATS on loopback (nats.listen: %s in the config, then restart it) and pass --nats nats://%s",
		defaultOperatorListen, defaultOperatorListen)
	if l := cfg.NATS.Listen; l != "" {
		if host, port, err := net.SplitHostPort(l); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
			l = net.JoinHostPort("127.0.0.1", port)
		}
		reach = fmt.Sprintf("or pass --nats nats://%s, where it serves NATS (nats.listen)", l)
	}
	return fmt.Errorf("the NATS store %s is %w%s, most likely newsdesk run: stop it while this command runs, %s; see docs/deployment.md, Operator commands while the service runs",
		cfg.NATS.DataDir, natsembed.ErrInUse, who, reach)
}

// openOperatorBus is openBus for an operator command, with
// operatorStoreErr's advice when the service holds the store.
func openOperatorBus(ctx context.Context, cfg *config.Config) (*bus.Bus, func(), error) {
	b, closeBus, err := openBus(ctx, cfg, cfg.NewLogger(io.Discard))
	return b, closeBus, operatorStoreErr(cfg, err)
}
