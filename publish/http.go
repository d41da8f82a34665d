package publish

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxEmailLen is the longest address RFC 5321 allows in a path.
const maxEmailLen = 254

func (s *Stage) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /feeds/{file}", s.serveAsset("feeds"))
	mux.HandleFunc("GET /digests/{file}", s.serveAsset("digests"))
	mux.HandleFunc("GET /archive/{$}", s.serveArchive)
	mux.HandleFunc("GET /archive/index.html", s.serveArchive)
	mux.HandleFunc("GET /archive/{lang}/{file}", s.serveArchive)
	mux.HandleFunc("GET /archive/{lang}/{$}", s.serveArchive)
	mux.HandleFunc("POST /subscribe", s.ready(s.postSubscribe))
	mux.HandleFunc("GET /confirm", s.ready(s.getConfirm))
	mux.HandleFunc("POST /confirm", s.ready(s.postConfirm))
	mux.HandleFunc("GET /unsubscribe", s.ready(s.getUnsubscribe))
	mux.HandleFunc("POST /unsubscribe", s.ready(s.postUnsubscribe))
	mux.HandleFunc("POST /unsubscribe/link", s.ready(s.postUnsubLink))
	return securityHeaders(mux)
}

// ready answers 503 until Init has opened the subscriber store.
func (s *Stage) ready(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.initDone.Load() {
			w.Header().Set("Retry-After", "10")
			http.Error(w, "starting up", http.StatusServiceUnavailable)
			return
		}
		h(w, r)
	}
}

// securityHeaders sets headers every response gets: no sniffing, no
// framing, no referrer leaking tokens, and a CSP that allows no script.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	})
}

func (s *Stage) serveAsset(dir string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.writeAsset(w, r, dir+"/"+r.PathValue("file"))
	}
}

func (s *Stage) serveArchive(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	if file == "" {
		file = "index.html"
	}
	if lang := r.PathValue("lang"); lang != "" {
		file = lang + "/" + file
	}
	s.writeAsset(w, r, "archive/"+file)
}

// writeAsset serves a rendered file with a strong ETag, Last-Modified and
// Cache-Control; http.ServeContent answers conditional requests with 304.
func (s *Stage) writeAsset(w http.ResponseWriter, r *http.Request, rel string) {
	a := s.files.site.get(rel)
	if a == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.cfg.CacheMaxAge/time.Second)))
	if s.cfg.WebSubHub != "" && strings.HasPrefix(rel, "feeds/") {
		// WebSub discovery (W3C WebSub §4): hub and self as Link headers too.
		h.Set("Link", "<"+s.cfg.WebSubHub+`>; rel="hub", <`+s.url("/"+rel)+`>; rel="self"`)
	}
	http.ServeContent(w, r, "", a.modTime, bytes.NewReader(a.body))
}

func (s *Stage) serveIndex(w http.ResponseWriter, r *http.Request) {
	s.writePage(w, http.StatusOK, "index", s.indexPage(s.files.lib, s.abs(), true))
}

