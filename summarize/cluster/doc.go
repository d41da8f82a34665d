// Package cluster groups news articles that report the same story: articles
// in, groups out. The summarize stage tells each group once, however many
// outlets carried it, in German and English.
//
// Two articles are one story when their anchors match — what reads the same
// in every language: names, product codes, numbers, month names, glossary
// concepts and the words the batch's languages share — or, in one
// language, when their wording does (a rewrite), or when their texts are
// near copies (syndicated wire copy under another headline), or, when the
// caller gives embeddings, when those are close. Evidence counts for less
// the further apart two articles were published, and nothing past four
// time windows. Groups are made by average-linkage clustering over that
// similarity (Clusterer.Group).
//
// Group never compares all pairs and holds no n×n matrix: inverted indexes
// with prefix filtering find the pairs that are one story on their own,
// and each connected component of those pairs is clustered apart, which
// gives exactly the groups of clustering all articles at once (the tests
// check this against the all-pairs algorithm). On the synthetic day five
// times the articles cost 4.7 times the CPU (BenchmarkCompose in package
// summarize). The filters' work depends on the data, though: articles that
// share their rarest features by the thousand, or one component of
// thousands of articles (its pairs are all compared, in a k×k matrix),
// cost more; and embeddings have no index, so with them every pair with
// vectors is compared.
//
// Use: an Extractor per batch turns each Article into a Doc; Group groups
// a batch's Docs; Similarity and Copies then compare Docs of that batch
// (the stage uses them to rank stories and to keep near-identical stories
// out of one edition).
package cluster
