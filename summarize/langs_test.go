package summarize

import "github.com/newsdesk/newsdesk/internal/lang"

// testLangs is the registry of tests that need a language outside a stage.
var testLangs = lang.Default()
