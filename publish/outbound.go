package publish

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Limits of the stage's outbound HTTP requests (WebSub pings, webhooks).
const (
	outboundDialTimeout   = 10 * time.Second
	outboundTLSTimeout    = 10 * time.Second
	outboundHeaderTimeout = 30 * time.Second
	outboundIdleTimeout   = 90 * time.Second
	// maxOutboundAnswer is how much of an answer is read (and then
	// dropped) so the connection can be reused.
	maxOutboundAnswer = 64 << 10
)

// newOutboundClient is the one HTTP client the stage sends with. It never
// follows redirects: a POST that a server redirects would be replayed as a
// GET elsewhere; a 3xx is reported as what it is. Each request carries its
// own deadline in its context.
func newOutboundClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: outboundDialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = outboundTLSTimeout
	tr.ResponseHeaderTimeout = outboundHeaderTimeout
	tr.IdleConnTimeout = outboundIdleTimeout
	tr.MaxIdleConnsPerHost = 4
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// drain reads and drops the rest of an answer (up to maxOutboundAnswer)
// and closes it, so the connection goes back to the pool.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxOutboundAnswer))
	resp.Body.Close()
}

// statusError is a non-2xx answer to an outbound request.
type statusError struct {
	URL    string
	Status string
	Code   int
}

func (e *statusError) Error() string { return fmt.Sprintf("%s answered %s", e.URL, e.Status) }