func (s *Stage) writePage(w http.ResponseWriter, status int, name string, data any) {
	body, err := renderPage(name, data)
	if err != nil {
		s.met.renderErrors.Inc()
		s.log.Error("rendering page", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// message writes a small page in every site language: the title message
// joined with " / ", then each paragraph message once per language.
func (s *Stage) message(w http.ResponseWriter, status int, titleKey string, paraKeys []string, form *formButton) {
	var paras []string
	for _, k := range paraKeys {
		paras = append(paras, s.eachLang(k)...)
	}
	s.writePage(w, status, "message", messagePage{
		pageBase: s.sharedPage(s.each(titleKey)),
		Paras:    paras,
		Form:     form,
	})
}

// clientIP is the address used for rate limits and consent records: the
// configured proxy header when set and valid, else the peer address.
func (s *Stage) clientIP(r *http.Request) string {
	if h := s.cfg.HTTP.ClientIPHeader; h != "" {
		v := strings.TrimSpace(r.Header.Get(h))
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = strings.TrimSpace(v[i+1:]) // the hop our proxy added
		}
		if ip := net.ParseIP(v); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// parseEmail accepts one bare address ("a@b.example"), nothing else: no
// display names, no lists, no CR/LF, no more than 254 bytes.
func parseEmail(in string) (string, error) {
	in = strings.TrimSpace(in)
	if in == "" || len(in) > maxEmailLen || strings.ContainsAny(in, "\r\n\x00<>,;\"") {
		return "", errors.New("invalid address")
	}
	a, err := mail.ParseAddress(in)
	if err != nil || a.Name != "" || a.Address != in {
		return "", errors.New("invalid address")
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 || !strings.Contains(a.Address[at+1:], ".") || strings.HasSuffix(a.Address, ".") {
		return "", errors.New("invalid address")
	}
	return normalizeEmail(a.Address), nil
}

// The answers' paragraphs (catalog keys, internal/lang).
var (
	msgCheckInbox   = []string{"msg.check_inbox"}
	msgBadRequest   = []string{"msg.bad_request"}
	msgTryLater     = []string{"msg.try_later"}
	msgBadLink      = []string{"msg.bad_link"}
	msgConfirmed    = []string{"msg.confirmed"}
	msgUnsubscribed = []string{"msg.unsubscribed"}
)

func (s *Stage) postSubscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Subscriptions.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.met.subscriptions.WithLabelValues("rejected").Inc()
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.message(w, http.StatusRequestEntityTooLarge, "msg.too_large.title", msgBadRequest, nil)
			return
		}
		s.message(w, http.StatusBadRequest, "msg.bad_request.title", msgBadRequest, nil)
		return
	}
	if r.PostForm.Get("website") != "" {
		// The honeypot field is invisible to people; bots fill it. Answer
		// as if all went well and do nothing.
		s.met.subscriptions.WithLabelValues("rejected").Inc()
		s.message(w, http.StatusOK, "msg.check_inbox.title", msgCheckInbox, nil)
		return
	}
	email, err := parseEmail(r.PostForm.Get("email"))
	langs := s.cleanLangs(r.PostForm["lang"])
	if err != nil || len(langs) == 0 || len(r.PostForm["lang"]) > DefaultMaxSubscriberLanguage {
		s.met.subscriptions.WithLabelValues("rejected").Inc()
		s.message(w, http.StatusBadRequest, "msg.bad_request.title", msgBadRequest, nil)
		return
	}
	now := s.now().UTC()
	if s.limited(w, r, now) {
		return
	}
	ua := r.UserAgent()
	if len(ua) > maxUserAgentLen {
		ua = ua[:maxUserAgentLen]
	}
	req := signupRequest{Kind: requestSubscribe, Email: email, Languages: langs, Lang: browserLang(r, langs), IP: s.clientIP(r), UserAgent: ua, At: now}
	if err := s.enqueue(r.Context(), req); err != nil {
		s.log.Error("storing signup", "err", err)
		s.message(w, http.StatusServiceUnavailable, "msg.temporary.title", msgTryLater, nil)
		return
	}
	s.met.subscriptions.WithLabelValues("request").Inc()
	s.message(w, http.StatusOK, "msg.check_inbox.title", msgCheckInbox, nil)
}

// getConfirm shows the confirmation button and changes nothing: mail
// scanners and link previews follow links with GET, and a subscription must
// come from the person's own click (the consent record is the proof).
func (s *Stage) getConfirm(w http.ResponseWriter, r *http.Request) {
	t := r.URL.Query().Get("t")
	if _, _, err := splitToken(t); err != nil {
		s.message(w, http.StatusBadRequest, "msg.bad_link.title", msgBadLink, nil)
		return
	}
	sub, err := s.subs.byToken(r.Context(), t, func(x *Subscriber) string { return x.ConfirmSecret })
	switch {
	case errors.Is(err, errBadToken):
		s.message(w, http.StatusNotFound, "msg.bad_link.title", msgBadLink, nil)
		return
	case err != nil:
		s.log.Error("confirm page", "err", err)
		s.message(w, http.StatusServiceUnavailable, "msg.temporary.title", msgTryLater, nil)
		return
	case sub.Status == StatusConfirmed:
		s.message(w, http.StatusOK, "msg.confirmed.title", msgConfirmed, nil)
		return
	case sub.Status != StatusPending:
		s.message(w, http.StatusNotFound, "msg.bad_link.title", msgBadLink, nil)
		return
	case s.now().UTC().After(sub.ConfirmExpires):
		s.message(w, http.StatusGone, "msg.expired.title", msgBadLink, nil)
		return
	}
	s.message(w, http.StatusOK, "msg.confirm.title", []string{"msg.confirm"}, &formButton{Action: "confirm?t=" + url.QueryEscape(t), Button: s.each("msg.confirm.button")})
}

// postConfirm is the confirmation page's button: it confirms the signup and
// records when and from where.
func (s *Stage) postConfirm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Subscriptions.MaxFormBytes)
	_ = r.ParseForm() // the form carries nothing we need; the token is in the URL
	t := r.URL.Query().Get("t")
	if _, _, err := splitToken(t); err != nil {
		s.message(w, http.StatusBadRequest, "msg.bad_link.title", msgBadLink, nil)
		return
	}
	id, secret, _ := splitToken(t)
	now := s.now().UTC()
	var outcome string
	_, err := s.subs.update(r.Context(), id, func(cur *Subscriber) (*Subscriber, error) {
		outcome = "invalid"
		if cur == nil || !secretEqual(cur.ConfirmSecret, secret) {
			return nil, nil
		}
		switch {
		case cur.Status == StatusConfirmed:
			outcome = "already"
			return nil, nil
		case cur.Status != StatusPending:
			return nil, nil
		case now.After(cur.ConfirmExpires):
			outcome = "expired"
			return nil, nil
		}
		next := *cur
		next.Status = StatusConfirmed
		next.Consent.ConfirmedAt = now
		next.Consent.ConfirmIP = s.clientIP(r)
		next.UpdatedAt = now
		outcome = "confirmed"
		return &next, nil
	})
	if err != nil {
		s.log.Error("confirming", "err", err)
		s.message(w, http.StatusServiceUnavailable, "msg.temporary.title", msgTryLater, nil)
		return
	}
	switch outcome {
	case "confirmed", "already":
		if outcome == "confirmed" {
			s.met.subscriptions.WithLabelValues("confirm").Inc()
			s.log.Info("subscription confirmed", "subscriber_id", id)
		}
		s.message(w, http.StatusOK, "msg.confirmed.title", msgConfirmed, nil)
	case "expired":
		s.message(w, http.StatusGone, "msg.expired.title", msgBadLink, nil)
	default:
		s.message(w, http.StatusNotFound, "msg.bad_link.title", msgBadLink, nil)
	}
}

