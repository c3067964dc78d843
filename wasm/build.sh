#!/usr/bin/env bash
# Builds the npm package in wasm/pkg/: the release wasm32 build of this crate only, then the
# wasm-bindgen glue for browsers and bundlers (pkg/web, an ES module) and for Node (pkg/node).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
eval "$(scripts/wasm-env.sh)"
cargo build --release -p codetable-wasm --target wasm32-unknown-unknown
wasm="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/wasm32-unknown-unknown/release/codetable_wasm.wasm"
rm -rf "$here/pkg/web" "$here/pkg/node"
wasm-bindgen --target web --out-dir "$here/pkg/web" "$wasm"
wasm-bindgen --target nodejs --out-dir "$here/pkg/node" "$wasm"
# One .wasm in the package: the Node glue loads the web build's module (the same bytes) instead
# of shipping its own 16 MB copy.
node_glue="$here/pkg/node/codetable_wasm.js"
cmp -s "$here/pkg/web/codetable_wasm_bg.wasm" "$here/pkg/node/codetable_wasm_bg.wasm"
grep -q '`${__dirname}/codetable_wasm_bg.wasm`' "$node_glue"
sed -i 's|`${__dirname}/codetable_wasm_bg.wasm`|`${__dirname}/../web/codetable_wasm_bg.wasm`|' "$node_glue"
grep -q '`${__dirname}/../web/codetable_wasm_bg.wasm`' "$node_glue"
rm "$here/pkg/node/codetable_wasm_bg.wasm"
# Node decides ES module or CommonJS by the nearest package.json.
echo '{ "type": "module" }' > "$here/pkg/web/package.json"
echo '{ "type": "commonjs" }' > "$here/pkg/node/package.json"
ls -l "$here/pkg/web/codetable_wasm_bg.wasm"
