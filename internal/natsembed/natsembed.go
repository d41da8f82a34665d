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
	"github.com/nats-io/nkeys"
)

// Options for the embedded server.
type Options struct {
	// StoreDir is the JetStream directory. Required: without it the server
	// would fall back to a temporary directory and lose data on reboot.
	StoreDir string
	// Listen, when set ("127.0.0.1:4222"), also opens a TCP port so other
	// processes (the nats CLI, stage-only processes) can connect. A
	// missing host is loopback; another address than loopback needs
	// NKeys or TLS.CAFile, or Start refuses it.
	Listen string
	// NKeys are the public user nkeys ("U…") allowed to connect. With
	// none, the listener takes anyone who reaches it.
	NKeys []string
	// TLS serves the listener over TLS; with CAFile, clients must show a
	// certificate signed by it.
	TLS TLSFiles
	// Cluster joins the server to a cluster (tests of replicated streams;
	// production clusters run nats-server itself).
	Cluster      *Cluster
	SyncInterval time.Duration
	SyncAlways   bool
	MaxStore     int64
	StartTimeout time.Duration
	Name         string
}

// TLSFiles names PEM files.
type TLSFiles struct {
	CertFile, KeyFile, CAFile string
}

// Cluster is what one node needs to join a cluster.
type Cluster struct {
	Name string
	// Listen is the route address ("127.0.0.1:0": any free port).
	Listen string
	// Routes are the other nodes' route URLs (nats://host:port); gossip
	// finds the rest.
	Routes []string
	// Tags are the node's server_tags, for stream placement.
	Tags []string
}

// Server is a running embedded nats-server.
type Server struct {
	srv  *server.Server
	lock *flock.Flock
	// self is the user this process signs in with when the server asks
	// for nkeys; it exists only in this process's memory.
	self nkeys.KeyPair
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
	out := &Server{}
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
		host, p, err := hostPort(opts.Listen)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen %q: %w", opts.Listen, err)
		}
		if !loopback(host) && len(opts.NKeys) == 0 && opts.TLS.CAFile == "" {
			return nil, fmt.Errorf("natsembed: listen %q: reachable from other machines without credentials: give nkeys or a client CA, or listen on 127.0.0.1", opts.Listen)
		}
		so.Host, so.Port = host, p
	}
	if len(opts.NKeys) > 0 {
		// This process signs in like everybody else, with a user made
		// for this run.
		kp, err := nkeys.CreateUser()
		if err != nil {
			return nil, fmt.Errorf("natsembed: %w", err)
		}
		pub, _ := kp.PublicKey()
		out.self = kp
		for _, k := range append([]string{pub}, opts.NKeys...) {
			if !nkeys.IsValidPublicUserKey(k) {
				return nil, fmt.Errorf("natsembed: %q is not a public user nkey", k)
			}
			so.Nkeys = append(so.Nkeys, &server.NkeyUser{Nkey: k})
		}
	}
	if opts.TLS.CertFile != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{
			CertFile: opts.TLS.CertFile, KeyFile: opts.TLS.KeyFile, CaFile: opts.TLS.CAFile, Verify: opts.TLS.CAFile != "",
		})
		if err != nil {
			return nil, fmt.Errorf("natsembed: tls: %w", err)
		}
		so.TLSConfig, so.TLS, so.TLSVerify = tc, true, opts.TLS.CAFile != ""
		so.TLSTimeout = 2
	}
	if c := opts.Cluster; c != nil {
		host, p, err := hostPort(c.Listen)
		if err != nil {
			return nil, fmt.Errorf("natsembed: cluster listen %q: %w", c.Listen, err)
		}
		so.Cluster.Name, so.Cluster.Host, so.Cluster.Port = c.Name, host, p
		so.Tags = c.Tags
		if len(c.Routes) > 0 {
			so.Routes = server.RoutesFromStr(strings.Join(c.Routes, ","))
		}
	}
	s, err := server.NewServer(so)
	if err != nil {
		return nil, fmt.Errorf("natsembed: new server: %w", err)
	}
	errs := &errLog{}
	s.SetLogger(errs, false, false)
	s.Start()
	if !s.ReadyForConnections(opts.StartTimeout) {
		s.Shutdown()
		why := ""
		if last := errs.Last(); last != "" {
			why = ": " + last
		}
		return nil, fmt.Errorf("natsembed: server not ready after %s (store %s)%s", opts.StartTimeout, opts.StoreDir, why)
	}
	out.srv = s
	return out, nil
}

// hostPort splits host:port; an empty host is loopback, and port 0 is any
// free port (nats-server reads 0 as its default, 4222).
func hostPort(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", port, err)
	}
	if p == 0 {
		p = server.RANDOM_PORT
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return host, p, nil
}

// loopback reports whether host reaches only this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Connect opens an in-process client connection (no TCP).
func (s *Server) Connect(name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.InProcessServer(s.srv), nats.Name(name)}
	if s.self != nil {
		pub, _ := s.self.PublicKey()
		opts = append(opts, nats.Nkey(pub, s.self.Sign))
	}
	nc, err := nats.Connect("", opts...)
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
