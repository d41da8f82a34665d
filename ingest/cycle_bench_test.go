package ingest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/cputime"
)

// The poll-cycle benchmark: ingest against a local web of feeds that
// answers the way the real web does. The web runs in a child process (this
// test binary, re-executed to run TestBenchWeb), so the memory measured is
// ingest's own (with its embedded NATS server, as newsdesk runs by
// default), not the test server's.
//
//	go test ./ingest -run XXX -bench PollCycle -benchtime 3x -timeout 30m
//
// reports per cycle: wall time (sec/op), CPU time (cpu-sec/op), articles
// extracted and published per second of cycle, and the peak resident
// memory of the process (peak-rss-MB).

var (
	cycleConcurrency = flag.Int("cycle-concurrency", 64, "BenchmarkPollCycle: ingest.concurrency")
	cycleFeeds       = flag.String("cycle-feeds", "1000,10000", "BenchmarkPollCycle: feed counts, comma-separated")
)

// webHostFeeds is how many feeds share one host (a loopback address of
// its own), like the several feeds of one outlet.
const webHostFeeds = 10

func BenchmarkPollCycle(b *testing.B) {
	for _, s := range strings.Split(*cycleFeeds, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < webHostFeeds {
			b.Fatalf("-cycle-feeds %q", s)
		}
		b.Run(fmt.Sprintf("feeds=%d", n), func(b *testing.B) { benchCycle(b, n) })
	}
}

func benchCycle(b *testing.B, nFeeds int) {
	hosts := startWeb(b, nFeeds/webHostFeeds)
	var feeds []FeedConfig
	for i := range nFeeds {
		feeds = append(feeds, FeedConfig{ID: fmt.Sprintf("f%05d", i), URL: fmt.Sprintf("http://%s/f/%d.xml", hosts[i%len(hosts)], i)})
	}
	cfg := testConfig(feeds...)
	cfg.Concurrency = *cycleConcurrency
	cfg.PerHostInterval = DefaultPerHostInterval
	cfg.PerHostConcurrency = DefaultPerHostConcurrency
	cfg.RequestTimeout = 10 * time.Second
	cfg.HeaderTimeout = 5 * time.Second
	cfg.MaxFeedBytes = 1 << 20
	cfg.MaxItemAge = 48 * time.Hour
	cfg.MinDescriptionChars = DefaultMinDescription
	cfg.Backoff.MaxRetryAfter = time.Second // the web's 429s say 1 s
	st := newStage(b, newTestBus(b), cfg)
	ctx := b.Context()

	// The first cycle meets every feed for the first time: no validators,
	// and the old items are skipped by max_item_age. Not timed.
	if _, err := st.PollOnce(ctx); err == nil {
		b.Fatal("a web with broken feeds polled without errors")
	}
	resetPeakRSS()
	cpu := cputime.Start()
	var published int
	var stats Stats
	start := time.Now()
	for b.Loop() {
		s, _ := st.PollOnce(ctx)
		published += s.ItemsPublished
		stats.add(s)
	}
	elapsed := time.Since(start)
	cpu.Report(b)
	b.ReportMetric(float64(published)/elapsed.Seconds(), "articles/s")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MB")
	b.Logf("%d feeds on %d hosts, concurrency %d: per cycle %+v", nFeeds, len(hosts), cfg.Concurrency, scaleStats(stats, b.N))
}

func scaleStats(s Stats, n int) Stats {
	if n <= 1 {
		return s
	}
	return Stats{FeedsOK: s.FeedsOK / n, FeedsNotModified: s.FeedsNotModified / n, FeedsFailed: s.FeedsFailed / n,
		FeedsSkipped: s.FeedsSkipped / n, ItemsNew: s.ItemsNew / n, ItemsSeen: s.ItemsSeen / n,
		ItemsPublished: s.ItemsPublished / n, ItemsDuplicate: s.ItemsDuplicate / n, ItemsIrrelevant: s.ItemsIrrelevant / n,
		ItemsFailed: s.ItemsFailed / n, ItemsDeferred: s.ItemsDeferred / n, ItemsOld: s.ItemsOld / n}
}

