package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/retry"
)

// errTooLarge marks a body over its byte cap.
var errTooLarge = errors.New("body too large")

// StatusError is a non-success HTTP status.
type StatusError struct {
	URL        string
	Status     int
	RetryAfter time.Duration // from Retry-After on 429/503, 0 if none
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %v)", e.RetryAfter)
	}
	return s
}

// Permanent reports whether retrying the same request is pointless.
func (e *StatusError) Permanent() bool {
	switch {
	case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests:
		return false
	case e.Status >= 400 && e.Status < 500:
		return true
	}
	return false
}

// HostBlockedError means a host asked us (429/503 Retry-After) to wait.
type HostBlockedError struct {
	Host  string
	Until time.Time
}

func (e *HostBlockedError) Error() string {
	return fmt.Sprintf("host %s asked to wait until %s", e.Host, e.Until.UTC().Format(time.RFC3339))
}

// permanentError marks an error that retrying will not fix.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

func permanent(err error) error { return permanentError{err} }

// isPermanent reports whether err will not go away by trying again later.
func isPermanent(err error) bool {
	var p permanentError
	if errors.As(err, &p) {
		return true
	}
	var se *StatusError
	return errors.As(err, &se) && se.Permanent()
}

type fetchRequest struct {
	URL          string
	Kind         string // "feed", "page", "robots": metrics label
	Accept       string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
	MaxBytes     int64
	CapName      string // config key named in "too large" errors
	Truncate     bool   // cut an oversized body instead of failing (robots.txt)
	// TextOnly refuses (permanently) a body whose Content-Type is not text,
	// HTML or XML, before reading it: an item linking to a podcast MP3 or
	// a PDF is not an article page.
	TextOnly bool
}

type fetchResponse struct {
	Status       int
	Header       http.Header
	Body         []byte
	FinalURL     string
	MovedTo      string // set when every redirect hop was permanent (301/308)
	NotModified  bool
	ETag         string
	LastModified string
}

// fetcher does newsdesk's HTTP: one client with timeouts and an SSRF guard,
// polite per-host scheduling, body caps, no cookies, no referrer.
type fetcher struct {
	client   *http.Client
	slots    *hostSlots // per-host concurrency, this process
	hosts    hostGate   // per-host schedule and back-off
	global   chan struct{}
	ua       string
	cfg      *Config
	now      func() time.Time
	log      *slog.Logger
	metrics  *metrics
	maxRedir int
}

type traceKey struct{}

// redirectTrace records the redirect hops of one request.
type redirectTrace struct {
	permanent bool // all hops so far were 301/308
	hops      int
}

func newFetcher(cfg *Config, now func() time.Time, log *slog.Logger, m *metrics) *fetcher {
	dialer := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivateNetworks {
		dialer.Control = publicOnly
	}
	tr := &http.Transport{
		// No proxy: the SSRF guard checks the address actually dialled,
		// which would be the proxy's.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    cfg.DialTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		MaxConnsPerHost:        cfg.PerHostConcurrency + 1, // +1: robots.txt is fetched outside the host slot
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
		// Accept-Encoding is left to the Transport, which then asks for
		// gzip and decodes it; the body caps apply to decoded bytes, so a
		// gzip bomb is cut like any other oversized body.
	}
	f := &fetcher{
		slots:    newHostSlots(cfg.PerHostConcurrency),
		hosts:    newLocalHosts(cfg.PerHostInterval, now),
		global:   make(chan struct{}, cfg.Concurrency),
		ua:       cfg.UserAgent,
		cfg:      cfg,
		now:      now,
		log:      log,
		metrics:  m,
		maxRedir: cfg.MaxRedirects,
	}
	f.client = &http.Client{
		Transport:     tr,
		Timeout:       cfg.RequestTimeout,
		CheckRedirect: f.checkRedirect,
		// Jar nil: no cookies are stored or sent.
	}
	return f
}

func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.maxRedir {
		return permanent(fmt.Errorf("more than %d redirects", f.maxRedir))
	}
	prev := via[len(via)-1]
	if prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
		return permanent(fmt.Errorf("refusing redirect from https to %s (%s)", req.URL.Scheme, req.URL.Redacted()))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return permanent(fmt.Errorf("refusing redirect to scheme %q", req.URL.Scheme))
	}
	// The client copies a Referer onto redirects; we send none.
	req.Header.Del("Referer")
	if tr, ok := req.Context().Value(traceKey{}).(*redirectTrace); ok {
		tr.hops++
		if req.Response != nil {
			switch req.Response.StatusCode {
			case http.StatusMovedPermanently, http.StatusPermanentRedirect:
			default:
				tr.permanent = false
			}
		}
	}
	return nil
}

