# llmchaos: the two commands that matter are `make demo` (the main job) and `make test`.
GO       ?= go
PKGS     ?= ./...
GOFILES   = $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go')

.PHONY: test lint vet fmt bench demo demo-naive build apps

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
# BenchmarkFaultTakesEffect opens a few connections per fault cycle; a fixed 500 cycles
# keeps it from exhausting the loopback ephemeral ports (TIME_WAIT), which it would
# otherwise measure instead of the fault.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./mocks/...
	$(GO) test -run '^$$' -bench 'DriverFidelity|ProxyOverhead' -benchmem -count 1 ./harness/
	$(GO) test -run '^$$' -bench 'FaultTakesEffect' -benchtime 500x -count 1 ./harness/

## build: the CLI and the two reference apps into bin/
build:
	$(GO) build -o bin/llmchaos ./cmd/llmchaos
	$(GO) build -o bin/gateway ./examples/gateway
	$(GO) build -o bin/naive ./examples/naive

REPORT ?= chaos-report

## demo: the main job: the headline scenarios against the resilient gateway, report in $(REPORT)/
demo: build
	./bin/llmchaos run --label headline --sut-cmd bin/gateway --out $(REPORT) scenarios/

## demo-naive: the same scenarios against the naive app, to see them fail (exit 1 is expected)
demo-naive: build
	-./bin/llmchaos run --label headline --sut-cmd bin/naive --out $(REPORT)-naive scenarios/
