#!/usr/bin/env bash
# bench-tail-4000.sh KINSPECT [SECONDS]
#
# Issue 11: a whole-stream polling tail from LATEST of a 4,000-shard stream
# of `kinspect local`, for SECONDS (default 60), as a real process under
# /usr/bin/time -v with -v: its CPU (cores = user + sys over wall), peak
# RSS, and its status lines (calls/s against the budget, and the least-read
# shard's calls/s over the last 10 s: 0.1 or more means every shard was
# read within those 10 s).
set -euo pipefail

bin=${1:?usage: $0 KINSPECT [SECONDS]} secs=${2:-60}
export AWS_ACCESS_KEY_ID=kinspect AWS_SECRET_ACCESS_KEY=kinspect AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" local --addr 127.0.0.1:0 >"$work/local.out" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q listening "$work/local.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/local.out" | head -1)
echo "# $(date -u +%FT%TZ) endpoint $url; load: $(cut -d' ' -f1-3 /proc/loadavg)"
aws --endpoint-url "$url" kinesis create-stream --stream-name wide4000 --shard-count 4000
until [[ $(aws --endpoint-url "$url" kinesis describe-stream-summary --stream-name wide4000 --query StreamDescriptionSummary.StreamStatus --output text) == ACTIVE ]]; do sleep 0.2; done

/usr/bin/time -v timeout -s INT "$secs" "$bin" --endpoint-url "$url" tail wide4000 -v -o json >/dev/null 2>"$work/err.txt" || true
grep '^kinspect reads' "$work/err.txt"
awk '/User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { rss = $NF }
	/Elapsed \(wall clock\)/ { split($NF, p, ":"); wall = p[1] * 60 + p[2] }
	END { printf "wall %.1f s, CPU %.1f s = %.2f cores, peak RSS %.0f MiB\n", wall, u + s, (u + s) / wall, rss / 1024 }' "$work/err.txt"
echo "# server CPU: $(awk '{ print ($14 + $15) / 100 " s" }' /proc/$srv/stat); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
