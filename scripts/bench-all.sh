#!/usr/bin/env bash
# bench-all.sh [OUT]
#
# Runs, one after another in one session, every benchmark whose figure is in
# BENCHMARKS.md (the cheap ones: a few minutes in all), each preceded by the
# date and the machine load, and writes the whole log to OUT (default
# $HOME/.cache/kinspect-bench/bench-all.log). The long memory runs are
# separate: scripts/endpoint-memory.sh, scripts/demo-memory.sh,
# scripts/tui-memory.sh.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
out=${1:-$dir/bench-all.log}
mkdir -p "$(dirname "$out")"
cd "$root" || exit 1

run() { # run CMD...: log the load and the command, then run it
	echo
	echo "## $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "## $*"
	"$@" 2>&1
	echo "## exit $? load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

{
	echo "# kinspect benchmarks, $(date -u +%FT%TZ), $(nproc) cores, $(go version)"
	echo "# commit $(git rev-parse --short HEAD 2>/dev/null) (work tree may hold uncommitted changes)"
	run scripts/bench-endpoint.sh 3s 3
	run go test -run '^$' -bench 'Benchmark(Put|Get)Records$' -benchtime 3s ./kinesisx/local
	run go test -run XXX -bench TailThroughput -benchtime 3x ./kinesisx/
	run go test -run XXX -bench EFOPipelineLatency -benchtime 1x ./kinesisx/
	run go test -run '^$' -bench PutLocal -benchtime 24000x ./kinesisx
	run go test -run XXX -bench BenchmarkMetrics4000Shards -benchtime 10x ./metrics/
	run go test -run '^$' -bench LatencyLab -benchtime 1x ./kinesisx/latency
	run go test -run XXX -bench . ./ui/tail/ ./ui/shards/
	run go test -run XXX -bench . -benchtime 300ms ./kinesisx/kpl ./kinesisx/payload
} | tee "$out"
