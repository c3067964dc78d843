# codetable — `make test` installs whatever is missing, then runs every suite.
# Each tool step is idempotent: it checks before it installs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: fuzz c-test python-test wasm-test kotlin-test lsp-test vscode-test recall-test package-check test tools tools-rust tools-wasm fmt-check clippy rust-test wasm-build bench catalog catalog-report

test: tools fmt-check clippy rust-test wasm-build c-test python-test wasm-test kotlin-test lsp-test vscode-test recall-test package-check
	@echo "make test: all suites passed"

tools: tools-rust tools-wasm

tools-rust:
	@command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup" >&2; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

tools-wasm:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! command -v clang >/dev/null || ! command -v llvm-ar >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang llvm >/dev/null; \
	fi

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p codetable --no-default-features --all-targets -- -D warnings

rust-test:
	$(CARGO) test --workspace

# The core crate must build for the browser playground.
wasm-build: tools-wasm
	eval "$$(scripts/wasm-env.sh)" && $(CARGO) build --release -p codetable --target wasm32-unknown-unknown

bench:
	$(CARGO) bench -p codetable

# Fuzzing (issue #20). The targets live in fuzz/src/lib.rs; `cargo test --workspace` (rust-test)
# runs each for a few seconds on the stable toolchain over mutated seeds (fuzz/tests/smoke.rs).
# `make fuzz` runs each with cargo-fuzz (libFuzzer, nightly) for FUZZ_SECONDS; new inputs go to
# target/fuzz-corpus/<target>, crashes to fuzz/libfuzzer/artifacts/<target>.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= database catalog_toml rule_template edits
fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	for t in $(FUZZ_TARGETS); do \
		mkdir -p target/fuzz-corpus/$$t; \
		$(CARGO) +nightly fuzz run --fuzz-dir fuzz/libfuzzer --target-dir target/libfuzzer $$t target/fuzz-corpus/$$t fuzz/corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -timeout=60 || exit 1; \
	done

# Recompile the embedded default catalog (core/data/default.ctdb) from patterns/.
catalog:
	UPDATE_CATALOG=1 $(CARGO) test -p codetable --test catalog_examples

# Recall and precision of the catalog on the annotated suite (patterns/tests/annotated, issue #15):
# the scorer checks itself on a built-in fixture, then scans the suite with the debug CLI (the
# build lsp-test also makes) and fails below the floor in patterns/tests/annotated/floor.json.
# After a catalog change that raises the figures: $(PYTHON) patterns/tests/score.py --update-floor
recall-test:
	$(CARGO) build -q -p codetable-cli
	$(PYTHON) patterns/tests/score.py --self-test
	$(PYTHON) patterns/tests/score.py --bin target/debug/codetable

# Per-pattern finding counts on real code and the reviewed false-alarm rates: regenerates the
# generated sections of patterns/README.md (corpora in /tmp/cmpwork, see patterns/report.py;
# REPORT_ARGS="--go --crates --ts" adds Go, the cargo registry and rxjs TypeScript sources,
# "--catalog-only" skips the scans).
REPORT_ARGS ?=
catalog-report:
	$(CARGO) build --release -q -p codetable-cli
	$(PYTHON) patterns/report.py $(REPORT_ARGS)

# ---------------------------------------------------------------------------------------------
# Binding suites. Each section is owned by its binding; keep them idempotent and lean (reuse the
# release build of the core where possible: a cold `make test` must stay under 30 minutes).

# C ABI (ffi/): library, header check, C tests under a memory checker, C example.
# The C test calls every function of include/codetable.h (error paths included) under valgrind and
# replays the cross-host golden corpus (tests/golden: edit scripts, scan JSON); the example is linked
# both ways (shared and static) and scans a sample under valgrind too (text, then --json).
C_BUILD := target/c-test
C_FLAGS := -std=c11 -Wall -Wextra -Werror -g -Iinclude
C_LIBS := -lpthread -ldl -lm
C_SHARED := -Ltarget/release -lcodetable -Wl,-rpath,$(CURDIR)/target/release $(C_LIBS)
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible

c-test:
	@if ! command -v gcc >/dev/null || ! command -v valgrind >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc valgrind >/dev/null; \
	fi
	$(CARGO) build --release -p codetable-ffi
	$(CARGO) test -p codetable-ffi --test header
	mkdir -p $(C_BUILD)
	gcc $(C_FLAGS) ffi/tests/c/test_codetable.c -o $(C_BUILD)/test_codetable $(C_SHARED)
	gcc $(C_FLAGS) examples/c/scan.c -o $(C_BUILD)/scan $(C_SHARED)
	gcc $(C_FLAGS) examples/c/scan.c -o $(C_BUILD)/scan-static target/release/libcodetable.a $(C_LIBS)
	$(CARGO) build -q -p codetable-cli
	target/debug/codetable db build --user examples/rules -o $(C_BUILD)/rules.ctdb
	$(VALGRIND) $(C_BUILD)/test_codetable core/data/default.ctdb $(C_BUILD)/rules.ctdb
	$(VALGRIND) $(C_BUILD)/scan examples/c/sample.py | tee $(C_BUILD)/scan.out
	grep -q 'security.weak-hash.md5' $(C_BUILD)/scan.out
	$(VALGRIND) $(C_BUILD)/scan --json examples/c/sample.py | grep '"path":"examples/c/sample.py","pattern":"security.weak-hash.md5"' >/dev/null
	$(C_BUILD)/scan-static examples/c/sample.py core/data/default.ctdb | grep -q 'security.weak-hash.md5'
	@echo "c-test: C API tests and example passed under valgrind"

