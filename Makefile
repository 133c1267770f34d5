# concbench: which concurrency model fits which work, measured here.
# Run `make help` for the targets.

GO        ?= go
PROFILE   ?= quick
RESULTS   ?= results
BUILD     := build
CONCBENCH := $(BUILD)/concbench

.PHONY: help test vet fmt-check unit python-unit smoke smoke-report bench report charts FORCE

help: ## list the targets
	@sed -n 's/^\([a-z-]*\):.*## \(.*\)/  make \1\t\2/p' $(MAKEFILE_LIST) | expand -t 20

test: vet fmt-check unit python-unit smoke smoke-report ## everything CI runs: vet, gofmt, race-checked tests, the Python harness's tests, a smoke run of every benchmark, its report

vet: ## go vet
	$(GO) vet ./...

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

unit: ## unit and integration tests under the race detector, -short sizes (20 min: the command's tests draw pages and run signalled and size-limited processes); a leaked child process panics (GODEBUG=execwait=2)
	GODEBUG=execwait=2 $(GO) test -race -short -count=1 -timeout 20m ./...

python-unit: ## the Python harness's own tests (python3 -m unittest in python/), when python3 is on PATH
	@if command -v python3 >/dev/null 2>&1; then cd python && python3 -m unittest; \
	  else echo "python3 is not on PATH: the Python harness's tests are skipped"; fi

smoke: $(CONCBENCH) ## one iteration of every benchmark at -short sizes (go test -bench . -benchtime 1x -short)
	rm -rf $(BUILD)/smoke
	$(CONCBENCH) bench -profile smoke -q -o $(BUILD)/smoke

smoke-report: $(CONCBENCH) ## the report pipeline end to end on the smoke run, into build/report/
	rm -rf $(BUILD)/report
	$(CONCBENCH) report -o $(BUILD)/report $(BUILD)/smoke/*/

bench: $(CONCBENCH) ## run PROFILE (quick or full) into a new file under results/<machine>/
	$(CONCBENCH) bench -profile $(PROFILE) -o $(RESULTS)

report: $(CONCBENCH) ## the main job: run PROFILE (quick unless PROFILE=full) here, then write the page of that run (results/<machine>/runs/<run>/README.md), beside the published one
	@file=$$($(CONCBENCH) bench -profile $(PROFILE) -o $(RESULTS)) && echo "results: $$file" && \
	  $(CONCBENCH) report -o $(RESULTS) -run "$$file"

charts: $(CONCBENCH) ## report the results already under results/: every machine's page, charts and the index
	$(CONCBENCH) report -o $(RESULTS)

$(CONCBENCH): FORCE
	$(GO) build -o $@ ./cmd/concbench
