#!/usr/bin/env bash
# Prints the environment a wasm32-unknown-unknown build of the tree-sitter grammars needs:
# clang as the C compiler and libc headers from tree-sitter-language's wasm sysroot.
# (The flags are the ones ../shared/TOOLCHAIN.md records as checked for all ten grammars.)
set -euo pipefail
dir=$(cargo metadata --format-version 1 --manifest-path "$(dirname "$0")/../Cargo.toml" |
  python3 -c 'import json,sys,os; d=json.load(sys.stdin); print(next(os.path.dirname(p["manifest_path"]) for p in d["packages"] if p["name"]=="tree-sitter-language"))')
echo "export CC_wasm32_unknown_unknown=clang"
echo "export AR_wasm32_unknown_unknown=llvm-ar"
echo "export CFLAGS_wasm32_unknown_unknown='-I$dir/wasm/include -include wchar.h -Dstatic_assert=_Static_assert -Werror=implicit-function-declaration'"
