# newsdesk — common tasks. `make help` lists them.
SHARED ?= ../shared

.PHONY: help demo test race ci build lint bench fault

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10

demo: ## the offline demo into /tmp/newsdesk-demo
	go run ./cmd/newsdesk demo --out /tmp/newsdesk-demo

test: ## the tests (what the README's quick start runs)
	go test ./...

race: ## the tests with the race detector
	go test -race -count=1 ./...

ci: ## everything CI runs, including the quality gates on $(SHARED)
	NEWSDESK_SHARED=$(SHARED) bash .ci/run

build: ## the binary, ./newsdesk
	go build -o newsdesk ./cmd/newsdesk

lint: ## gofmt, go vet, the log key check (docs/logging.md) and no citations of documents outside the repo
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	go test -count=1 ./internal/lint

bench: ## the benchmarks of the hot paths (extraction takes -corpus for real pages)
	go test -run XXX -bench . -benchtime 200x ./ingest/... ./summarize/... ./publish/...

fault: ## the fault test: stage processes on a three-node NATS cluster under kill -9 (about 8 minutes; docs/nats.md)
	go run ./scripts/fault-test
