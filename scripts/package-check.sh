#!/usr/bin/env bash
# Checks that every package is ready to publish, without uploading or rebuilding anything:
# the crates (`cargo publish --dry-run --no-verify`: metadata, path dependencies with versions,
# the files each .crate holds, crates.io's 10 MB limit), and the npm package of the wasm module
# (`npm pack --dry-run`: one .wasm, licence, keywords). The Kotlin POM and its sources and javadoc
# jars are checked by `make kotlin-test` (mvn install runs verify); the Python wheel's metadata by
# `make python-test`. Run by `make package-check`, part of `make test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail() { echo "package-check: $*" >&2; exit 1; }

[ -s LICENSE-APACHE ] && [ -s LICENSE-MIT ] || fail "LICENSE-APACHE and LICENSE-MIT must be at the root"
crates=(codetable codetable-lsp codetable-cli codetable-ffi codetable-wasm)
args=()
for c in "${crates[@]}"; do args+=(-p "$c"); done
cargo publish --dry-run --no-verify --allow-dirty "${args[@]}" 2>&1 | grep -v '^warning: ignoring' \
    | grep -E 'error|Packaged|Uploading' || true
cargo package --no-verify --allow-dirty "${args[@]}" >/dev/null 2>&1 \
    || fail "cargo package failed (run it to see why)"
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
for c in "${crates[@]}"; do
    crate="$target/package/$c-0.1.0.crate"
    [ -f "$crate" ] || fail "$crate was not written"
    size=$(stat -c %s "$crate")
    [ "$size" -lt 10485760 ] || fail "$crate is $size bytes: over crates.io's 10 MB limit"
    listing=$(tar tzf "$crate")
    for f in Cargo.toml README.md LICENSE-APACHE LICENSE-MIT; do
        grep -qx "$c-0.1.0/$f" <<<"$listing" || fail "$crate lacks $f"
    done
    manifest=$(tar xzf "$crate" -O "$c-0.1.0/Cargo.toml")
    for key in description license repository homepage readme keywords categories; do
        grep -q "^$key = " <<<"$manifest" || fail "$c: Cargo.toml has no $key"
    done
    grep -q '^license = "MIT OR Apache-2.0"' <<<"$manifest" || fail "$c: licence is not MIT OR Apache-2.0"
    echo "package-check: $c: $size bytes"
done
# The engine's embedded database and schemas travel with the core crate.
core_listing=$(tar tzf "$target/package/codetable-0.1.0.crate")
for f in data/default.ctdb schema/finding.schema.json schema/pattern-sheet.schema.json; do
    grep -qx "codetable-0.1.0/$f" <<<"$core_listing" || fail "the codetable crate lacks $f"
done

# npm: the wasm package (built by `make wasm-pkg`) ships its .wasm once. npm skips symbolic
# links, so wasm/ holds copies of the licence files: they must match the root's.
cmp -s LICENSE-APACHE wasm/LICENSE-APACHE && cmp -s LICENSE-MIT wasm/LICENSE-MIT \
    || fail "wasm/LICENSE-APACHE and wasm/LICENSE-MIT must be copies of the root's"
if [ -f wasm/pkg/web/codetable_wasm_bg.wasm ]; then
    pack=$(cd wasm && npm pack --dry-run --json 2>/dev/null)
    python3 - "$pack" <<'PY'
import json, sys
info = json.loads(sys.argv[1])[0]
files = [f["path"] for f in info["files"]]
wasm = [f for f in files if f.endswith(".wasm")]
assert len(wasm) == 1, f"npm package ships {len(wasm)} .wasm files: {wasm}"
for need in ("README.md", "LICENSE-MIT", "LICENSE-APACHE", "package.json"):
    assert need in files, f"npm package lacks {need}"
print(f"package-check: npm {info['name']}@{info['version']}: {len(files)} files, "
      f"{info['size']} bytes packed, one .wasm ({wasm[0]})")
PY
    node -e 'const p=require("./wasm/package.json"); if(!p.keywords||!p.keywords.length||p.license!=="MIT OR Apache-2.0") { console.error("package-check: wasm/package.json needs keywords and the licence"); process.exit(1) }'
else
    fail "wasm/pkg is not built: run make wasm-pkg first"
fi
echo "package-check: every package is ready to publish"
