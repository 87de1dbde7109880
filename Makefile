# llmchaos: the two commands that matter are `make demo` (the main job) and `make test`.
# Two Go modules: the project (.) and the reference apps (examples/, their own module).
GO       ?= go
PKGS     ?= ./...
GOFILES   = $(shell git ls-files '*.go' 2>/dev/null || find . -name '*.go')

# staticcheck, pinned; installed once into bin/tools/ (a fresh machine fetches it through
# the Go module proxy).
STATICCHECK_VERSION = v0.8.2
STATICCHECK         = bin/tools/staticcheck-$(STATICCHECK_VERSION)/staticcheck

.PHONY: test test-short catalog stability soak lint cross vet fmt bench bench-wrk demo demo-naive build apps

## test: lint and the cross-builds, then every test of both modules with the race detector
## (the scenario catalog, the CLI end-to-end runs and the ground-truth runs included)
test: lint cross
	$(GO) test -race -count=1 -timeout 14m $(PKGS)
	$(GO) -C examples test -race -count=1 -timeout 5m $(PKGS)

## test-short: the fast loop: lint, then the tests of both modules with -race -short, which
## skips the scenario catalog, the CLI end-to-end runs and the ground-truth runs
test-short: lint
	$(GO) test -race -short -count=1 -timeout 5m $(PKGS)
	$(GO) -C examples test -race -short -count=1 -timeout 5m $(PKGS)

## catalog: the scenario catalog against both reference apps once, without the race
## detector: 8 runs at once, longest first (LLMCHAOS_CATALOG_PARALLEL=N to change it; make
## test runs it with -race, 4 at once). Not part of make test.
catalog:
	$(GO) test -count=1 -timeout 10m -run '^TestCatalog$$' ./scenarios/

## stability: the catalog against both reference apps, every file 5 times (runner.Plan
## Repeat 5, the apps side by side, as many runs at once as the catalog: 8 without the
## race detector, 4 with it; LLMCHAOS_CATALOG_PARALLEL overrides); fails on any flip (a
## run missing its expected verdict, or a flaky SLO where the app should pass) and prints the table recorded in
## BENCHMARKS.md. STABILITY_FLAGS=-race runs make test's build (about 4 times longer).
## Not part of make test. Takes the heavy lock, like bench-wrk.
STABILITY_REPEAT ?= 5
STABILITY_FLAGS  ?=
stability:
	LLMCHAOS_STABILITY_REPEAT=$(STABILITY_REPEAT) flock /tmp/llmchaos-heavy.lock $(GO) test $(STABILITY_FLAGS) -count=1 -timeout 120m -run '^TestStability$$' -v ./scenarios/

## soak: the long run (issue 12), not part of make test: `llmchaos run` with its embedded
## Toxiproxy and mocks against the reference gateway, SOAK_DURATION (10m) at SOAK_RATE
## (500) streamed requests/s, beside a standalone `llmchaos mock llm` with a bounded journal
## at SOAK_MOCK_RATE (by default the same rate); prints RSS over time (harness, app, mock)
## and checks the report renders and the mock's memory stays flat (bench/soak,
## BENCHMARKS.md). SOAK_WORDS=N: N-word answers (24 by default). Takes the heavy lock.
## A trial: make soak SOAK_DURATION=1m
## SOAK_MEMPROFILE=FILE: the harness's heap profile at the load's end (llmchaos run --memprofile)
SOAK_DURATION ?= 10m
SOAK_RATE     ?= 500
SOAK_OUT      ?= chaos-report-soak
soak: build
	$(GO) build -o bin/soak ./bench/soak
	SOAK_DURATION=$(SOAK_DURATION) SOAK_RATE=$(SOAK_RATE) flock /tmp/llmchaos-heavy.lock \
		bin/soak -llmchaos bin/llmchaos -gateway bin/gateway -out $(SOAK_OUT)

## lint: gofmt check, go vet and staticcheck over both modules
lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l $(GOFILES)); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) -C examples vet $(PKGS)
	$(STATICCHECK) $(PKGS)
	cd examples && $(CURDIR)/$(STATICCHECK) $(PKGS)

## cross: the CLI built for macOS and Windows, and go vet of every package (tests
## included) for both: they are built here, tested on Linux only
cross:
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/llmchaos
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/llmchaos
	GOOS=darwin GOARCH=arm64 $(GO) vet $(PKGS)
	GOOS=windows GOARCH=amd64 $(GO) vet $(PKGS)

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(dir $(STATICCHECK)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

fmt:
	gofmt -w $(GOFILES)

## bench: the performance benchmarks recorded in BENCHMARKS.md
# BenchmarkFaultTakesEffect opens a few connections per fault cycle; a fixed 500 cycles
# keeps it from exhausting the loopback ephemeral ports (TIME_WAIT), which it would
# otherwise measure instead of the fault.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./mocks/...
	$(GO) test -run '^$$' -bench 'DriverFidelity' -benchmem -count 1 ./harness/load/
	$(GO) test -run '^$$' -bench 'ProxyOverhead' -benchmem -count 1 ./harness/
	$(GO) test -run '^$$' -bench 'FaultTakesEffect' -benchtime 500x -count 1 ./harness/

## bench-wrk: under wrk (installed with apt-get when missing), alternating runs, every
## run's figure printed (BENCHMARKS.md): the LLM mock against a bare handler, and its
## Responses API against Chat Completions; takes the heavy lock so other test runs on
## the machine do not pollute it
bench-wrk:
	flock /tmp/llmchaos-heavy.lock bench/wrk-mock.sh
	$(GO) build -o bin/llmchaos ./cmd/llmchaos
	flock /tmp/llmchaos-heavy.lock bench/wrk-responses-vs-chat.sh bin/llmchaos

## build: the CLI and the two reference apps into bin/
build:
	$(GO) build -o bin/llmchaos ./cmd/llmchaos
	$(GO) -C examples build -o ../bin/gateway ./gateway
	$(GO) -C examples build -o ../bin/naive ./naive

REPORT ?= chaos-report

## demo: the main job: the headline scenarios against the resilient gateway, report in $(REPORT)/
demo: build
	./bin/llmchaos run --label headline --sut-cmd bin/gateway --out $(REPORT) scenarios/

## demo-naive: the same scenarios against the naive app, to see them fail (exit 1 is expected)
demo-naive: build
	-./bin/llmchaos run --label headline --sut-cmd bin/naive --out $(REPORT)-naive scenarios/
