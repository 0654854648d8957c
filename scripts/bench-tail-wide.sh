#!/usr/bin/env bash
# bench-tail-wide.sh OLD NEW [ROUNDS]
#
# Issue 11: `kinspect tail -o json` on a 40-shard stream of `kinspect local`
# holding 10,000 records of 1 KiB per shard (400 MiB), read once from
# TRIM_HORIZON (--max 400000), by two binaries alternately (OLD, NEW, OLD,
# NEW, ... ROUNDS times, default 3), each a real process under
# /usr/bin/time -v. Prints per run: wall time, records/s, the share of the
# pacing limit (40 shards × 2 MiB/s over records of 1,024 bytes and a
# 1-byte key), CPU (user + sys) per record and peak RSS. The endpoint is
# NEW's `kinspect local`, with caps raised to hold the stream.
set -euo pipefail

old=${1:?usage: $0 OLD NEW [ROUNDS]} new=${2:?usage: $0 OLD NEW [ROUNDS]} rounds=${3:-3}
shards=40 per=10000 size=1024 stream=wide
total=$((shards * per))
export AWS_ACCESS_KEY_ID=kinspect AWS_SECRET_ACCESS_KEY=kinspect AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
work=$(mktemp -d)
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT

"$new" local --addr 127.0.0.1:0 --max-bytes $((1 << 30)) --max-total-bytes $((1 << 30)) >"$work/local.out" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q listening "$work/local.out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/local.out" | head -1)
echo "# $(date -u +%FT%TZ) endpoint $url (pid $srv); load: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$url" "$stream" "$shards" "$per" "$size" <<'PY'
import sys, time, boto3
url, stream, shards, per, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
k = boto3.client("kinesis", endpoint_url=url)
k.create_stream(StreamName=stream, ShardCount=shards)
while k.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"] != "ACTIVE":
    time.sleep(0.1)
data = b"x" * size
for s in k.list_shards(StreamName=stream)["Shards"]:
    ehk = s["HashKeyRange"]["StartingHashKey"]
    left = per
    while left:
        n = min(500, left)
        out = k.put_records(StreamName=stream, Records=[{"Data": data, "PartitionKey": "k", "ExplicitHashKey": ehk}] * n)
        left -= n - out["FailedRecordCount"]
print(f"# filled {shards} shards x {per} records of {size} bytes")
PY

limit=$(awk -v s=$shards -v z=$size 'BEGIN { print s * 2 * 1048576 / (z + 1) }')
printf '%-4s %8s %10s %8s %14s %10s %s\n' bin wall_s records/s %limit cpu_us/record rss_MiB load
for r in $(seq "$rounds"); do
	for which in old new; do
		bin=$old
		[[ $which == new ]] && bin=$new
		/usr/bin/time -v "$bin" --endpoint-url "$url" tail "$stream" --from trim-horizon -o json --max "$total" >"$work/out.jsonl" 2>"$work/time.txt"
		lines=$(wc -l <"$work/out.jsonl")
		[[ $lines -eq $total ]] || { echo "$which printed $lines of $total records" >&2; exit 1; }
		awk -v w="$which" -v n="$total" -v lim="$limit" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
			/User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { rss = $NF }
			/Elapsed \(wall clock\)/ { split($NF, p, ":"); wall = (length(p) == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
			END { printf "%-4s %8.2f %10.0f %7.1f%% %14.2f %10.0f %s\n", w, wall, n / wall, 100 * n / wall / lim, (u + s) * 1e6 / n, rss / 1024, load }' "$work/time.txt"
	done
done
echo "# server CPU: $(awk '{ print ($14 + $15) / 100 " s" }' /proc/$srv/stat); load after: $(cut -d' ' -f1-3 /proc/loadavg)"
