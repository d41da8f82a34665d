package summarize

// Notes tell readers, in the digest's own language, how an edition was
// degraded. The texts are the catalog's note.* messages (internal/lang),
// written for readers: they say what happened to the text they read, not
// what an operator should do (the end-of-edition report in the log does
// that).

type noteKind int

const (
	noteLLMDown noteKind = iota
	noteLLMBusy
	noteLLMSlow
	noteLLMPartial
	noteRejected
	noteAllRejected
)

var noteKeys = map[noteKind]string{
	noteLLMDown:     "note.llm_down",
	noteLLMBusy:     "note.llm_busy",
	noteLLMSlow:     "note.llm_slow",
	noteLLMPartial:  "note.llm_partial",
	noteRejected:    "note.rejected",
	noteAllRejected: "note.all_rejected",
}

func (s *Stage) note(kind noteKind, lang string, n int) string {
	return s.langs.Get(lang).T(noteKeys[kind], "n", n)
}
