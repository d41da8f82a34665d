// Package news holds the message schemas that travel between the stages on
// NATS: Article (ingest → summarize), Brief (summarize's per-article
// cache), Digest (summarize → publish and any program subscribed to
// news.digest.>) and Published (publish → programs: a digest is out). The
// types carry no behaviour beyond identity and validation so that every
// stage, and any external consumer written in Go, can depend on them
// without pulling in a stage.
//
// Every message is JSON with a "schema" field naming its version. A reader
// must reject a schema it does not know rather than guess.
package news
