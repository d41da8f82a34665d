// Package ingest is the first stage of newsdesk: it polls news feeds,
// fetches and extracts the article pages of new items, detects their
// language, scores them against a topic profile and publishes the relevant
// ones as news.Article to news.article.<lang>.<feed id> on the ARTICLES
// stream, with the article id as JetStream message id.
//
// Contract:
//
//   - Politeness: one HTTP client with dial, header and
//     request timeouts; per-host concurrency cap and rate limiter; a global
//     concurrency cap; conditional GET with ETag / Last-Modified stored
//     verbatim in the feed_state bucket; 429/503 Retry-After (seconds or
//     HTTP-date) parks the host for every feed and page on it; exponential
//     backoff on errors; 301/308 move the feed; 410 stops polling it;
//     redirects capped, https→http refused; no cookies, no Referer; body
//     caps (max_feed_bytes, max_page_bytes) fail with an error naming the
//     URL; robots.txt (RFC 9309) for article pages; an SSRF guard refuses
//     non-public addresses unless allow_private_networks.
//   - Parsing: gofeed gets the raw bytes; charsets are fixed beforehand only
//     where gofeed would get them wrong (see prepareCharset), and broken
//     documents are repaired (see repairXML) only after gofeed rejected them
//     (or, for a stray default namespace, lost items). An item's identity is
//     its GUID unless the GUID is shared by different items of the document,
//     then its link, then title and date. A configured URL that answers with
//     a web page is followed to the feed the page advertises
//     (DiscoverFeeds), which the feed state remembers.
//   - Exactly-once publishing, as far as NATS allows: items pass a seen gate
//     in the "seen" bucket (see seen.go for the claim protocol); articles are
//     published with msg id = article id and recorded by id, so re-polls,
//     restarts, replicas and one story in two feeds publish it once.
//   - Untrusted input: feed text is reduced to plain text; nothing hangs
//     (every request has a deadline) and nothing panics on hostile bytes.
//
// Stage.Run polls on schedule; Stage.PollOnce polls everything once (CLI,
// demo, tests); Stage.Process is the per-item logic without NATS.
package ingest
