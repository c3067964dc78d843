#!/usr/bin/env bash
# Keystroke bench of the Kotlin binding: the same edit script (engine_table's loop in benches/db.rs:
# 300 random positions of the 5,000-line Python corpus, typing `x` then deleting it) timed in Rust
# (core API), in C (the C ABI, no JNA) and in Kotlin through JNA; prints the overhead ratios.
# Run from anywhere after `make kotlin-test` (it needs target/classes and target/test-classes).
#   bindings/kotlin/bench/bench.sh [ROUNDS [PASSES]]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
kt="$root/bindings/kotlin"
out="$kt/target/bench"
rounds="${1:-1}"
mkdir -p "$out"

cargo build --release -p codetable-ffi --manifest-path "$root/Cargo.toml" -q
cp "$root/Cargo.lock" "$here/Cargo.lock"
CARGO_TARGET_DIR="$root/target" cargo build --release -q --manifest-path "$here/Cargo.toml"
gcc -O2 -std=c11 -I"$root/include" "$here/keystrokes.c" -o "$out/keystrokes" \
    -L"$root/target/release" -lcodetable -Wl,-rpath,"$root/target/release"
(cd "$kt" && mvn -q -B -Dstyle.color=never test-compile)

# The three loops alternate (PASSES times), so that load from other processes hits them alike;
# each pass measures ROUNDS runs of the 600-keystroke script.
passes="${2:-2}"
: > "$out/results.txt"
for pass in $(seq "$passes"); do
    "$root/target/release/codetable-kotlin-bench" "$out" "$rounds" | tee -a "$out/results.txt"
    "$out/keystrokes" "$out" "$rounds" | tee -a "$out/results.txt"
    java -cp "$kt/target/classes:$kt/target/test-classes:$(cat "$kt/target/runtime-classpath.txt")" \
        dev.codetable.KeystrokeBench "$out" "$rounds" | tee -a "$out/results.txt"
done

# Per implementation, the best (least disturbed) pass of each figure; ratios of thread CPU time
# (robust to other processes' load) and of wall time.
awk '/^(rust|c|jna):/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); k = $1 kv[1]; if (!(k in v) || kv[2] + 0 < v[k] + 0) v[k] = kv[2] } }
function line(label, a, b) {
    printf "%-13s CPU median %.2fx, CPU mean %.2fx | wall median %.2fx, wall mean %.2fx\n", label,
        v[a ":cpu_median_us"] / v[b ":cpu_median_us"], v[a ":cpu_mean_us"] / v[b ":cpu_mean_us"],
        v[a ":median_us"] / v[b ":median_us"], v[a ":mean_us"] / v[b ":mean_us"]
}
END {
    line("JNA / Rust:", "jna", "rust")
    line("JNA / C ABI:", "jna", "c")
    line("C ABI / Rust:", "c", "rust")
}' "$out/results.txt" | tee -a "$out/results.txt"
