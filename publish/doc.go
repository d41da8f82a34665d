// Package publish is the last stage of newsdesk: it consumes news.Digest
// messages from the DIGESTS stream and delivers them as
//
//   - RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language
//     (<out>/feeds/{lang}.xml, .atom, .json),
//   - the latest digest per language as JSON (<out>/digests/{lang}.json),
//   - a static web archive (<out>/archive/{lang}/index.html and one page per
//     digest),
//   - email to every confirmed subscriber of the digest's language, over an
//     SMTP relay or into an outbox directory of .eml files,
//   - an event on news.published.<edition>.<lang> saying the digest is out,
//   - a WebSub hub ping, and a signed JSON POST to each configured webhook,
//
// and serves all of that over HTTP together with a double opt-in
// subscription flow (subscribe, confirm, one-click unsubscribe per RFC 8058).
//
// Each output is a Sink. Files (feeds and archive) are rendered first on
// every delivery; every other sink keeps a record per (sink, digest
// revision) in the Deliveries KV bucket, so a redelivered digest reaches
// only the outputs that have not taken it, and one failing output holds up
// none of the others.
//
// All digest text is untrusted: it is cleaned and escaped by package render
// before it reaches a feed, a page or a mail, and only http(s) links survive.
//
// Mail goes out at most once per (digest, subscriber): an intent record
// with the Message-ID is written to the Deliveries bucket before each send
// and replaced by the outcome after it. A send whose outcome is unknown
// (no answer from the relay after the data, or the intent found without
// an outcome after a crash or a NATS outage) is in doubt and, by default
// (email.in_doubt: skip), not repeated but counted.
//
// State: subscribers and their consent records live in the Subscribers KV
// bucket; feeds and archive pages are rebuilt from the DIGESTS stream at
// start (bus.ReadSince), so the out_dir is a cache that can be deleted.
package publish
