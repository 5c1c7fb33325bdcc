# corpex — `make run` and `make test` do all the set-up on a fresh Debian 12.
SHELL      := /bin/bash
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
PACKAGES   := build-essential cmake pkg-config libboost1.81-all-dev librocksdb-dev \
              libsimdjson-dev libssl-dev catch2 libbenchmark-dev openssl etcd-server
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test test-asan fuzz run bench clean

all: build

# Installs only what is missing; `apt-get update` first when something is.
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure --timeout 1500
	$(MAKE) test-web

# Starts the exchange on 127.0.0.1:8080 with its RocksDB data under var/,
# seeds the demo market (config/seed-demo.json; idempotent, so a rerun changes
# nothing) with the operator account of config/demo.json, and stays in the
# foreground with a gentle background load (corpex-load, 2 orders/s, its own
# LOAD<ts>.TRAIN instrument; log in var/load.log): Ctrl-C stops both.
DEMO_OPS_USER   := ops
DEMO_OPS_SECRET := demo-operator-secret
run: build web
	mkdir -p var
	@$(BUILD)/gateway/corpexd --config config/demo.json & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null; wait $$pid; exit 0' INT TERM; \
	export CORPEX_USER=$(DEMO_OPS_USER) CORPEX_SECRET=$(DEMO_OPS_SECRET); \
	up=; for i in $$(seq 1 150); do \
	  if $(BUILD)/tools/corpex-admin status >/dev/null 2>&1; then up=1; break; fi; \
	  kill -0 $$pid 2>/dev/null || break; sleep 0.2; \
	done; \
	if [ -z "$$up" ]; then echo "corpexd did not come up"; kill -TERM $$pid 2>/dev/null; wait $$pid; exit 1; fi; \
	$(BUILD)/tools/corpex-admin seed config/seed-demo.json || echo "seeding failed (see above)"; \
	$(BUILD)/tools/corpex-load --members 4 --rate 2 --duration 0 >var/load.log 2>&1 & lpid=$$!; \
	trap 'kill -TERM $$lpid 2>/dev/null; wait $$lpid; kill -TERM $$pid 2>/dev/null; wait $$pid; exit 0' INT TERM; \
	sleep 1; echo; sym=$$(head -1 var/load.log | grep -o 'LOAD[0-9]*\.TRAIN'); \
	echo "gentle background load (2 orders/s): $$(head -1 var/load.log)"; \
	echo "corpex demo market on ws://127.0.0.1:8080/v1  (GET /health, GET /metrics on the same port)"; \
	echo "  web console: http://127.0.0.1:8080/  (log in as ops / $(DEMO_OPS_SECRET), csrc / demo-regulator-secret, or a member)"; \
	echo "  operator:  CORPEX_USER=ops CORPEX_SECRET=$(DEMO_OPS_SECRET) $(BUILD)/tools/corpex-admin status"; \
	echo "             $(BUILD)/tools/corpex-admin book $$sym --user ops --secret $(DEMO_OPS_SECRET)"; \
	echo "  regulator: $(BUILD)/tools/corpex-report vouchers --program SZ-CORPUS-VOUCHER-2026 --user csrc --secret demo-regulator-secret"; \
	echo "  members:   log in with the secrets printed above (only on the first run; 'rm -rf var' starts afresh)"; \
	echo "Ctrl-C stops corpexd and the load."; \
	wait $$pid

# Every test again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPEX_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure --timeout 3000

# libFuzzer on the request decoder and the WebSocket frame reader (clang from
# Debian), FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: deps
	@for p in clang libclang-rt-14-dev; do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPEX_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target request_decoder_fuzz ws_reader_fuzz
	mkdir -p build-fuzz/corpus build-fuzz/ws_corpus
	cp tests/gateway/fuzz/corpus/* build-fuzz/corpus/
	cp tests/gateway/fuzz/ws_corpus/* build-fuzz/ws_corpus/
	@for t in request_decoder:corpus ws_reader:ws_corpus; do \
	  echo "fuzzing $${t%%:*} for $(FUZZ_SECONDS) s"; \
	  build-fuzz/tests/gateway/$${t%%:*}_fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    build-fuzz/$${t#*:} 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==.*ERROR)" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

bench: build
	$(BUILD)/perf/engine_bench
	$(BUILD)/perf/wire_bench

clean:
	rm -rf $(BUILD)

# The web console (gateway/web, served by corpexd from its config's web_root):
# `npm ci` when node_modules is missing or older than the lock file, then a
# Vite build into gateway/web/dist when dist is missing or a source is newer.
WEB     := gateway/web
WEB_SRC := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
           $(WEB)/index.html $(WEB)/vite.config.js $(WEB)/package.json $(WEB)/package-lock.json
.PHONY: web test-web

web: $(WEB)/dist/index.html

$(WEB)/node_modules/.package-lock.json: $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "web: npm (Node.js >= 20.19) is needed to build the console"; exit 1; }
	cd $(WEB) && npm ci --no-audit --no-fund

$(WEB)/dist/index.html: $(WEB_SRC) | $(WEB)/node_modules/.package-lock.json
	cd $(WEB) && npm run build

# Unit tests of the console's modules (node:test), then the end-to-end test:
# Debian's chromium, headless, against a real corpexd from $(BUILD).
test-web: build web
	@[ -x /usr/bin/chromium ] || { echo "installing: chromium"; $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }
	cd $(WEB) && node --test tests/unit/
	CORPEX_BUILD=$(abspath $(BUILD)) node $(WEB)/tests/e2e.mjs
