package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/internal/retry"
)

// maxServerWait bounds what a Retry-After header can ask for, so a hostile
// value cannot overflow durations downstream.
const maxServerWait = 24 * time.Hour

// withRetries runs call with the concurrency limit, the rate limit and a
// per-attempt timeout, retrying connection errors, 408, 409, 429 and 5xx.
// A server-directed wait longer than MaxRetryDelay, or longer than the
// caller's deadline allows, ends the loop at once with the *APIError, so the
// wait can happen in JetStream (NakWithDelay) instead of in a goroutine.
func (c *OpenAI) withRetries(ctx context.Context, purpose string, call func(context.Context) error) error {
	retries := max(0, c.cfg.MaxRetries)
	for attempt := 0; ; attempt++ {
		err := c.attempt(ctx, call)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("llm: call abandoned: %w", context.Cause(ctx))
		}
		wait, ok := c.retryWait(err, attempt)
		if !ok || attempt >= retries || wait > c.cfg.MaxRetryDelay {
			return err
		}
		if dl, has := ctx.Deadline(); has && time.Until(dl) < wait {
			return err
		}
		c.m.retries.WithLabelValues(c.cfg.Model, purpose, retryReason(err)).Inc()
		c.log.Info("llm retry", "purpose", purpose, "attempt", attempt+1, "delay", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("llm: call abandoned: %w", context.Cause(ctx))
		case <-t.C:
		}
	}
}

// errAttemptTimeout marks the per-attempt deadline, to tell it apart from
// the caller's.
var errAttemptTimeout = errors.New("attempt timeout")

func (c *OpenAI) attempt(ctx context.Context, call func(context.Context) error) error {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The limiter refuses waits that would outlast the deadline.
			return fmt.Errorf("%w: requests_per_second leaves no slot before the deadline: %w", ErrTimeout, err)
		}
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.sem }()
	c.m.inFlight.Inc()
	defer c.m.inFlight.Dec()

	actx, cancel := context.WithTimeoutCause(ctx, c.cfg.Timeout, errAttemptTimeout)
	defer cancel()
	err := call(actx)
	if err == nil {
		return nil
	}
	return c.classify(ctx, actx, err)
}

// classify sorts what one attempt returned into the package's error
// vocabulary. send and decode already return *APIError and ErrBadResponse;
// what remains comes from net/http and the contexts.
func (c *OpenAI) classify(ctx, actx context.Context, err error) error {
	var ae *APIError
	switch {
	case errors.As(err, &ae), errors.Is(err, ErrTimeout):
		return err
	case ctx.Err() != nil:
		return err
	case context.Cause(actx) == errAttemptTimeout:
		return fmt.Errorf("%w: no complete answer within %s", ErrTimeout, c.cfg.Timeout)
	case errors.Is(err, ErrBadResponse):
		return err
	case isConnError(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// What remains failed before or without an answer for another reason
	// (a TLS certificate, a redirect loop): try again later.
	return fmt.Errorf("%w: %w", ErrBadResponse, err)
}

func isConnError(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) || errors.As(err, &dns) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE)
}

// retryWait says whether err is worth retrying in-process and how long to
// wait: the larger of the server's Retry-After and exponential backoff with
// jitter.
func (c *OpenAI) retryWait(err error, attempt int) (time.Duration, bool) {
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		if !ae.Temporary() {
			return 0, false
		}
		return max(ae.RetryAfter, c.backoff(attempt)), true
	case errors.Is(err, ErrUnavailable):
		return c.backoff(attempt), true
	}
	return 0, false
}

// backoff is RetryBaseDelay·2^attempt, capped at MaxRetryDelay, with the
// upper half jittered so that replicas do not retry in lockstep.
func (c *OpenAI) backoff(attempt int) time.Duration {
	d := retry.Exponential(c.cfg.RetryBaseDelay, c.cfg.MaxRetryDelay, attempt)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// parseRetryAfter is the server's requested wait (retry.After), at most
// maxServerWait.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	return min(retry.After(h, now), maxServerWait)
}

func retryReason(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return strconv.Itoa(ae.Status)
	}
	return "connection"
}
