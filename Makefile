# S1mpleTrader — the two commands of the README.
#   make run   installs what is missing, builds (Release), runs the example backtest
#   make test  installs what is missing, builds, runs every test (ctest)
BUILD      ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc)
CLI        := $(BUILD)/frontends/cli/s1mpletrader

.PHONY: all deps configure build run test clean format

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  $$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run-example.sh $(CLI)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

clean:
	rm -rf $(BUILD)

format:
	@find backend services frontends plugins tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i
