// Package lint holds checks over the repository's own source and docs
// that go vet does not make. Its tests are the checks; `make lint` and
// `.ci/run` run them. It has no code of its own.
package lint
