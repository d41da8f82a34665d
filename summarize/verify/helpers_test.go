package verify

import "github.com/newsdesk/newsdesk/internal/lang"

// langs is the registry the tests check against: the built-in languages.
var langs = lang.Default()
