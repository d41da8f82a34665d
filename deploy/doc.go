// Package deploy holds what running newsdesk as a service takes: the
// systemd unit (newsdesk.service), the unit for one stage of a cluster
// deployment (newsdesk@.service, docs/cluster.md), a production configuration
// (newsdesk.yaml) and the backup and restore scripts. It has no code; its
// tests check those files. docs/deployment.md says how to use them.
package deploy
