package topic

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"go.yaml.in/yaml/v3"
)

// Defaults for the scoring knobs of a profile.
const (
	DefaultTitleMultiplier = 2.0
	DefaultRepeatBonus     = 0.25
	DefaultMaxRepeatFactor = 2.0
	DefaultWindow          = 40
	DefaultStrongWeight    = 3.0
	DefaultMediumWeight    = 1.5
	DefaultContextWeight   = 0.5
)

// Tier names.
const (
	TierStrong  = "strong"
	TierMedium  = "medium"
	TierContext = "context"
)

// maxProfileBytes bounds what Load reads; a profile is a hand-written file.
const maxProfileBytes = 1 << 20

// Spec is the YAML form of a profile.
type Spec struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// TitleMultiplier is the factor for a term found in the title.
	TitleMultiplier float64 `yaml:"title_multiplier"`
	// RepeatBonus is added to the factor for each further mention in the text.
	RepeatBonus float64 `yaml:"repeat_bonus"`
	// MaxRepeatFactor caps the factor reached by repeated mentions.
	MaxRepeatFactor float64 `yaml:"max_repeat_factor"`
	// Window is how many words apart the sets of a group may match in the text.
	Window  int         `yaml:"window"`
	Weights Weights     `yaml:"weights"`
	Terms   []TermSpec  `yaml:"terms"`
	Groups  []GroupSpec `yaml:"groups"`
}

// Weights per tier.
type Weights struct {
	Strong  float64 `yaml:"strong"`
	Medium  float64 `yaml:"medium"`
	Context float64 `yaml:"context"`
}

// TermSpec is a list of patterns sharing a tier (and optionally a language).
type TermSpec struct {
	Tier string `yaml:"tier"`
	// Lang restricts the patterns to texts in that language ("de", "en");
	// empty means every language.
	Lang string `yaml:"lang"`
	// Weight overrides the tier weight when set.
	Weight float64  `yaml:"weight"`
	Match  []string `yaml:"match"`
}

// GroupSpec counts only when every set in All matched.
type GroupSpec struct {
	Name   string     `yaml:"name"`
	Tier   string     `yaml:"tier"`
	Lang   string     `yaml:"lang"`
	Weight float64    `yaml:"weight"`
	All    [][]string `yaml:"all"`
}

// Profile is a compiled topic profile.
type Profile struct {
	name            string
	titleMultiplier float64
	repeatBonus     float64
	maxRepeat       float64
	window          int
	terms           []term
	groups          []group
}

type term struct {
	label   string
	weight  float64
	context bool
	lang    string
	pat     pattern
}

type group struct {
	label  string
	weight float64
	lang   string
	sets   [][]pattern
}

// Name is the profile's name.
func (p *Profile) Name() string { return p.name }

// Load reads and compiles a profile file. Unknown keys are errors, so a typo
// in a profile does not silently drop terms.
func Load(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("topic: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProfileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("topic: reading %s: %w", path, err)
	}
	if len(data) > maxProfileBytes {
		return nil, fmt.Errorf("topic: %s is larger than %d bytes", path, maxProfileBytes)
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("topic: %s: %w", path, err)
	}
	return p, nil
}

// Parse decodes (strictly) and compiles a profile from YAML.
func Parse(data []byte) (*Profile, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty profile")
		}
		return nil, fmt.Errorf("decoding profile: %w", err)
	}
	return Compile(s)
}

// Defaults fills zero knobs with the named defaults.
func (s *Spec) Defaults() {
	s.TitleMultiplier = cmp.Or(s.TitleMultiplier, DefaultTitleMultiplier)
	s.RepeatBonus = cmp.Or(s.RepeatBonus, DefaultRepeatBonus)
	s.MaxRepeatFactor = cmp.Or(s.MaxRepeatFactor, DefaultMaxRepeatFactor)
	s.Window = cmp.Or(s.Window, DefaultWindow)
	s.Weights.Strong = cmp.Or(s.Weights.Strong, DefaultStrongWeight)
	s.Weights.Medium = cmp.Or(s.Weights.Medium, DefaultMediumWeight)
	s.Weights.Context = cmp.Or(s.Weights.Context, DefaultContextWeight)
}

