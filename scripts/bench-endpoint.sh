#!/usr/bin/env bash
# bench-endpoint.sh [BENCHTIME] [COUNT]
#
# Issue 2: the built-in endpoint against kinesalite@3.3.3, the same SDK
# workload (1 KiB records, 4 shards, loopback) in the same `go test -bench`
# run. Runs BenchmarkVsKinesalite COUNT times (default 3) for BENCHTIME
# (default 3s) each, then prints records/s of both servers and their ratio
# per round, with the machine load before and after. Installs kinesalite
# first when it is missing (scripts/bench-install.sh).
set -euo pipefail

benchtime=${1:-3s}
count=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
[[ -e ${KINESALITE_DIR:-$dir/kinesalite}/node_modules/kinesalite/package.json ]] || "$root/scripts/bench-install.sh"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "# $(date -u +%FT%TZ) uptime before: $(uptime)"
cmd=(go test -run '^$' -bench VsKinesalite -benchtime "$benchtime" -count "$count" ./kinesisx/local)
echo "# ${cmd[*]}"
(cd "$root" && "${cmd[@]}") | tee "$out"
echo "# uptime after: $(uptime)"

# Pair the n-th kinspect result with the n-th kinesalite result of each op.
awk '
/^BenchmarkVsKinesalite\// {
	split($1, p, "/"); op = p[2]; be = p[3]; sub(/-[0-9]+$/, "", be)
	for (i = 2; i < NF; i++) if ($(i + 1) == "records/s") v = $i
	n = ++seen[op, be]; r[op, be, n] = v; if (n > rounds[op]) rounds[op] = n
}
END {
	for (op in rounds) for (n = 1; n <= rounds[op]; n++) {
		k = r[op, "kinspect", n]; l = r[op, "kinesalite", n]
		if (k == "" || l == "" || l == 0) continue
		printf "%s round %d: kinspect %.0f records/s, kinesalite %.0f records/s, ratio %.1fx\n", op, n, k, l, k / l
	}
}' "$out" | sort
