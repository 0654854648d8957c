#!/usr/bin/env bash
# demo-memory.sh [DURATION_S] [INTERVAL_S]
#
# Issue 6: the memory of a long demo run. Builds kinspect, runs the demo's
# server (`kinspect local --demo --limits --max-bytes 25165824`: limits on,
# a 24 MiB cap per stream as `kinspect demo` has, the demo's producers running in-process) and
# samples its RSS from /proc every INTERVAL_S (default 10) seconds for
# DURATION_S (default 1200) seconds, then prints the maximum. MAX_BYTES
# overrides the cap (to try a smaller one). Writes the
# samples to $OUT (default $HOME/.cache/kinspect-bench/demo-memory.log).
set -euo pipefail

duration=${1:-1200}
max_bytes=${MAX_BYTES:-25165824}
interval=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
out=${OUT:-$cache/demo-memory.log}
mkdir -p "$cache"

(cd "$root" && go build -o "$cache/kinspect" .)

"$cache/kinspect" local --demo --limits --max-bytes "$max_bytes" --addr 127.0.0.1:0 >"$cache/demo-local.out" 2>&1 &
srv=$!
trap 'kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true' EXIT

for _ in $(seq 50); do
	grep -q '^listening on' "$cache/demo-local.out" 2>/dev/null && break
	sleep 0.1
done
head -1 "$cache/demo-local.out"

{
	echo "# $(date -u +%FT%TZ) kinspect local --demo --limits --max-bytes $max_bytes, pid $srv, every ${interval}s for ${duration}s"
	echo "# uptime: $(uptime)"
	"$root/scripts/rss-sample.sh" "$srv" "$interval" "$duration" demo-local
	echo "# cpu (utime+stime, clock ticks): $(awk '{print $14 + $15}' /proc/$srv/stat 2>/dev/null)"
} | tee "$out"