// resetPeakRSS resets the kernel's high-water mark of resident memory
// (Linux: clear_refs 5); peakRSS reads it (VmHWM).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// startWeb starts the child process serving the web on n loopback hosts
// and returns their host:port addresses.
func startWeb(b *testing.B, n int) []string {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestBenchWeb$", "-test.v=false")
	cmd.Env = append(os.Environ(), "NEWSDESK_BENCH_WEB="+strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close() // the web stops when its stdin closes
		_ = cmd.Wait()
	})
	var hosts []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if line == "ready" {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return hosts
		}
		if addr, ok := strings.CutPrefix(line, "host "); ok {
			hosts = append(hosts, addr)
		}
	}
	b.Fatalf("the web did not start: %v", sc.Err())
	return nil
}

// TestBenchWeb is the benchmark's web, run in a child process; it is
// skipped in a normal test run.
func TestBenchWeb(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_WEB"))
	if err != nil {
		t.Skip("the web of BenchmarkPollCycle; runs only in its child process")
	}
	w := &web{served: map[int]*atomic.Int64{}}
	srv := &http.Server{Handler: w, ReadHeaderTimeout: 5 * time.Second}
	out := bufio.NewWriter(os.Stdout)
	for i := range n {
		// 127.0.0.0/8 is loopback as a whole on Linux: every address is
		// a host of its own, as far as ingest's politeness is concerned.
		ln, err := net.Listen("tcp", fmt.Sprintf("127.%d.%d.%d:0", 1+i/62500, i/250%250+1, i%250+1))
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(ln) }()
		fmt.Fprintf(out, "host %s\n", ln.Addr())
	}
	fmt.Fprintln(out, "ready")
	out.Flush()
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
}

// web answers like feeds in the wild. A feed's behaviour follows from its
// number: 81 % answer 304 to a conditional request, 8 % send the same
// three items again without validators (seen after the first cycle), 4 %
// have two new items every time among eight seen ones (the new ones'
// article pages are then fetched, extracted and published), 2 %
// are rate-limited (429, Retry-After: 1), 2 % are slow (3 s), 1 % are too
// large (1.5 MiB, beyond max_feed_bytes), 2 % are broken (not XML, a web
// page without a feed link, HTTP 500). Every answer takes 20–800 ms.
type web struct {
	mu     sync.Mutex
	served map[int]*atomic.Int64 // 200 answers per fresh feed
}

func (w *web) counter(i int) *atomic.Int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.served[i]
	if !ok {
		c = new(atomic.Int64)
		w.served[i] = c
	}
	return c
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// latency is 20–100 ms for 60 % of requests, 100–300 ms for 30 %,
// 300–800 ms for the rest.
func latency(key string) time.Duration {
	h := hash32(key)
	r := time.Duration(h>>8%1000) * time.Millisecond / 1000
	switch p := h % 100; {
	case p < 60:
		return 20*time.Millisecond + 80*r
	case p < 90:
		return 100*time.Millisecond + 200*r
	}
	return 300*time.Millisecond + 500*r
}

func (w *web) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == "/robots.txt":
		http.NotFound(rw, r)
	case strings.HasPrefix(path, "/a/"):
		time.Sleep(latency(path))
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(rw, articleHTML, path, path)
	case strings.HasPrefix(path, "/f/"):
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/f/"), ".xml"))
		if err != nil {
			http.NotFound(rw, r)
			return
		}
		w.feed(rw, r, i)
	default:
		http.NotFound(rw, r)
	}
}

