// Package testbed is what the scripts that run newsdesk as real processes
// (scripts/fault-test, scripts/measure) share: finding the helper programs
// they start (nats-server, mailpit), free loopback ports, building
// newsdesk and running its setup, the configs of a three-node nats-server
// cluster and the script's own connection to it, mailpit's ports and
// start-up, the generated feed site the ingest stage polls, and the head
// of the stage config that points ingest at that site. Each script keeps
// what it does differently: how it supervises processes, when articles
// are released, the rest of the config.
package testbed
