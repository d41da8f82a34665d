package extractive

import (
	"strings"
)

// junkMarkers are phrases that mark a sentence as page furniture rather
// than news: bylines, photo credits, cross-links, newsletter and social
// prompts, copyright lines. Matched case-insensitively as substrings.
var junkMarkers = []string{
	"lesen sie auch", "lesen sie mehr", "mehr zum thema", "auch interessant", "zum artikel",
	"foto:", "fotos:", "bild:", "bildquelle", "quelle: dpa", "© ", "(c) ", "copyright",
	"alle rechte vorbehalten", "all rights reserved", "newsletter", "abonnieren", "jetzt abonnieren",
	"folgen sie uns", "follow us", "sign up", "subscribe", "click here", "klicken sie",
	"read more", "read also", "related:", "related articles", "photo:", "photograph:", "image:",
	"getty images", "scroll down", "video:", "watch:", "advertisement", "anzeige", "werbung",
	"cookie", "javascript", "teilen sie", "share this", "e-mail to a friend", "werbeblocker", "adblocker",
	"ad blocker", "unterstützen sie uns", "support our journalism",
}

// junkPrefixes mark bylines and datelines when they open the sentence.
var junkPrefixes = []string{
	"von ", "by ", "updated ", "aktualisiert ", "published ", "veröffentlicht ", "stand: ",
}

// isJunk reports whether a sentence is page furniture. words is its word
// count; markers false says the sentence has none of the markers' first
// words, so the substring search can be skipped.
func isJunk(s string, words int, markers bool) bool {
	low := ""
	if markers {
		low = strings.ToLower(s)
		for _, m := range junkMarkers {
			if strings.Contains(low, m) {
				return true
			}
		}
	}
	// A byline is short: "Von Anna Muster, Berlin", "By John Smith, CNN".
	if words <= 8 {
		if low == "" {
			low = strings.ToLower(s)
		}
		for _, p := range junkPrefixes {
			if strings.HasPrefix(low, p) {
				return true
			}
		}
	}
	return false
}
