// Package feed encodes a list of digests as RSS 2.0, Atom 1.0 and JSON Feed
// 1.1 documents.
//
// It uses its own encoding/xml and encoding/json structs rather than
// gorilla/feeds v1.2.0, because that library cannot emit RSS atom:link
// rel=self, Atom xml:lang, or both self and alternate feed links, and it
// invents random entry ids when one is missing. Here every id and date comes
// from the caller's Item, never from the time of rendering, so a feed
// rendered twice from the same items is byte-identical.
//
// The caller passes text already cleaned (package render) and HTML already
// rendered safely. This package guarantees well-formed output (XML
// escaping, invalid XML characters become U+FFFD; valid JSON) and that
// plain text never turns into markup where readers take a field for HTML:
// RSS descriptions are escaped as HTML and then as XML, and RSS titles
// carry no angle brackets.
package feed
