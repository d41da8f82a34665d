package cluster

import (
	"cmp"
	"math"
	"slices"
)

// weigh gives every doc its unit TF-IDF word and anchor vectors over the
// batch. First the words that articles of more than one language share
// become anchors: in a German and an English text those are the names
// (Nvidia, Huawei, DeepSeek, Ascend) and loanwords, which is what
// cross-language clustering needs; so do words with digits ("H20").
//
// Feature ids go by document frequency, most frequent first (then by
// name), which is the order candidates.go's prefix filter needs, and makes
// every sum run in the same order on every run.
func weigh(docs []*Doc) {
	firstLang := map[string]string{}
	multi := map[string]bool{}
	for _, d := range docs {
		for _, c := range d.plain {
			w := c.key
			if l, ok := firstLang[w]; !ok {
				firstLang[w] = d.lang
			} else if l != d.lang {
				multi[w] = true
			}
		}
	}
	isShared := func(w string) bool { return multi[w] || hasDigit(w) }

	wdf, adf, sdf := map[string]int32{}, map[string]int32{}, map[string]int32{}
	for _, d := range docs {
		for _, c := range d.words {
			wdf[c.key]++
		}
		for _, c := range d.anchors {
			adf[c.key]++
		}
		for _, c := range d.plain {
			if isShared(c.key) {
				sdf[c.key]++
			}
		}
	}
	n := float64(len(docs))
	words := newDictionary(wdf, nil, n)
	anchors := newDictionary(adf, sdf, n)

	var buf []feature
	for _, d := range docs {
		buf = buf[:0]
		for _, c := range d.words {
			buf = append(buf, feature{words.id[c.key], c.n})
		}
		d.wordVec = unitVector(buf, words.idf)
		buf = buf[:0]
		for _, c := range d.anchors {
			buf = append(buf, feature{anchors.id[c.key], c.n})
		}
		for _, c := range d.plain {
			if isShared(c.key) {
				buf = append(buf, feature{anchors.shared[c.key], c.n})
			}
		}
		d.anchorVec = unitVector(buf, anchors.idf)
		d.anchorNames = anchors.names
	}
}

// dictionary numbers the features of one kind in a batch.
type dictionary struct {
	id     map[string]int32
	shared map[string]int32 // shared words, named "w:"+word
	names  []string
	idf    []float64
}

// newDictionary numbers the features of df and, as "w:"+word, of shared
// (document frequencies), most frequent first, with their smoothed inverse
// document frequency over n documents.
func newDictionary(df, shared map[string]int32, n float64) dictionary {
	type entry struct {
		name   string
		key    string
		df     int32
		shared bool
	}
	es := make([]entry, 0, len(df)+len(shared))
	for k, f := range df {
		es = append(es, entry{k, k, f, false})
	}
	for w, f := range shared {
		es = append(es, entry{"w:" + w, w, f, true})
	}
	slices.SortFunc(es, func(a, b entry) int {
		if c := cmp.Compare(b.df, a.df); c != 0 {
			return c
		}
		return cmp.Compare(a.name, b.name)
	})
	d := dictionary{id: make(map[string]int32, len(df)), shared: make(map[string]int32, len(shared)), names: make([]string, len(es)), idf: make([]float64, len(es))}
	for i, e := range es {
		if e.shared {
			d.shared[e.key] = int32(i)
		} else {
			d.id[e.key] = int32(i)
		}
		d.names[i] = e.name
		d.idf[i] = math.Log(1 + n/float64(e.df))
	}
	return d
}

type feature struct {
	id    int32
	count float64
}

// unitVector weighs counts by (1 + ln count) · idf and scales the vector
// to unit length.
func unitVector(fs []feature, idf []float64) sparse {
	slices.SortFunc(fs, func(a, b feature) int { return cmp.Compare(a.id, b.id) })
	v := sparse{ids: make([]int32, len(fs)), vals: make([]float64, len(fs))}
	var norm float64
	for i, f := range fs {
		x := (1 + math.Log(f.count)) * idf[f.id]
		v.ids[i], v.vals[i] = f.id, x
		norm += x * x
	}
	if norm == 0 {
		return v
	}
	norm = math.Sqrt(norm)
	for i := range v.vals {
		v.vals[i] /= norm
	}
	return v
}
