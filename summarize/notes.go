package summarize

// Notes tell readers, in the digest's own language, how an edition was
// degraded. The texts are the catalog's note.* messages (internal/lang).

type noteKind int

const (
	noteLLMDown noteKind = iota
	noteLLMSlow
	noteLLMPartial
	noteRejected
	noteAllRejected
)

var noteKeys = map[noteKind]string{
	noteLLMDown:     "note.llm_down",
	noteLLMSlow:     "note.llm_slow",
	noteLLMPartial:  "note.llm_partial",
	noteRejected:    "note.rejected",
	noteAllRejected: "note.all_rejected",
}

func (s *Stage) note(kind noteKind, lang string, n int) string {
	return s.langs.Get(lang).T(noteKeys[kind], "n", n)
}
