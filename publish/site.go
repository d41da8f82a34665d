package publish

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// asset is one rendered file, kept in memory for HTTP and written to disk.
type asset struct {
	body    []byte
	etag    string // strong: quoted hash of body
	modTime time.Time
	ctype   string
}

// site holds every rendered file by its path relative to out_dir
// ("feeds/de.xml", "archive/de/index.html").
type site struct {
	outDir string
	mu     sync.RWMutex
	assets map[string]*asset
}

func newSite(outDir string) *site { return &site{outDir: outDir, assets: map[string]*asset{}} }

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// put stores body under rel and writes it to disk atomically. Unchanged
// bytes keep their old modification time: Last-Modified never moves
// unless the content did.
func (s *site) put(rel string, body []byte, ctype string, mod time.Time) error {
	s.mu.RLock()
	old := s.assets[rel]
	s.mu.RUnlock()
	if old != nil && bytes.Equal(old.body, body) {
		return nil
	}
	if err := writeFileAtomic(filepath.Join(s.outDir, filepath.FromSlash(rel)), body); err != nil {
		return err
	}
	a := &asset{body: body, etag: etagOf(body), modTime: mod.UTC().Truncate(time.Second), ctype: ctype}
	s.mu.Lock()
	s.assets[rel] = a
	s.mu.Unlock()
	return nil
}

func (s *site) get(rel string) *asset {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.assets[rel]
}

func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
