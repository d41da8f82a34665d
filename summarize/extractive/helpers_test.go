package extractive

import "github.com/newsdesk/newsdesk/internal/lang"

// langs is the registry the tests take their languages from.
var langs = lang.Default()
