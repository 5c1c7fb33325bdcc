# corpex — `make run` and `make test` do all the set-up on a fresh Debian 12.
SHELL      := /bin/bash
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
PACKAGES   := build-essential cmake pkg-config libboost1.81-all-dev librocksdb-dev \
              libsimdjson-dev libssl-dev catch2 libbenchmark-dev openssl
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

# Starts the exchange on 127.0.0.1:8080 with its RocksDB data under var/.
run: build
	mkdir -p var
	$(BUILD)/gateway/corpexd --config config/demo.json

# Every test again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPEX_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure --timeout 3000

# libFuzzer on the request decoder (clang from Debian), FUZZ_SECONDS long.
FUZZ_SECONDS ?= 60
fuzz: deps
	@for p in clang libclang-rt-14-dev; do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORPEX_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target request_decoder_fuzz
	mkdir -p build-fuzz/corpus && cp tests/gateway/fuzz/corpus/* build-fuzz/corpus/
	build-fuzz/tests/gateway/request_decoder_fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	  build-fuzz/corpus 2>&1 | grep -E "^(stat::number_of_executed_units|Done|==.*ERROR)" ; \
	  test $${PIPESTATUS[0]} -eq 0

bench: build
	$(BUILD)/perf/engine_bench

clean:
	rm -rf $(BUILD)
