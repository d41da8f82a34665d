// Package render turns a news.Digest, whose every string is untrusted (it
// came from web pages and an LLM), into safe HTML fragments and plain text
// for emails, feeds and archive pages.
//
// The contract: nothing from the digest reaches HTML output except as
// escaped text, and only absolute http/https URLs ever become links. The
// [n] citations in a story summary become links to the story's n-th source
// (1-based) when that source has a safe URL, and stay literal text
// otherwise. Control characters are stripped from all text, so CR/LF from a
// digest can never split a mail header built from it.
package render
