package testbed

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"
)

// Mailpit is where a mailpit the script starts listens: SMTP on
// 127.0.0.1:SMTPPort, its API at API.
type Mailpit struct {
	SMTPPort int
	API      string
}

// NewMailpit picks mailpit's ports and returns the arguments to start it
// with: its database in dir, no message limit, extra appended.
func NewMailpit(dir string, extra ...string) (Mailpit, []string, error) {
	sp, err := FreePort()
	if err != nil {
		return Mailpit{}, nil, err
	}
	hp, err := FreePort()
	if err != nil {
		return Mailpit{}, nil, err
	}
	args := append([]string{"--smtp", fmt.Sprintf("127.0.0.1:%d", sp), "--listen", fmt.Sprintf("127.0.0.1:%d", hp),
		"--database", filepath.Join(dir, "mailpit.db"), "--max", "0", "--disable-version-check"}, extra...)
	return Mailpit{SMTPPort: sp, API: fmt.Sprintf("http://127.0.0.1:%d", hp)}, args, nil
}

// Wait waits up to within until mailpit's API answers.
func (m Mailpit) Wait(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.API+"/api/v1/info", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s", resp.Status)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("mailpit did not come up: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
