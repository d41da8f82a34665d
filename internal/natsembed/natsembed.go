// Package natsembed starts nats-server with JetStream inside the newsdesk
// process, so the default deployment needs nothing installed. It is the only
// package that imports nats-server; stages reach NATS through a *nats.Conn
// and package bus, the same way they reach an external cluster.
package natsembed

import (
	"fmt"
	"net"
	"strconv"
	"time"

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
	srv *server.Server
}

// Start starts the server and waits until it accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.StoreDir == "" {
		return nil, fmt.Errorf("natsembed: StoreDir is required")
	}
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

// Shutdown stops the server and waits for it.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}