// Compile validates a spec (after filling defaults) and builds the Profile.
func Compile(s Spec) (*Profile, error) {
	s.Defaults()
	var errs []error
	if s.Name == "" {
		errs = append(errs, errors.New("name is required"))
	}
	if s.TitleMultiplier < 1 {
		errs = append(errs, fmt.Errorf("title_multiplier %v: want >= 1", s.TitleMultiplier))
	}
	if s.RepeatBonus < 0 || s.MaxRepeatFactor < 1 {
		errs = append(errs, errors.New("repeat_bonus must be >= 0 and max_repeat_factor >= 1"))
	}
	if s.Window < 1 {
		errs = append(errs, fmt.Errorf("window %d: want >= 1", s.Window))
	}
	for _, v := range []float64{s.TitleMultiplier, s.RepeatBonus, s.MaxRepeatFactor, s.Weights.Strong, s.Weights.Medium, s.Weights.Context} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("weights and multipliers must be finite and not negative, got %v", v))
		}
	}
	p := &Profile{
		name:            s.Name,
		titleMultiplier: s.TitleMultiplier,
		repeatBonus:     s.RepeatBonus,
		maxRepeat:       s.MaxRepeatFactor,
		window:          s.Window,
	}
	seen := map[string]bool{}
	for i, ts := range s.Terms {
		w, err := s.Weights.weight(ts.Tier, ts.Weight)
		if err != nil {
			errs = append(errs, fmt.Errorf("terms[%d]: %w", i, err))
			continue
		}
		if len(ts.Match) == 0 {
			errs = append(errs, fmt.Errorf("terms[%d]: match is empty", i))
		}
		for _, m := range ts.Match {
			pat, err := compilePattern(m)
			if err != nil {
				errs = append(errs, fmt.Errorf("terms[%d]: %w", i, err))
				continue
			}
			key := ts.Lang + "\x00" + m
			if seen[key] {
				errs = append(errs, fmt.Errorf("terms[%d]: pattern %q listed twice", i, m))
				continue
			}
			seen[key] = true
			p.terms = append(p.terms, term{label: m, weight: w, context: ts.Tier == TierContext, lang: normLang(ts.Lang), pat: pat})
		}
	}
	for i, gs := range s.Groups {
		if gs.Tier == TierContext {
			errs = append(errs, fmt.Errorf("groups[%d] %q: a group cannot be context-only", i, gs.Name))
			continue
		}
		w, err := s.Weights.weight(gs.Tier, gs.Weight)
		if err != nil {
			errs = append(errs, fmt.Errorf("groups[%d] %q: %w", i, gs.Name, err))
			continue
		}
		if gs.Name == "" {
			errs = append(errs, fmt.Errorf("groups[%d]: name is required", i))
		}
		if len(gs.All) < 2 {
			errs = append(errs, fmt.Errorf("groups[%d] %q: need at least two sets in all", i, gs.Name))
			continue
		}
		g := group{label: gs.Name, weight: w, lang: normLang(gs.Lang)}
		for j, set := range gs.All {
			if len(set) == 0 {
				errs = append(errs, fmt.Errorf("groups[%d] %q: set %d is empty", i, gs.Name, j))
			}
			var pats []pattern
			for _, m := range set {
				pat, err := compilePattern(m)
				if err != nil {
					errs = append(errs, fmt.Errorf("groups[%d] %q: %w", i, gs.Name, err))
					continue
				}
				pats = append(pats, pat)
			}
			g.sets = append(g.sets, pats)
		}
		p.groups = append(p.groups, g)
	}
	if len(p.terms) == 0 && len(p.groups) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("profile has no terms and no groups"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("profile %q: %w", s.Name, err)
	}
	return p, nil
}

func (w Weights) weight(tier string, override float64) (float64, error) {
	if override < 0 || math.IsNaN(override) || math.IsInf(override, 0) {
		return 0, fmt.Errorf("weight %v: must not be negative", override)
	}
	var base float64
	switch tier {
	case TierStrong:
		base = w.Strong
	case TierMedium:
		base = w.Medium
	case TierContext:
		base = w.Context
	default:
		return 0, fmt.Errorf("tier %q: want strong, medium or context", tier)
	}
	if override > 0 {
		return override, nil
	}
	return base, nil
}
