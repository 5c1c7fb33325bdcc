# corpex — `make run` and `make test` do all the set-up on a fresh Debian 12.
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
PACKAGES   := build-essential cmake pkg-config libboost1.81-all-dev librocksdb-dev \
              libsimdjson-dev libssl-dev catch2 libbenchmark-dev openssl
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test run bench clean

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

bench: build
	$(BUILD)/perf/engine_bench

clean:
	rm -rf $(BUILD)
