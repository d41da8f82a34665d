package publish

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/newsdesk/newsdesk/internal/news"
)

// websubSink tells the WebSub hub that a language's feeds changed
// (hub.mode=publish, the de-facto publisher ping; the spec leaves it to the
// hub). A failed ping is tried again with the stage's back-off; the feeds
// are written already and readers still poll them meanwhile.
type websubSink struct {
	*shared
	client *http.Client
}

func (w *websubSink) Name() string { return "websub" }

func (w *websubSink) Deliver(ctx context.Context, d news.Digest) error {
	lang := digestLang(d)
	ctx, cancel := context.WithTimeout(ctx, w.cfg.WebSubTimeout)
	defer cancel()
	form := url.Values{"hub.mode": {"publish"}}
	for _, ext := range []string{"xml", "atom", "json"} {
		form.Add("hub.url", w.url(feedPath(lang, ext)))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.WebSubHub, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("websub hub: %w", err)
	}
	drain(resp)
	if resp.StatusCode/100 != 2 {
		return &statusError{URL: w.cfg.WebSubHub, Status: resp.Status, Code: resp.StatusCode}
	}
	w.log.Debug("websub hub pinged", "lang", lang, "digest_id", d.ID)
	return nil
}
