#!/usr/bin/env bash
# bench-tail-merge.sh BIN [SECONDS]
#
# Issue 14: does the merged tail keep up with 40 shards x 1,000 records/s?
# `kinspect local` (BIN's), a 40-shard stream, and eight loadgen processes
# putting 5,000 records/s of 256 bytes each (40,000/s over the shards by
# random partition key) for SECONDS (default 30). Two tails of the whole
# stream run at the same time, as real processes under /usr/bin/time -v,
# from just before the load started: `tail -o json --merge=false` and
# `tail -o json --merge` (default watermark, 1 s); both end with --idle 5s.
# Prints per tail: records printed (they must equal those put), when it
# ended after the producers stopped (5 s of it is --idle), CPU (user + sys)
# per record, cores used over its life, peak RSS; and for the merged tail how
# far its arrival times ever went back (jq).
set -euo pipefail

bin=${1:?usage: $0 BIN [SECONDS]} secs=${2:-30}
shards=40 size=256 stream=merge-bench
export AWS_ACCESS_KEY_ID=kinspect AWS_SECRET_ACCESS_KEY=kinspect AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/loadgen" ./scripts/loadgen

"$bin" local --addr 127.0.0.1:0 --max-bytes $((1 << 30)) --max-total-bytes $((1 << 30)) >"$work/local.out" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q listening "$work/local.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/local.out" | head -1)
echo "# $(date -u +%FT%TZ) endpoint $url; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/loadgen" -endpoint "$url" -stream "$stream" -shards $shards -size $size -rate $size -tick 1s -duration 1s >/dev/null

from=$(date -u +%FT%T.%3NZ)
pids=()
for i in 1 2 3 4 5 6 7 8; do
	"$work/loadgen" -endpoint "$url" -stream "$stream" -size $size -rate $((5000 * size)) -tick 100ms -duration "${secs}s" >"$work/load$i.out" &
	pids+=($!)
done
for m in false true; do
	/usr/bin/time -v "$bin" --endpoint-url "$url" tail "$stream" --from "$from" --idle 5s -o json --merge=$m >"$work/out-$m.jsonl" 2>"$work/time-$m.txt" &
	tails+=($!)
done
wait "${pids[@]}"
stopped=$(date +%s.%N)
put=$(awk -F'[ =]' '{ s += $3 } END { print s }' "$work"/load*.out)
echo "# put $put records in ${secs} s ($(awk -v p="$put" -v s="$secs" 'BEGIN { printf "%.0f", p / s }')/s); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${tails[@]}"; do wait "$t"; done
ended=$(date +%s.%N)
printf '%-10s %9s %12s %14s %7s %8s\n' tail records ended_after_s cpu_us/record cores rss_MiB
for m in false true; do
	lines=$(wc -l <"$work/out-$m.jsonl")
	awk -v m="merge=$m" -v n="$lines" -v after="$(awk -v a="$ended" -v b="$stopped" 'BEGIN { print a - b }')" '
		/User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { rss = $NF }
		/Elapsed \(wall clock\)/ { split($NF, p, ":"); wall = (length(p) == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
		END { printf "%-10s %9d %12.1f %14.2f %7.2f %8.0f\n", m, n, after, (u + s) * 1e6 / n, (u + s) / wall, rss / 1024 }' "$work/time-$m.txt"
	[[ $lines -eq $put ]] || echo "merge=$m printed $lines of $put records" >&2
done
for m in false true; do
	jq -r .arrival "$work/out-$m.jsonl" | python3 -c '
import sys, datetime
prev, back, n = None, 0.0, 0
for line in sys.stdin:
    t = datetime.datetime.fromisoformat(line.strip()[:26].rstrip("Z"))
    if prev is not None and t < prev:
        back = max(back, (prev - t).total_seconds()); n += 1
    prev = t if prev is None or t > prev else prev
print(f"# merge='"$m"': arrival went back {n} times, by at most {back:.3f} s")'
done
echo "# server CPU: $(awk '{ print ($14 + $15) / 100 " s" }' /proc/$srv/stat); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
