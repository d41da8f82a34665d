// Package configs holds newsdesk's bundled configuration files: the default
// outlets (default.yaml), the offline demo (demo.yaml) and topic profiles
// (topics/). They are embedded so that the binary runs its demo and finds
// its default topic profile without the source tree.
package configs

import "embed"

// Files is the embedded configs directory: default.yaml, demo.yaml and
// topics/*.yaml.
//
//go:embed *.yaml topics/*.yaml
var Files embed.FS
