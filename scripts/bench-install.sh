#!/usr/bin/env bash
# bench-install.sh: installs what the comparison benchmarks need outside the
# repository: kinesalite@3.3.3 (npm) into $KINSPECT_BENCH_DIR (default
# $HOME/.cache/kinspect-bench). kinesisx/local's Kinesalite benchmarks find it
# there, or wherever KINESALITE_BIN points, and skip with a message when it is
# missing.
set -euo pipefail

dir=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
mkdir -p "$dir/kinesalite"
command -v npm >/dev/null || { echo "bench-install: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
npm install --prefix "$dir/kinesalite" --no-audit --no-fund kinesalite@3.3.3
bin="$dir/kinesalite/node_modules/.bin/kinesalite"
"$bin" --help >/dev/null
echo "kinesalite installed: $bin"
