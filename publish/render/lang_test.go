package render_test

import "github.com/newsdesk/newsdesk/internal/lang"

// testLang labels the test digests: German, their language.
var testLang = lang.Default().Get("de")