// getUnsubscribe shows a button and changes nothing: mail scanners follow
// links with GET.
func (s *Stage) getUnsubscribe(w http.ResponseWriter, r *http.Request) {
	t := r.URL.Query().Get("t")
	sub, err := s.subs.byToken(r.Context(), t, func(x *Subscriber) string { return x.UnsubSecret })
	if err != nil {
		s.badUnsubLink(w)
		return
	}
	if sub.Status == StatusUnsubscribed {
		s.message(w, http.StatusOK, "msg.unsubscribed.title", msgUnsubscribed, nil)
		return
	}
	s.message(w, http.StatusOK, "msg.unsubscribe.title", []string{"msg.unsubscribe"}, &formButton{Action: "unsubscribe?t=" + url.QueryEscape(t), Button: s.each("msg.unsubscribe.button")})
}

// postUnsubscribe is the RFC 8058 one-click endpoint (body
// "List-Unsubscribe=One-Click", no cookies) and the target of the page's
// button. It unsubscribes at once and answers 200, never a redirect.
func (s *Stage) postUnsubscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Subscriptions.MaxFormBytes)
	_ = r.ParseMultipartForm(s.cfg.Subscriptions.MaxFormBytes) // the body carries nothing we need
	t := r.URL.Query().Get("t")
	id, secret, err := splitToken(t)
	if err != nil {
		s.badUnsubLink(w)
		return
	}
	now := s.now().UTC()
	found := false
	_, err = s.subs.update(r.Context(), id, func(cur *Subscriber) (*Subscriber, error) {
		found = false
		if cur == nil || !secretEqual(cur.UnsubSecret, secret) {
			return nil, nil
		}
		found = true
		if cur.Status == StatusUnsubscribed {
			return nil, nil
		}
		next := *cur
		next.Status = StatusUnsubscribed
		next.UnsubscribedAt = now
		next.UpdatedAt = now
		next.ConfirmSecret = ""
		return &next, nil
	})
	if err != nil {
		s.log.Error("unsubscribing", "err", err)
		s.message(w, http.StatusServiceUnavailable, "msg.temporary.title", msgTryLater, nil)
		return
	}
	if !found {
		s.badUnsubLink(w)
		return
	}
	s.met.subscriptions.WithLabelValues("unsubscribe").Inc()
	s.log.Info("unsubscribed", "subscriber_id", id)
	s.message(w, http.StatusOK, "msg.unsubscribed.title", msgUnsubscribed, nil)
}