# Python module (bindings/python/): wheel, fresh venv, pytest.
# The wheel's crate is outside the workspace but builds in the workspace's target/ (same profile
# and lockfile versions), so the grammars compiled for the C library are reused, not rebuilt
# (about 3 minutes of a cold run). Wheel and venv go to target/python; the venv is new each run
# so the suite tests the installed wheel, never the source tree.
PYTHON ?= python3
PY_BUILD := $(CURDIR)/target/python
# The wheel is the one to publish: manylinux2014 (glibc >= 2.17, linked by zig from PyPI's
# `ziglang`) and stripped; the check below fails on any symbol newer than GLIBC_2.17.
python-test:
	@$(PYTHON) -m maturin --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q 'maturin>=1.7,<2'
	@$(PYTHON) -m ziglang version >/dev/null 2>&1 || $(PYTHON) -m pip install -q ziglang
	rm -rf $(PY_BUILD)/wheels $(PY_BUILD)/venv $(PY_BUILD)/wheel-check
	CARGO_TARGET_DIR=$(PY_BUILD) $(PYTHON) -m maturin build --release --compatibility manylinux2014 --zig --strip \
		-m bindings/python/Cargo.toml -o $(PY_BUILD)/wheels
	ls $(PY_BUILD)/wheels/codetable-*-manylinux2014_x86_64*.whl
	$(PYTHON) -m zipfile -e $(PY_BUILD)/wheels/codetable-*.whl $(PY_BUILD)/wheel-check
	! objdump -T $(PY_BUILD)/wheel-check/codetable/_native*.so | grep -oE 'GLIBC_2\.(1[89]|[2-9][0-9])' | grep -q .
	$(PYTHON) -m venv $(PY_BUILD)/venv
	$(PY_BUILD)/venv/bin/python -m pip install -q --disable-pip-version-check $(PY_BUILD)/wheels/codetable-*.whl pytest jsonschema
	cd bindings/python/tests && $(PY_BUILD)/venv/bin/python -m pytest -q -p no:cacheprovider -rs .

# WebAssembly package and playground (wasm/, examples/playground/): Node and browser tests.
# wasm/build.sh builds only codetable-wasm for wasm32 (env from scripts/wasm-env.sh) and runs the
# wasm-bindgen CLI for both targets; `make playground` builds the page and serves it on localhost.
WASM_BINDGEN_VERSION := 0.2.130
PLAYGROUND := examples/playground
.PHONY: wasm-tools wasm-pkg playground-deps playground

