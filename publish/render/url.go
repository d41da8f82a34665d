package render

import (
	"net/url"
	"strings"
)

// maxURLLen caps links taken from a digest; longer ones are dropped rather
// than rendered, since no real article URL is that long.
const maxURLLen = 2048

// SafeURL returns u normalised if it is an absolute http or https URL with a
// host and no user info, and "" otherwise. Everything else (javascript:,
// data:, relative references, URLs with control characters or spaces) is
// refused.
func SafeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > maxURLLen {
		return ""
	}
	for _, r := range u {
		if r < 0x21 || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' || r == '`' {
			return ""
		}
	}
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
	default:
		return ""
	}
	if p.Host == "" || p.User != nil || p.Opaque != "" {
		return ""
	}
	p.Scheme = strings.ToLower(p.Scheme)
	return p.String()
}
