// Package natsembed starts nats-server with JetStream inside the newsdesk
// process, so the default deployment needs nothing installed. It is the only
// package that imports nats-server; stages reach NATS through a *nats.Conn
// and package bus, the same way they reach an external cluster.
package natsembed

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Options for the embedded server.
type Options struct {
	// StoreDir is the JetStream directory. Required: without it the server
	// would fall back to a temporary directory and lose data on reboot.
	StoreDir string
	// Listen, when set ("127.0.0.1:4222"), also opens a TCP port so other
	// processes (the nats CLI, stage-only processes) can connect.
	Listen       string
	SyncInterval time.Duration
	SyncAlways   bool
	MaxStore     int64
	StartTimeout time.Duration
	Name         string
}

// Server is a running embedded nats-server.
type Server struct {
	srv  *server.Server
	lock *flock.Flock
}

// LockFile is the file in StoreDir that a running server holds locked.
const LockFile = "newsdesk.lock"

// ErrInUse means another process runs a server on the same StoreDir.
var ErrInUse = errors.New("already in use by another process")

// Start starts the server and waits until it accepts connections. It first
// locks StoreDir/newsdesk.lock (an OS file lock, released when the process
// ends however it ends): two servers on one store would corrupt it, so a
// second process fails at once with ErrInUse.
func Start(opts Options) (*Server, error) {
	if opts.StoreDir == "" {
		return nil, fmt.Errorf("natsembed: StoreDir is required")
	}
	lock, err := lockStore(opts.StoreDir)
	if err != nil {
		return nil, err
	}
	srv, err := start(opts)
	if err != nil {
		_ = lock.Unlock()
		return nil, err
	}
	srv.lock = lock
	return srv, nil
}

// lockStore takes the store's lock file and writes this process's id into
// it, so the next one can say who holds it.
func lockStore(dir string) (*flock.Flock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("natsembed: data directory: %w", err)
	}
	path := filepath.Join(dir, LockFile)
	lock := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o640))
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("natsembed: locking %s: %w", path, err)
	}
	if !ok {
		who := ""
		if pid, _ := os.ReadFile(path); len(strings.TrimSpace(string(pid))) > 0 {
			who = " (pid " + strings.TrimSpace(string(pid)) + ")"
		}
		return nil, fmt.Errorf("natsembed: data directory %s is %w%s: stop that newsdesk, or give this one another nats.data_dir (or --nats to share its server)", dir, ErrInUse, who)
	}
	// The pid is only for the message above; the lock is the OS's. With
	// flock(2) (Linux, the BSDs, macOS) closing this second descriptor
	// leaves the lock alone; with fcntl locks it would drop it.
	if runtime.GOOS != "aix" && runtime.GOOS != "solaris" {
		_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o640)
	}
	return lock, nil
}

func start(opts Options) (*Server, error) {
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 10 * time.Second
	}
	if opts.Name == "" {
		opts.Name = "newsdesk"
	}
	so := &server.Options{
		ServerName:         opts.Name,
		JetStream:          true,
		StoreDir:           opts.StoreDir,
		JetStreamMaxStore:  opts.MaxStore,
		JetStreamMaxMemory: 256 << 20,
		SyncInterval:       opts.SyncInterval,
		SyncAlways:         opts.SyncAlways,
		NoSigs:             true,
		NoLog:              true,
		DontListen:         opts.Listen == "",
	}
	if opts.Listen != "" {
		host, port, err := net.SplitHostPort(opts.Listen)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen %q: %w", opts.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen port %q: %w", port, err)
		}
		if p == 0 {
			// nats-server reads port 0 as its default, 4222; ":0" means
			// any free port everywhere else.
			p = server.RANDOM_PORT
		}
		so.Host, so.Port = host, p
	}
	s, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("natsembed: new server: %w", err)
	}
	s.Start()
	if !s.ReadyForConnections(opts.StartTimeout) {
		s.Shutdown()
		return nil, fmt.Errorf("natsembed: server not ready after %s (store %s)", opts.StartTimeout, opts.StoreDir)
	}
	return &Server{srv: s}, nil
}

// Connect opens an in-process client connection (no TCP).
func (s *Server) Connect(name string) (*nats.Conn, error) {
	nc, err := nats.Connect("", nats.InProcessServer(s.srv), nats.Name(name))
	if err != nil {
		return nil, fmt.Errorf("natsembed: in-process connect: %w", err)
	}
	return nc, nil
}

// ClientURL is the TCP URL when Listen was set, else "".
func (s *Server) ClientURL() string {
	if s.srv.Addr() == nil {
		return ""
	}
	return s.srv.ClientURL()
}

// Shutdown stops the server, waits for it and releases the store's lock.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	if s.lock != nil {
		_ = s.lock.Unlock()
	}
}
