#!/usr/bin/env bash
# tui-memory.sh [DURATION_S] [INTERVAL_S]
#
# Issue 6: the RSS of the TUI. Builds kinspect, starts `kinspect demo` in a
# detached tmux session of 200x60, opens the orders stream (j j enter),
# starts a tail from latest (t enter), checks on screen that records arrive,
# then samples the process's RSS every INTERVAL_S (default 10) seconds for
# DURATION_S (default 600) seconds, prints the maximum and quits the TUI.
set -euo pipefail

duration=${1:-600}
interval=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KINSPECT_BENCH_DIR:-$HOME/.cache/kinspect-bench}
out=${OUT:-$cache/tui-memory.log}
session=kinspect-tui-memory-$$
mkdir -p "$cache"
command -v tmux >/dev/null || { echo "tui-memory: tmux is required" >&2; exit 1; }

(cd "$root" && go build -o "$cache/kinspect" .)
# exec keeps the pane's pid the kinspect process; gctrace goes to a file so
# that the live heap can be read beside the RSS.
tmux new-session -d -x 200 -y 60 -s "$session" \
	"exec env GODEBUG=gctrace=1 '$cache/kinspect' demo 2>'$cache/tui-demo.err'"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
pid=$(tmux display -p -t "$session" '#{pane_pid}')

screen() { tmux capture-pane -p -t "$session"; }
wait_for() { # wait_for REGEX: until the screen matches, at most 15 s
	for _ in $(seq 75); do screen | grep -qE "$1" && return 0; sleep 0.2; done
	echo "tui-memory: never saw /$1/ on screen:" >&2; screen >&2; return 1
}
wait_for '^orders '
tmux send-keys -t "$session" j; sleep 0.3
tmux send-keys -t "$session" j; sleep 0.3
tmux send-keys -t "$session" Enter
wait_for 'shardId-000000000003'
tmux send-keys -t "$session" t
wait_for 'Start a tail of orders'
tmux send-keys -t "$session" Enter
wait_for 'of [0-9,]+ kept'

{
	echo "# $(date -u +%FT%TZ) kinspect demo (TUI 200x60 tailing orders from latest), pid $pid"
	echo "# uptime: $(uptime)"
	"$root/scripts/rss-sample.sh" "$pid" "$interval" "$duration" tui-demo
	echo "# screen at the end: $(screen | sed -n 2p)"
	echo "# last gctrace line: $(grep '^gc ' "$cache/tui-demo.err" | tail -1)"
	echo "# cpu (utime+stime, clock ticks): $(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null)"
} | tee "$out"
tmux send-keys -t "$session" q