// badUnsubLink answers an unsubscribe link that names nobody (mangled by
// a mail client, or from before a subscriber record was erased) with a
// way out all the same: a form that mails the address a new link.
func (s *Stage) badUnsubLink(w http.ResponseWriter) {
	s.message(w, http.StatusNotFound, "msg.bad_link.title", []string{"msg.bad_unsub_link", "msg.unsub_request"},
		&formButton{Action: "unsubscribe/link", Button: s.each("msg.unsub_request.button"), EmailLabel: s.each("form.email")})
}

// postUnsubLink queues a request for a new unsubscribe link and answers
// the same whether or not the address gets the newsletter.
func (s *Stage) postUnsubLink(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.Subscriptions.MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.message(w, http.StatusBadRequest, "msg.bad_request.title", msgBadRequest, nil)
		return
	}
	email, err := parseEmail(r.PostForm.Get("email"))
	if err != nil {
		s.message(w, http.StatusBadRequest, "msg.bad_request.title", msgBadRequest, nil)
		return
	}
	now := s.now().UTC()
	if s.limited(w, r, now) {
		return
	}
	req := signupRequest{Kind: requestUnsubLink, Email: email, Lang: browserLang(r, s.siteLangs()), At: now}
	if err := s.enqueue(r.Context(), req); err != nil {
		s.log.Error("queueing an unsubscribe link request", "err", err)
		s.message(w, http.StatusServiceUnavailable, "msg.temporary.title", msgTryLater, nil)
		return
	}
	s.message(w, http.StatusOK, "msg.unsub_sent.title", []string{"msg.unsub_sent"}, nil)
}

// limited answers 429 and reports true when r's client has used up its
// form posts (subscriptions.max_signups_per_ip_per_hour) at now.
func (s *Stage) limited(w http.ResponseWriter, r *http.Request, now time.Time) bool {
	if s.ipLimit.allow(s.clientIP(r), now) {
		return false
	}
	s.met.subscriptions.WithLabelValues("limited").Inc()
	w.Header().Set("Retry-After", "3600")
	s.message(w, http.StatusTooManyRequests, "msg.too_many.title", []string{"msg.too_many"}, nil)
	return true
}