// fetch performs one GET politely. A 304 is a success with NotModified set;
// every other non-2xx is a *StatusError.
func (f *fetcher) fetch(ctx context.Context, r fetchRequest) (resp *fetchResponse, err error) {
	start := time.Now()
	outcome := "error"
	defer func() {
		f.metrics.fetches.WithLabelValues(r.Kind, outcome).Inc()
		f.metrics.fetchSeconds.WithLabelValues(r.Kind).Observe(time.Since(start).Seconds())
	}()
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, permanent(fmt.Errorf("fetch %s: %w", r.URL, err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, permanent(fmt.Errorf("fetch %s: want an absolute http or https URL", r.URL))
	}
	release, err := f.slots.acquire(ctx, u.Host)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: waiting for host slot: %w", r.URL, err)
	}
	defer release()
	slot, err := f.hosts.reserve(ctx, u.Host)
	var hb *HostBlockedError
	if errors.As(err, &hb) {
		outcome = "host_blocked"
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	waited := slot.After(f.now())
	if err := waitUntil(ctx, f.now(), slot); err != nil {
		return nil, fmt.Errorf("fetch %s: waiting for the host's next request slot: %w", r.URL, err)
	}
	select {
	case f.global <- struct{}{}:
	default:
		waited = true
		select {
		case f.global <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("fetch %s: waiting for fetch slot: %w", r.URL, ctx.Err())
		}
	}
	defer func() { <-f.global }()
	if waited {
		// The host may have asked for a break while we waited.
		if rec, err := f.hosts.record(ctx, u.Host); err == nil && f.now().Before(rec.BlockedUntil) {
			outcome = "host_blocked"
			return nil, fmt.Errorf("fetch %s: %w", r.URL, &HostBlockedError{Host: u.Host, Until: rec.BlockedUntil})
		}
	}

	trace := &redirectTrace{permanent: true}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, traceKey{}, trace), http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, permanent(fmt.Errorf("fetch %s: %w", r.URL, err))
	}
	req.Header.Set("User-Agent", f.ua)
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	hr, err := f.client.Do(req)
	if err != nil {
		if isPermanent(err) {
			return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
		}
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			outcome = "timeout"
			return nil, fmt.Errorf("fetch %s: timed out (request_timeout %v, header_timeout %v): %w", r.URL, f.cfg.RequestTimeout, f.cfg.HeaderTimeout, err)
		}
		if errors.Is(err, errPrivateAddress) {
			outcome = "refused"
			return nil, permanent(fmt.Errorf("fetch %s: %w", r.URL, err))
		}
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	defer func() {
		// Drain a little so the connection can be reused, then close.
		_, _ = io.CopyN(io.Discard, hr.Body, 4<<10)
		hr.Body.Close()
	}()
	resp = &fetchResponse{
		Status:       hr.StatusCode,
		Header:       hr.Header,
		FinalURL:     hr.Request.URL.String(),
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
	}
	if trace.hops > 0 && trace.permanent {
		resp.MovedTo = resp.FinalURL
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		outcome = "not_modified"
		resp.NotModified = true
		return resp, nil
	case hr.StatusCode >= 200 && hr.StatusCode < 300:
	default:
		se := &StatusError{URL: r.URL, Status: hr.StatusCode}
		if hr.StatusCode == http.StatusTooManyRequests || hr.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = min(retry.After(hr.Header, f.now()), f.cfg.Backoff.MaxRetryAfter)
			wait := se.RetryAfter
			if wait == 0 && hr.StatusCode == http.StatusTooManyRequests {
				// A 429 without Retry-After still means "slow down".
				wait = f.cfg.Backoff.Initial
			}
			if wait > 0 {
				if err := f.hosts.block(context.WithoutCancel(ctx), u.Host, f.now().Add(wait)); err != nil {
					f.log.Warn("recording a host's back-off", "host", u.Host, "err", err)
				}
				f.log.Warn("host asked us to back off", "host", u.Host, "status", hr.StatusCode, "delay", wait)
			}
		}
		outcome = "http_" + strconv.Itoa(hr.StatusCode/100) + "xx"
		if hr.StatusCode == http.StatusTooManyRequests {
			outcome = "rate_limited"
		}
		return resp, se
	}
	if ct := hr.Header.Get("Content-Type"); r.TextOnly && !textual(ct) {
		outcome = "not_text"
		return nil, permanent(fmt.Errorf("fetch %s: not a web page (Content-Type %q)", r.URL, ct))
	}
	if hr.ContentLength > r.MaxBytes && !r.Truncate {
		outcome = "too_large"
		return nil, permanent(fmt.Errorf("fetch %s: %w: Content-Length %d exceeds %s (%d bytes)", r.URL, errTooLarge, hr.ContentLength, r.CapName, r.MaxBytes))
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, r.MaxBytes+1))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			outcome = "timeout"
		}
		return nil, fmt.Errorf("fetch %s: reading body: %w", r.URL, err)
	}
	if int64(len(body)) > r.MaxBytes {
		if !r.Truncate {
			outcome = "too_large"
			return nil, permanent(fmt.Errorf("fetch %s: %w: body exceeds %s (%d bytes)", r.URL, errTooLarge, r.CapName, r.MaxBytes))
		}
		body = body[:r.MaxBytes]
	}
	resp.Body = body
	outcome = "ok"
	return resp, nil
}

// textual reports whether a Content-Type can hold an HTML page; an absent
// one is given the benefit of the doubt.
func textual(ct string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	mt = strings.TrimSpace(mt)
	return mt == "" || strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.HasSuffix(mt, "xml")
}

// maxAge reads Cache-Control max-age from a response, 0 if absent.
func maxAge(h http.Header) time.Duration {
	for _, cc := range h.Values("Cache-Control") {
		for _, d := range strings.Split(cc, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(d), "=")
			if ok && strings.EqualFold(k, "max-age") {
				if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 && n < 1<<31 {
					return time.Duration(n) * time.Second
				}
			}
		}
	}
	return 0
}
