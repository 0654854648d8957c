#!/usr/bin/env bash
# endpoint-memory.sh [DURATION_S] [RATE_BYTES_PER_S] [INTERVAL_S]
#
# Issue 2: "an endpoint receiving 1 MiB/s for 10 minutes with a 64 MiB cap
# per stream stays under ~150 MiB RSS". Builds kinspect and scripts/loadgen,
# runs `kinspect local --max-bytes 67108864` (limits off), feeds it
# RATE_BYTES_PER_S (default 1048576) of 1 KiB records into a 4-shard stream
# for DURATION_S (default 600) seconds from a separate process, samples the
# server's RSS from /proc every INTERVAL_S (default 10) seconds and prints
# the maximum. The server runs with GODEBUG=gctrace=1 so that its log
# ($cache/endpoint-local.err) shows the live heap beside the RSS.
set -euo pipefail

duration=${1:-600}
rate=${2:-1048576}
interval=${3:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
out=${OUT:-$cache/endpoint-memory.log}
mkdir -p "$cache"

(cd "$root" && go build -o "$cache/kinspect" . && go build -o "$cache/loadgen" ./scripts/loadgen)

GODEBUG=gctrace=1 "$cache/kinspect" local --max-bytes 67108864 --addr 127.0.0.1:0 \
	>"$cache/endpoint-local.out" 2>"$cache/endpoint-local.err" &
srv=$!
gen=
cleanup() {
	[[ -n $gen ]] && kill "$gen" 2>/dev/null || true
	kill "$srv" 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

url=
for _ in $(seq 50); do
	url=$(sed -n 's/^listening on //p' "$cache/endpoint-local.out" 2>/dev/null | head -1)
	[[ -n $url ]] && break
	sleep 0.1
done
[[ -z $url ]] && { echo "kinspect local did not start; see $cache/endpoint-local.err" >&2; exit 1; }

"$cache/loadgen" -endpoint "$url" -stream memory -shards 4 -size 1024 -rate "$rate" -duration "${duration}s" \
	>"$cache/endpoint-loadgen.out" 2>&1 &
gen=$!

{
	echo "# $(date -u +%FT%TZ) kinspect local --max-bytes 67108864 at $url, pid $srv; loadgen $rate B/s of 1 KiB records for ${duration}s"
	echo "# uptime: $(uptime)"
	"$root/scripts/rss-sample.sh" "$srv" "$interval" "$duration" endpoint-local
} | tee "$out"
wait "$gen" || echo "# loadgen failed" | tee -a "$out"
gen=
{
	cat "$cache/endpoint-loadgen.out"
	echo "# last gctrace line: $(grep '^gc ' "$cache/endpoint-local.err" | tail -1)"
	echo "# server cpu (utime+stime, clock ticks of $(getconf CLK_TCK)/s): $(awk '{print $14 + $15}' /proc/$srv/stat 2>/dev/null)"
} | tee -a "$out"
