package publish

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// pingHub tells the WebSub hub that a language's feeds changed
// (hub.mode=publish, the de-facto publisher ping; the spec leaves it to the
// hub). Failures are logged, never fatal: the feeds are already written and
// subscribers' readers still poll.
func (s *Stage) pingHub(ctx context.Context, lang string) {
	if s.cfg.WebSubHub == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.WebSubTimeout)
	defer cancel()
	form := url.Values{"hub.mode": {"publish"}}
	for _, ext := range []string{"xml", "atom", "json"} {
		form.Add("hub.url", s.url(feedPath(lang, ext)))
	}
	if err := s.postHub(ctx, form); err != nil {
		s.log.Warn("websub ping failed", "hub", s.cfg.WebSubHub, "lang", lang, "err", err)
		return
	}
	s.log.Debug("websub hub pinged", "lang", lang)
}

func (s *Stage) postHub(ctx context.Context, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.WebSubHub, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("hub answered %s", resp.Status)
	}
	return nil
}