wasm-tools: tools-wasm
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		$(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

wasm-pkg: wasm-tools
	wasm/build.sh

# npm ci only when the lockfile is newer than the installed tree.
playground-deps:
	@if [ ! -f $(PLAYGROUND)/node_modules/.package-lock.json ] || \
		[ $(PLAYGROUND)/package-lock.json -nt $(PLAYGROUND)/node_modules/.package-lock.json ]; then \
		cd $(PLAYGROUND) && npm ci --no-audit --no-fund; \
	fi

wasm-test: wasm-pkg playground-deps
	$(CARGO) build -q -p codetable-cli
	mkdir -p target/wasm-test
	target/debug/codetable db build --user examples/rules -o target/wasm-test/rules.ctdb
	cd wasm && node --test test/*.test.*
	cd $(PLAYGROUND) && npm run build && node --test tests/e2e.test.mjs

playground: wasm-pkg playground-deps
	cd $(PLAYGROUND) && npm run build && echo "playground: http://127.0.0.1:4173/" && npm run serve

# Publishing readiness (scripts/package-check.sh): every crate through `cargo publish --dry-run
# --no-verify` and `cargo package` (metadata, licences, files, the 10 MB limit), and `npm pack
# --dry-run` of the wasm package built by wasm-test (one .wasm). Nothing is rebuilt.
package-check: wasm-pkg
	scripts/package-check.sh

# Kotlin/JVM binding (bindings/kotlin/): Maven build with the native library in the jar.
# The release library (debug info stripped) is bundled as linux-x86-64/libcodetable.so; `install`
# runs the whole `verify` (JUnit suite, then fresh JVMs loading the library from the jar) and puts
# the jar in ~/.m2 for the example, which `mvn verify` in examples/kotlin builds and runs.
KOTLIN_NATIVE := $(CURDIR)/bindings/kotlin/target/native
kotlin-test:
	$(CARGO) build --release -p codetable-ffi
	@command -v mvn >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null; }
	mkdir -p $(KOTLIN_NATIVE)
	strip --strip-debug -o $(KOTLIN_NATIVE)/libcodetable.so target/release/libcodetable.so 2>/dev/null \
		|| cp target/release/libcodetable.so $(KOTLIN_NATIVE)/libcodetable.so
	$(CARGO) build -q -p codetable-cli
	mkdir -p target/kotlin-test
	target/debug/codetable db build --user examples/rules -o target/kotlin-test/rules.ctdb
	cd bindings/kotlin && mvn -q -B -Dstyle.color=never install -Dcodetable.native.dir=$(KOTLIN_NATIVE)
	cd examples/kotlin && mvn -q -B -Dstyle.color=never verify | tee $(KOTLIN_NATIVE)/example.out
	grep -q "property sheet of the first warning" $(KOTLIN_NATIVE)/example.out
	test -s bindings/kotlin/target/codetable-kotlin-0.1.0-sources.jar
	test -s bindings/kotlin/target/codetable-kotlin-0.1.0-javadoc.jar
	@echo "kotlin-test: JUnit suite, jar loading and example passed"

# Language server (lsp/, `codetable lsp`): its unit and in-memory protocol tests run in
# rust-test (`cargo test -p codetable-lsp` runs them alone); here the real debug binary over stdio, driven by pytest-lsp (venv in target/lsp-test, made once and kept)
# and by Neovim's built-in LSP client and Emacs's eglot, headless (Debian's neovim, emacs-nox and,
# for Emacs < 29, elpa-eglot, installed when missing).
LSP_BUILD := $(CURDIR)/target/lsp-test
LSP_PY := $(LSP_BUILD)/venv/bin/python
LSP_BIN := $(CURDIR)/target/debug/codetable
lsp-test:
	$(CARGO) build -p codetable-cli
	@$(LSP_PY) -c 'import pytest_lsp' 2>/dev/null || { \
		$(PYTHON) -m venv $(LSP_BUILD)/venv && \
		$(LSP_PY) -m pip install -q --disable-pip-version-check 'pytest-lsp==1.0.1'; }
	cd lsp/tests/e2e && CODETABLE_BIN=$(LSP_BIN) $(LSP_PY) -m pytest -q -p no:cacheprovider -rs .
	@command -v nvim >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null; }
	CODETABLE_BIN=$(LSP_BIN) timeout 120 nvim --headless -u NONE -i NONE -c 'luafile lsp/tests/nvim/diagnostics.lua'
	@command -v emacs >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox >/dev/null; }
	@emacs --batch -Q --eval '(kill-emacs (if (locate-library "eglot") 0 1))' 2>/dev/null \
		|| ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 \
		|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq elpa-eglot >/dev/null; }
	CODETABLE_BIN=$(LSP_BIN) timeout 120 emacs --batch -Q -l lsp/tests/emacs/diagnostics.el
	@echo "lsp-test: protocol tests, pytest-lsp suite, Neovim and Emacs (eglot) clients passed"

# VS Code extension (editors/vscode): npm packages installed by `npm ci` only when
# package-lock.json is newer than the last install (a stamp file), then tsc, the unit tests
# (node --test) and the .vsix (@vscode/vsce). VSCODE_SERVER=path bundles that binary for this
# platform (server/<platform>-<arch>/).
VSCODE_DIR := editors/vscode
VSCODE_SERVER ?=
$(VSCODE_DIR)/node_modules/.npm-stamp: $(VSCODE_DIR)/package-lock.json $(VSCODE_DIR)/package.json
	cd $(VSCODE_DIR) && npm ci --prefer-offline --no-audit --no-fund
	touch $@
vscode-test: $(VSCODE_DIR)/node_modules/.npm-stamp
	cd $(VSCODE_DIR) && rm -rf out server && npx tsc -p .
	cd $(VSCODE_DIR) && node --test out/test/
	@if [ -n "$(VSCODE_SERVER)" ]; then \
		dir=$(VSCODE_DIR)/server/$$(node -p 'process.platform + "-" + process.arch'); \
		mkdir -p $$dir && cp $(VSCODE_SERVER) $$dir/; fi
	cd $(VSCODE_DIR) && rm -f codetable.vsix && npx vsce package --skip-license --out codetable.vsix >/dev/null
	$(PYTHON) -m zipfile -l $(VSCODE_DIR)/codetable.vsix > $(VSCODE_DIR)/out/vsix-files.txt
	grep -q 'extension/out/extension.js' $(VSCODE_DIR)/out/vsix-files.txt
	grep -q 'extension/node_modules/vscode-languageclient/' $(VSCODE_DIR)/out/vsix-files.txt
	! grep -q 'extension/src/' $(VSCODE_DIR)/out/vsix-files.txt
	@echo "vscode-test: tsc, unit tests and codetable.vsix passed"
