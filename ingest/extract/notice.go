package extract

import (
	"regexp"
	"strings"
)

// House notices are the publisher's own lines that sit before or after the
// article proper: reprint and licence terms, opinion and affiliate
// disclaimers, app, newsletter, social and donation pitches, "this piece
// first ran in our print issue". Mid-article the same words can be prose
// ("the company asked subscribers to download its app"), so these patterns
// are only tested on blocks at the edges of the text, and only on blocks
// short enough to be a notice rather than a paragraph of reporting.
// noticeRules are matched against the lower-cased text. Go's regexp costs
// tens of microseconds per expression on a paragraph, so each expression
// has a gate: literals one of which must occur for it to match at all,
// found with strings.Contains first.
var noticeRules = compileNotices([]rawNotice{
	// reprint, copyright and licence terms
	{[]string{"permission", "reprint", "copyrighted"}, `copyrighted property|written permission|without (prior |express )?(written )?permission|reprint(ed|ing)? `},
	{[]string{"rights reserved", "rechte vorbehalten", "nachdruck"}, `all rights reserved|alle rechte vorbehalten|nachdruck`},
	{[]string{" under ", "lizenz"}, `(published|licensed|veröffentlicht) under (the |a |der )?(lizenz|licen[cs]e|creative commons)|unter der lizenz`},
	{[]string{"citation", "zitiervorschlag"}, `suggested citation|zitiervorschlag`},
	// opinion and affiliate disclaimers
	{[]string{"views", "opinion", "meinung"}, `(views|opinions?) (expressed )?(in this|are (those )?of) |meinung des autors|meinung der autorin`},
	{[]string{"necessarily", "notwendigerweise", "unbedingt", "zwingend"}, `(do|does) not necessarily (reflect|represent)|nicht (notwendigerweise|unbedingt|zwingend) (die|der) `},
	{[]string{"commission", "compensation", "provision"}, `(receive|earn|get) (a )?(commission|compensation)|(eine |ggf\. |gegebenenfalls )?provision (vom|von|des)`},
	{[]string{"influence", "affiliate"}, `advertisers? (do(es)? not|don't) influence|affiliate`},
	// app, newsletter, social, donation and print-issue pitches
	{[]string{"app", "straight to your"}, `download (the|our) [\p{L}\d .'’-]*apps?\b|\bwith the [\p{L}\d .'’-]* app\b|in (einer|unserer|der) [\p{L}\d .-]*app\b|straight to your (phone|inbox)`},
	{[]string{"follow", "folgen sie"}, `^follow [\p{L}\d .@'’-]*\b(on|at) (twitter|facebook|instagram|linkedin|x)\b|^folgen sie [\p{L}\d .@-]*\b(auf|bei) (twitter|facebook|instagram|linkedin|x)\b`},
	{[]string{"newsletter", "informed", "sign up"}, `(receive|get|sign up for) our [\p{L} ]*newsletter|newsletter (abonnieren|bestellen)|want to be informed|sign up (here|now|today)`},
	{[]string{"subscriber", "join ", "become a"}, `subscribers? (also )?(receive|get)|join (now|today)|become a (member|subscriber|supporter)`},
	{[]string{"support", "unterstütz", "your help", "donate", "spenden"}, `support (us|our (work|journalism))|unterstütze (uns|unabhängige\w*)|support independent (journalism|reporting)|unterstützen sie (uns|unsere)|we need your help|donate|jetzt spenden`},
	{[]string{"advertise with", "werben sie", "want to hear", "to the editor", "leserbrief"}, `advertise with|werben sie (bei|mit)|we want to hear|letter to the editor|leserbrief`},
	{[]string{"erhältlich", "kiosk", "paper", "lesen sie"}, `im (handel|shop|zeitschriftenhandel) erhältlich|(am|an jedem) (bahnhofs)?kiosk|als e-?paper|lesen sie (das|die) [\p{L}\d -]*(magazin|heft|ausgabe)`},
	{[]string{"jobbörse", "stellenmarkt"}, `jobbörse|stellenmarkt`},
	// where the piece comes from: a print issue, a community blog
	{[]string{"stammt aus", "handel", "kiosk"}, `stammt aus (der |dem )?(ausgabe|heft|print)|(heft|ausgabe|magazin)\b[^.!?]*\b(im (zeitschriften)?handel|kiosk)`},
	{[]string{"appear", "was published"}, `(appeared|appears|was published) in (the )?(print|\w+ (issue|edition))`},
	{[]string{"handelt es sich", "guest"}, `handelt es sich um (ein(en?)? )?(blog|gastbeitrag|community)|^(this is a )?guest (post|column)\b`},
	// how to reach the writer, and who else reported
	{[]string{"reached at", "@"}, `\b(may|can) be reached at\b|^(e-?mail|contact|kontakt) [\p{L} .'’-]+ (at|via|unter) \S+@|^follow (him|her|them) (on twitter |on x )?(at )?@`},
	{[]string{"contributed", "mitarbeit", "mit material"}, `contributed (reporting )?to this (report|story|article)|\bmitarbeit:|^mit material (von|der|des)`},
	// browser push and medical, legal or financial advice disclaimers
	{[]string{"benachrichtigung", "push", "notifications"}, `benachrichtigung(en)? aktivieren|push-?(benachrichtigung|mitteilung|notification)|enable (push )?notifications`},
	{[]string{"advice"}, `(does|do) not (offer|provide|constitute|give) (any )?(medical|legal|financial|investment|professional) advice`},
	{[]string{"advice"}, `not (intended as|a substitute for) (medical|legal|financial|professional) advice`},
	{[]string{"ersetz", "disclaimer", "haftungsausschluss"}, `ersetzt? (keine|nicht die) (ärztliche|medizinische|rechtliche)|^disclaimer\b|^haftungsausschluss\b`},
})

