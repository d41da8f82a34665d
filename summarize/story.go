package summarize

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/summarize/cluster"
)

// story is one cluster of articles on the same event.
type story struct {
	id    string
	items []*item // ordered by relevance, most relevant first
	// independent counts reports that are not copies of one another:
	// five outlets running the same wire text are one report.
	independent int
	outlets     int
	score       float64
	update      bool
	previous    map[string]string // earlier edition's headline per language
	fresh       []*item           // items not in an earlier edition (all for a new story)
	anchors     []string          // strongest anchors, remembered across editions
}

// stories turns clusters into ranked stories: most independent reports,
// relevance and recency first. ref is the edition time.
func (s *Stage) stories(items []*item, groups [][]int, ref time.Time) []*story {
	maxRel := 0.0
	for _, it := range items {
		maxRel = math.Max(maxRel, it.a.Relevance)
	}
	out := make([]*story, 0, len(groups))
	for _, g := range groups {
		st := &story{}
		ids := make([]string, 0, len(g))
		for _, i := range g {
			st.items = append(st.items, items[i])
			ids = append(ids, items[i].a.ID)
		}
		slices.SortStableFunc(st.items, func(a, b *item) int {
			if c := cmp.Compare(b.a.Relevance, a.a.Relevance); c != 0 {
				return c
			}
			if c := b.when.Compare(a.when); c != 0 {
				return c
			}
			return cmp.Compare(a.a.ID, b.a.ID)
		})
		slices.Sort(ids)
		// The id depends only on the member articles: stable across
		// re-runs and the same in every language.
		st.id = "s-" + hashKey(ids...)[:16]
		st.fresh = st.items
		st.measure()
		st.anchors = topAnchors(st.items, 12)
		st.score = score(st, maxRel, ref)
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b *story) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return out
}

// measure counts outlets and independent reports (near-duplicate groups).
func (st *story) measure() {
	outlets := map[string]bool{}
	var reps []*item
	for _, it := range st.items {
		outlets[it.a.Source] = true
		dup := false
		for _, r := range reps {
			if cluster.Copies(it.doc, r.doc) {
				dup = true
				break
			}
		}
		if !dup {
			reps = append(reps, it)
		}
	}
	st.outlets, st.independent = len(outlets), len(reps)
}

// score ranks a story. Independent reports weigh most (the story matters to
// many newsrooms), copies carried by further outlets a little, topic
// relevance and recency next, and coverage in both languages a bonus.
func score(st *story, maxRel float64, ref time.Time) float64 {
	var rel float64
	if maxRel > 0 {
		for i, it := range st.items {
			if i == 3 {
				break
			}
			rel += it.a.Relevance / maxRel / float64(min(3, len(st.items)))
		}
	}
	newest := time.Time{}
	langs := map[string]bool{}
	for _, it := range st.items {
		if it.when.After(newest) {
			newest = it.when
		}
		langs[it.lang()] = true
	}
	recency := 0.0
	if !newest.IsZero() && !ref.IsZero() {
		age := ref.Sub(newest).Hours()
		if age < 0 {
			age = 0
		}
		recency = math.Exp(-age / 24)
	}
	bilingual := 0.0
	if len(langs) > 1 {
		bilingual = 0.3
	}
	return 1.0*math.Log2(1+float64(st.independent)) +
		0.3*math.Log2(1+float64(st.outlets-st.independent)) +
		1.0*rel + 0.5*recency + bilingual
}

// topAnchors are the strongest shared-vocabulary features of a story, kept
// in memory to recognize the story in a later edition.
func topAnchors(items []*item, n int) []string {
	sum := map[string]float64{}
	for _, it := range items {
		for k, v := range it.doc.Anchors {
			sum[k] += v
		}
	}
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(sum[b], sum[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

// inLang returns the story's fresh items in lang.
func (st *story) inLang(lang string) []*item {
	var out []*item
	for _, it := range st.fresh {
		if it.lang() == lang {
			out = append(out, it)
		}
	}
	return out
}

// select picks up to n stories, skipping any whose articles look like an
// already chosen story after all (similar at 3/4 of the threshold): the
// last guard against one event filling an edition.
func (s *Stage) pick(stories []*story, n int, ok func(*story) bool) []*story {
	var out []*story
	for _, st := range stories {
		if len(out) == n {
			break
		}
		if ok != nil && !ok(st) {
			continue
		}
		dup := false
		for _, o := range out {
			if s.storySim(st, o) >= 0.75 {
				dup = true
				s.log.Info("story left out as a version of another", "story_id", st.id, "version_of", o.id, "title", st.items[0].a.Title)
				break
			}
		}
		if !dup {
			out = append(out, st)
		}
	}
	return out
}

// storySim is the average normalized pair similarity of two stories.
func (s *Stage) storySim(a, b *story) float64 {
	var sum float64
	for _, x := range a.items {
		for _, y := range b.items {
			sum += s.pairSim(x, y)
		}
	}
	return sum / float64(len(a.items)*len(b.items))
}

// sources lists items as digest sources.
func sources(items []*item) []news.Source {
	out := make([]news.Source, len(items))
	for i, it := range items {
		// The canonical URL, which ingest accepts only on the page's own
		// domain and strips of tracking parameters, is the link to cite.
		link := cmp.Or(it.a.CanonicalURL, it.a.URL)
		out[i] = news.Source{Outlet: outletName(it.a), Title: normalizeSpace(it.a.Title), URL: link, Language: it.lang()}
	}
	return out
}

func outletName(a news.Article) string {
	for _, s := range []string{a.Outlet, a.SiteName, a.Source} {
		if s = normalizeSpace(s); s != "" {
			return s
		}
	}
	return "unknown"
}
