package ingest

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// trackingParams are query parameters that only tell an analytics system
// where a click came from. They are stripped from article and canonical
// URLs, so source links are clean and one article reached through two
// campaigns has one id. The list is deliberately short: a parameter that
// might select content (id, page, ref on some sites) is kept.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true, "msclkid": true,
	"yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true, "igshid": true,
	"mc_cid": true, "mc_eid": true, "mkt_tok": true, "_hsenc": true, "_hsmi": true,
	"_ga": true, "_gl": true, "oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "vero_conv": true,
	"wt_mc": true, "wt_zmc": true, "xtor": true, "at_medium": true, "at_campaign": true,
	"ncid": true, "cmpid": true, "ocid": true, "sr_share": true, "s_cid": true,
}

// isTracking reports whether a query parameter name is a tracking one:
// utm_* (any), or one of trackingParams.
func isTracking(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "utm_") || trackingParams[name]
}

// StripTracking returns raw without tracking query parameters (utm_*,
// fbclid, gclid, mc_cid and the like). Other parameters keep their order
// and encoding; a URL that does not parse is returned as it is.
func StripTracking(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	parts := strings.Split(u.RawQuery, "&")
	kept := slices.DeleteFunc(slices.Clone(parts), func(p string) bool {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		return p == "" || isTracking(name)
	})
	if len(kept) == len(parts) {
		return raw
	}
	u.RawQuery = strings.Join(kept, "&")
	u.ForceQuery = false
	return u.String()
}

// registrableDomain is the eTLD+1 of a host (public suffix list):
// "www.spiegel.de" → "spiegel.de", "news.bbc.co.uk" → "bbc.co.uk". For IP
// addresses and names without a public suffix it is the host itself.
func registrableDomain(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// canonicalFor returns the canonical URL a page claims, stripped of
// tracking parameters, if it may be believed: an http(s) URL on the same
// registrable domain as the page itself or on one the feed's config
// allows (canonical_domains). A page is not trusted to name another
// outlet's article as itself: its story would later be dropped as a
// duplicate of the hostile page. "" when there is nothing to believe.
func canonicalFor(claimed string, page *url.URL, allowed []string) string {
	c, err := url.Parse(strings.TrimSpace(claimed))
	if err != nil || (c.Scheme != "http" && c.Scheme != "https") || c.Hostname() == "" {
		return ""
	}
	cd := registrableDomain(c.Hostname())
	if cd != registrableDomain(page.Hostname()) && !slices.Contains(allowed, cd) {
		return ""
	}
	return StripTracking(c.String())
}
