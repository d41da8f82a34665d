package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionLine says which newsdesk this is: the module version and the VCS
// revision the Go toolchain stamped into the binary (go build and go
// install from a git checkout or a module version do; go run does not).
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	return formatVersion(info, ok, runtime.GOOS+"/"+runtime.GOARCH)
}

// formatVersion renders build info as one line:
//
//	newsdesk v0.3.1 (git 1a2b3c4d5e6f, 2026-11-29T10:00:00Z), go1.26.8 linux/amd64
//	newsdesk v0.0.0-20261129100000-1a2b3c4d5e6f+dirty (git 1a2b3c4d5e6f, modified, …), …
//	newsdesk (devel), built without version control information (go run, -buildvcs=false or outside a git checkout), go1.26.8 linux/amd64
func formatVersion(info *debug.BuildInfo, ok bool, platform string) string {
	if !ok || info == nil {
		return "newsdesk (version unknown: the binary carries no build information), " + runtime.Version() + " " + platform
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	vcs := ""
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		vcs = settings["vcs"] + " " + rev
		if settings["vcs.modified"] == "true" {
			vcs += ", modified"
		}
		if t := settings["vcs.time"]; t != "" {
			vcs += ", " + t
		}
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	switch {
	case vcs != "":
		return fmt.Sprintf("newsdesk %s (%s), %s %s", version, vcs, goVersion, platform)
	case version == "(devel)":
		return fmt.Sprintf("newsdesk (devel), built without version control information (go run, -buildvcs=false or outside a git checkout), %s %s", goVersion, platform)
	default:
		return fmt.Sprintf("newsdesk %s, %s %s", version, goVersion, platform)
	}
}
