package main

import (
	"context"
	"os"
	"testing"
)

// binaryEnv makes the test binary act as newsdesk itself: tests that need
// a second process run os.Args[0] with it set and newsdesk's arguments.
const binaryEnv = "NEWSDESK_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(binaryEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
