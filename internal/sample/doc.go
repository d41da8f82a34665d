// Package sample is the bundled, entirely fictional news site behind the
// offline demo (`newsdesk demo`). Handler serves five invented outlets —
// German and English, tech and business — over plain HTTP so that the real
// fetch path of ingest runs against it: feeds in RSS 2.0, Atom 1.0 and JSON
// Feed 1.1, article pages with realistic boilerplate (navigation, cookie
// banner, share buttons, read-more boxes, footers), JSON-LD, og: metadata,
// rel=canonical, one outlet served in ISO-8859-1, ETag/Last-Modified with
// 304 answers, and 404 for everything else.
//
// Every URL in a feed or page points back at the host that was asked
// (scheme + Host of the request), so the site works on whatever address the
// demo or a test binds to.
//
// Articles lists what a perfect ingest would recover from each page — the
// main text, the language, whether the piece is on the default topic, and a
// story key shared by the articles that report the same event, across
// outlets and languages — so that extraction, topic scoring and story
// clustering can be tested against it. The stories, people, companies'
// statements, figures and outlets are invented for testing and are not
// news.
//
// The content is embedded package data under site/; it is checked by the
// package tests, so the constructors treat broken content as a programming
// error and panic, like regexp.MustCompile on a constant.
package sample
