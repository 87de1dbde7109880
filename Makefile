# llmchaos: the two commands that matter are `make demo` (the main job) and `make test`.
GO       ?= go
PKGS     ?= ./...
GOFILES   = $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go')

.PHONY: test lint vet fmt bench demo build

## test: lint, then every test with the race detector (the scenario catalog included)
test: lint
	$(GO) test -race -count=1 -timeout 14m $(PKGS)

## lint: gofmt check and go vet
lint:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $(GOFILES)

## bench: the performance benchmarks recorded in BENCHMARKS.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 $(PKGS)

build:
	$(GO) build -o bin/llmchaos ./cmd/llmchaos
