package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// page is one corpus article page and what the corpus knows of its text.
type page struct {
	name, lang, set string
	url             *url.URL
	html            []byte
	truth           truth
}

// truth is a page's ground truth: its main text (scrapinghub, readability)
// or segments that must not be in it (trafilatura-eval).
type truth struct {
	text    string
	without []string
}

// loadPages reads articles/INDEX.tsv (columns: file, expected file,
// language, source, set, url) and returns the German and English pages of
// the split.
func loadPages(dir, split string, k int) ([]page, error) {
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		return nil, fmt.Errorf("corpus index: %w", err)
	}
	defer f.Close()
	var pages []page
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 6 || (cols[2] != "de" && cols[2] != "en") {
			continue
		}
		n := seen[cols[2]]
		seen[cols[2]]++
		if !inSplit(n, split, k) {
			continue
		}
		p := page{name: cols[0], lang: cols[2], set: cols[4]}
		if p.url, err = url.Parse(cols[5]); err != nil || p.url.Host == "" {
			p.url, _ = url.Parse("https://example.org/" + cols[0])
		}
		if p.html, err = gunzip(filepath.Join(dir, cols[0])); err != nil {
			return nil, err
		}
		exp, err := os.ReadFile(filepath.Join(dir, cols[1]))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		if p.truth, err = parseTruth(p.set, cols[1], exp); err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("corpus index: %w", err)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no pages in split %q of %s", split, dir)
	}
	return pages, nil
}

// inSplit reports whether the n-th page of a language (from 0) is in the
// split: tune takes n mod k == 0, holdout n mod k == k/2.
func inSplit(n int, split string, k int) bool {
	switch split {
	case "tune":
		return n%k == 0
	case "holdout":
		return n%k == k/2
	case "all":
		return n%k == 0 || n%k == k/2
	}
	return false
}

func parseTruth(set, file string, exp []byte) (truth, error) {
	var t truth
	switch set {
	case "scrapinghub":
		var v struct {
			ArticleBody string `json:"articleBody"`
		}
		if err := json.Unmarshal(exp, &v); err != nil {
			return t, fmt.Errorf("%s: %w", file, err)
		}
		t.text = v.ArticleBody
	case "trafilatura-eval":
		var v struct {
			Without []string `json:"without"`
		}
		if err := json.Unmarshal(exp, &v); err != nil {
			return t, fmt.Errorf("%s: %w", file, err)
		}
		t.without = v.Without
	case "readability":
		// The expected file is the text of Readability.js's output.
		t.text = string(exp)
	}
	return t, nil
}

func gunzip(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", path, err)
	}
	return b, nil
}
