// Package mailer composes newsletter emails and hands their bytes to an SMTP
// relay or to an outbox directory.
//
// Composition uses github.com/wneessen/go-mail (multipart/alternative with
// text/plain first and text/html last, UTF-8 quoted-printable, RFC 2047
// subjects). The composed bytes are then optionally DKIM-signed with
// github.com/emersion/go-msgauth (relaxed/relaxed, covering List-Unsubscribe
// and List-Unsubscribe-Post) and sent verbatim. go-mail's own DKIM is not
// used: v0.8.1 folds the DKIM-Signature inside the h= list and the
// signature then fails to verify.
//
// Send errors are classified for the caller: a *RecipientError carries the
// SMTP code the relay gave for one recipient (5xx: permanent, mark the
// address bounced; 4xx: try again later); every other error (dial, TLS,
// auth, MAIL FROM) concerns the relay, not the recipient, and is transient
// from the subscriber's point of view. An error after the whole message
// went out, while waiting for the relay's answer to its end, wraps
// ErrInDoubt: the relay may have the message, so the caller must not
// simply send it again.
package mailer
