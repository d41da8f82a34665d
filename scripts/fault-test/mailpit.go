package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/newsdesk/newsdesk/scripts/internal/testbed"
)

// mailpit is the SMTP server the publish processes mail to; the tally
// reads what it received through its API, and its chaos triggers make it
// refuse mail for a while.
type mailpit struct {
	*proc
	testbed.Mailpit
}

func startMailpit(ctx context.Context, dir, bin string) (*mailpit, error) {
	mp, args, err := testbed.NewMailpit(dir, "--enable-chaos")
	if err != nil {
		return nil, err
	}
	m := &mailpit{proc: newProc("mailpit", dir, bin, args...), Mailpit: mp}
	if err := m.start(); err != nil {
		return nil, err
	}
	if err := mp.Wait(ctx, 30*time.Second); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, m.tail(2000))
	}
	return m, nil
}

// refuse makes mailpit answer every MAIL FROM with 451 (on) or accept
// again (off).
func (m *mailpit) refuse(on bool) error {
	p := 0
	if on {
		p = 100
	}
	body, _ := json.Marshal(map[string]any{"Sender": map[string]int{"ErrorCode": 451, "Probability": p}})
	req, _ := http.NewRequest(http.MethodPut, m.API+"/api/v1/chaos", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit chaos: %s", resp.Status)
	}
	return nil
}

// mail is one received message as the tally needs it.
type mail struct {
	To      []string
	Subject string
}

// messages lists every message mailpit holds.
func (m *mailpit) messages(ctx context.Context) ([]mail, error) {
	var out []mail
	for start := 0; ; {
		q := url.Values{"start": {strconv.Itoa(start)}, "limit": {"500"}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.API+"/api/v1/messages?"+q.Encode(), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Total    int `json:"total"`
			Messages []struct {
				To []struct {
					Address string `json:"Address"`
				} `json:"To"`
				Subject string `json:"Subject"`
			} `json:"messages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("mailpit messages: %w", err)
		}
		for _, msg := range page.Messages {
			var to []string
			for _, a := range msg.To {
				to = append(to, a.Address)
			}
			out = append(out, mail{To: to, Subject: msg.Subject})
		}
		start += len(page.Messages)
		if len(page.Messages) == 0 || start >= page.Total {
			return out, nil
		}
	}
}