func (w *web) feed(rw http.ResponseWriter, r *http.Request, i int) {
	kind := hash32("kind"+strconv.Itoa(i)) % 100
	if kind >= 2 && kind < 4 {
		time.Sleep(3 * time.Second)
	} else {
		time.Sleep(latency(r.URL.Path + r.Header.Get("If-None-Match") + strconv.Itoa(int(w.counter(i).Load()))))
	}
	switch {
	case kind < 2:
		rw.Header().Set("Retry-After", "1")
		http.Error(rw, "slow down", http.StatusTooManyRequests)
	case kind == 4:
		rw.Header().Set("Content-Type", "application/rss+xml")
		chunk := strings.Repeat("<!-- padding padding padding padding padding padding -->\n", 1024)
		for range 1536 << 10 / len(chunk) {
			if _, err := io.WriteString(rw, chunk); err != nil {
				return
			}
		}
	case kind == 5:
		rw.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(rw, "<rss><channel><item><title>broken &bogus; <<</")
	case kind == 6 && i%2 == 0:
		http.Error(rw, "internal error", http.StatusInternalServerError)
	case kind == 6:
		rw.Header().Set("Content-Type", "text/html")
		io.WriteString(rw, "<!doctype html><html><head><title>Moved on</title></head><body>We have no feed any more.</body></html>")
	case kind < 11: // fresh: two new items per answer, and the last eight
		n := int(w.counter(i).Add(1))
		var items []int
		for k := 2 * n; k > 0 && k > 2*n-10; k-- {
			items = append(items, k)
		}
		rw.Header().Set("Content-Type", "application/rss+xml")
		writeFeed(rw, r.Host, i, items, true)
	case kind < 19: // unchanged, no validators: recent items, seen before
		rw.Header().Set("Content-Type", "application/rss+xml")
		writeFeed(rw, r.Host, i, []int{1, 2, 3}, true)
	default: // unchanged, with validators
		etag := fmt.Sprintf(`"f%d-v1"`, i)
		if r.Header.Get("If-None-Match") == etag {
			rw.Header().Set("ETag", etag)
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("ETag", etag)
		rw.Header().Set("Content-Type", "application/rss+xml")
		writeFeed(rw, r.Host, i, []int{1, 2, 3}, false)
	}
}

// webStart dates the recent items.
var webStart = time.Now().UTC().Add(-time.Hour).Format(http.TimeFormat)

// writeFeed writes an RSS feed of the given items; recent items are dated
// an hour before the web started, the others in 2020 (older than
// max_item_age, so never looked at).
func writeFeed(w io.Writer, host string, feed int, items []int, recent bool) {
	date := "Wed, 01 Jan 2020 10:00:00 GMT"
	if recent {
		date = webStart
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %d</title><link>http://%s/</link><language>en</language>`, feed, host)
	for _, n := range items {
		fmt.Fprintf(w, `<item><title>Chip export controls, part %d</title><link>http://%s/a/%d/%d.html</link><guid>f%d-%d</guid><pubDate>%s</pubDate><description>Nvidia, Huawei and the new rules.</description></item>`,
			n, host, feed, n, feed, n, date)
	}
	io.WriteString(w, "</channel></rss>")
}

// articleHTML is an on-topic article page; %s is its path (title and
// canonical URL).
const articleHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Export controls %s</title>
<link rel="canonical" href="%s"></head><body><header><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav></header>
<article><h1>US tightens export controls on AI chips to China</h1>
<p>Washington has widened its export controls on advanced AI chips, adding new restrictions on Nvidia's H20 and similar accelerators sold to Chinese customers. The Commerce Department said the rules close loopholes that let Chinese AI labs buy high-end hardware through third countries.</p>
<p>Huawei is expected to benefit as Chinese cloud providers turn to its Ascend processors. Analysts say DeepSeek and Alibaba's Qwen team have shown that open models trained on fewer chips can rival American systems, which has sharpened the debate in Washington about whether export controls work.</p>
<p>Nvidia said it would comply with the new rules. The company's China revenue has fallen sharply since the first round of controls in 2022, and it has designed several chips specifically to stay below the thresholds.</p>
<p>Beijing criticised the move as protectionism and promised to support its domestic semiconductor industry with new subsidies for chip design and manufacturing, including lithography equipment.</p>
</article><footer>Copyright</footer></body></html>`
