package publish_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/publish"
)

// chromium finds a Chromium binary. Without one the browser tests skip,
// except under CI=true, where CI installs Chromium and a missing binary is
// a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no Chromium binary found (install the chromium package)")
	}
	t.Skip("no Chromium binary found; install chromium to run browser tests")
	return ""
}

// runChromium runs headless Chromium with the flags that keep it offline
// and stateless, and returns its stdout.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Errorf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
		return nil
	}
	return stdout.Bytes()
}

// TestBrowserRendersPages loads the subscribe page and a digest page in
// real headless Chromium: the DOM the browser builds must hold the form and
// the linked citations, and screenshots at phone and desktop widths must be
// real images. Set PUBLISH_SCREENSHOTS=dir to keep them for a look.
func TestBrowserRendersPages(t *testing.T) {
	bin := chromium(t)
	t.Parallel()
	e := newEnv(t, func(c *publish.Config) {
		c.ImprintURL, c.PrivacyURL = "https://verlag.example/impressum", "https://verlag.example/datenschutz"
	})
	d := testDigest("de", "2026-11-29")
	d.Stories[0].Summary += " <script>document.title='pwned'</script>"
	if err := e.st.Deliver(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	page := e.web.URL + "/archive/de/2026-11-29-daily.html"
	dir := os.Getenv("PUBLISH_SCREENSHOTS")
	shots := []struct{ name, url, size string }{{"index-phone.png", e.web.URL + "/", "390,1100"}}
	if dir == "" {
		dir = t.TempDir()
	} else {
		shots = append(shots,
			struct{ name, url, size string }{"index-desktop.png", e.web.URL + "/", "1280,900"},
			struct{ name, url, size string }{"digest-phone.png", page, "390,1300"})
	}

	// Chromium spends most of its start-up waiting, so run the browsers
	// side by side.
	var wg sync.WaitGroup
	var indexDOM, digestDOM, unsubDOM []byte
	wg.Go(func() { indexDOM = runChromium(t, bin, "--dump-dom", e.web.URL+"/") })
	wg.Go(func() { digestDOM = runChromium(t, bin, "--dump-dom", page) })
	badUnsub := e.web.URL + "/unsubscribe?t=" + strings.Repeat("a", 32) + ".bbbbbbbbbbbbbbbbbbbbbbbb"
	wg.Go(func() { unsubDOM = runChromium(t, bin, "--dump-dom", badUnsub) })
	for _, shot := range shots {
		path, _ := filepath.Abs(filepath.Join(dir, shot.name))
		wg.Go(func() { runChromium(t, bin, "--screenshot="+path, "--window-size="+shot.size, shot.url) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	dom := string(indexDOM)
	for _, want := range []string{`<form method="post" action="subscribe">`, `type="email"`, `name="lang" value="de"`, `name="lang" value="en"`, `Anmelden / Subscribe`, "Tägliche Übersicht"} {
		if !strings.Contains(dom, want) {
			t.Errorf("index DOM lacks %q", want)
		}
	}
	dom = string(digestDOM)
	if !strings.Contains(dom, `<a href="https://www.heise.de/news/1">[1]</a>`) {
		t.Errorf("digest DOM lacks the linked citation:\n%s", dom)
	}
	if strings.Contains(dom, "<title>pwned</title>") || !strings.Contains(dom, "&lt;script&gt;") {
		t.Error("digest text ran as script or was not shown escaped")
	}
	if !strings.Contains(dom, `<a href="https://verlag.example/impressum">Impressum</a>`) || !strings.Contains(dom, `<a href="https://verlag.example/datenschutz">Datenschutz</a>`) {
		t.Error("digest DOM lacks the imprint and privacy links")
	}
	dom = string(unsubDOM)
	for _, want := range []string{`<form method="post" action="unsubscribe/link">`, `<input type="email" id="email" name="email"`, "Link schicken / Send the link"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page of a bad unsubscribe link lacks %q:\n%s", want, dom)
		}
	}
	for _, shot := range shots {
		path := filepath.Join(dir, shot.name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("screenshot %s: %v", shot.name, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("screenshot %s is not a PNG: %v", shot.name, err)
		}
		if b := img.Bounds(); b.Dx() < 300 || b.Dy() < 300 {
			t.Errorf("screenshot %s is %v", shot.name, b)
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// TestBrowserArchiveOffline opens out_dir's archive from the file system
// (file://), as a reader of the demo's output does: the front page lists
// both languages' editions, and a digest page reached by its relative link
// renders with its citations.
func TestBrowserArchiveOffline(t *testing.T) {
	bin := chromium(t)
	t.Parallel()
	var out string
	e := newEnv(t, func(c *publish.Config) { out = c.OutDir })
	e.deliver(t, testDigest("de", "2026-11-29"), testDigest("en", "2026-11-29"))
	root := "file://" + filepath.Join(out, "archive", "index.html")
	var rootDOM, pageDOM []byte
	var wg sync.WaitGroup
	wg.Go(func() { rootDOM = runChromium(t, bin, "--dump-dom", root) })
	wg.Go(func() {
		pageDOM = runChromium(t, bin, "--dump-dom", "file://"+filepath.Join(out, "archive", "de", "2026-11-29-daily.html"))
	})
	wg.Wait()
	if t.Failed() {
		return
	}
	dom := string(rootDOM)
	for _, want := range []string{`href="de/2026-11-29-daily.html"`, `href="en/2026-11-29-daily.html"`, `href="de/index.html"`, `href="../feeds/en.xml"`,
		"Tägliche Übersicht, 29. November: Exportkontrollen", `href="https://news.example.org/#subscribe"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("archive front page lacks %q:\n%s", want, dom)
		}
	}
	dom = string(pageDOM)
	for _, want := range []string{`<a href="https://www.heise.de/news/1">[1]</a>`, `href="index.html"`, `href="../index.html"`, `href="../../feeds/de.xml"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("digest page opened from disk lacks %q:\n%s", want, dom)
		}
	}
}