type rawNotice struct {
	gate    []string
	pattern string
}

type noticeRule struct {
	gate []string
	re   *regexp.Regexp
}

func compileNotices(raw []rawNotice) []noticeRule {
	out := make([]noticeRule, len(raw))
	for i, r := range raw {
		out[i] = noticeRule{r.gate, regexp.MustCompile(r.pattern)}
	}
	return out
}

func (r noticeRule) find(t string) []int {
	for _, g := range r.gate {
		if strings.Contains(t, g) {
			return r.re.FindStringIndex(t)
		}
	}
	return nil
}

// maxNoticeLen bytes: a longer edge block is reporting, even if it mentions
// an app or a newsletter.
const maxNoticeLen = 600

// maxNotices is how many notice blocks may be removed from each edge; a
// text with more matching blocks is about these things, not furnished with
// them.
const maxNotices = 3

// longNotice bytes: in a longer block the notice must open it (within
// noticeLead bytes), since a lead paragraph may end on "(now at the kiosk)".
const (
	longNotice = 300
	noticeLead = 100
)

func isNotice(b block) bool {
	if len(b.text) > maxNoticeLen {
		return false
	}
	// Lower-casing first and matching case-sensitively is faster in Go's
	// regexp than (?i).
	t := strings.ToLower(b.text)
	for _, r := range noticeRules {
		if loc := r.find(t); loc != nil && (len(t) <= longNotice || loc[0] < noticeLead) {
			return true
		}
	}
	return false
}

// bioRe matches the opening of a contributor note: a name (or, when the
// name was a link that got dropped, nothing) followed by a description of
// the person's work.
var bioRe = regexp.MustCompile(`^((\p{Lu}[\p{L}.'’-]*\s){1,3})?(is|was|ist|war) (a|an|the|ein|eine|seit|(?i:gründungs\S*|founder|co-founder|professor|senior|freie[rn]?))\b|` +
	`^(\p{Lu}[\p{L}.'’-]*\s){1,3}(has (worked|been|written)|works as|arbeitet (als|seit)|schreibt (seit|für|über))\b|` +
	`^(I'm|I am|Ich bin) \p{Lu}\p{L}+\b`)

// bioWordRe are words that make a sentence about a person a biography;
// it is matched against the lower-cased text.
var bioWordRe = regexp.MustCompile(`\b(founder|gründ\w*|journalist\w*|writer|editor|author|autor\w*|correspondent|korrespondent\w*|consultant|berater\w*|` +
	`professor\w*|engineer|developer|entwickler\w*|redakteur\w*|rechtsanw\w*|lawyer|attorney|studied|studierte|graduated|career|karriere|` +
	`tätigkeitsfeld\w*|emerit\w*|my goal|mein ziel)\b`)

// isTrailingBio reports whether the last block is a note about the writer
// rather than the end of the story: it opens like a bio and names a
// profession. Only the final block is tested, where such notes sit.
func isTrailingBio(b block) bool {
	if len(b.text) > 500 || len(b.text) < 60 {
		return false
	}
	return bioRe.MatchString(strings.TrimSpace(b.text)) && bioWordRe.MatchString(strings.ToLower(b.text))
}
