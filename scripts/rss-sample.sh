#!/usr/bin/env bash
# rss-sample.sh PID INTERVAL_S DURATION_S [LABEL]
#
# Samples the resident set size of PID from /proc/PID/status every
# INTERVAL_S seconds for DURATION_S seconds (or until the process exits).
# Prints one line per sample ("t=SECONDS rss=KIB kB hwm=KIB kB") and, at the
# end, "LABEL max_rss_kib=N samples=N last_rss_kib=N vmhwm_kib=N", where
# VmHWM is the kernel's own peak RSS (it catches spikes between samples).
set -euo pipefail

if [[ $# -lt 3 ]]; then
	echo "usage: $0 PID INTERVAL_S DURATION_S [LABEL]" >&2
	exit 2
fi
pid=$1 interval=$2 duration=$3 label=${4:-rss}

field() { # field NAME: the value in kB of a /proc/PID/status line, "" if gone
	awk -v n="$1:" '$1 == n { print $2 }' "/proc/$pid/status" 2>/dev/null || true
}

max=0 samples=0 last=0 hwm=0
start=$(date +%s)
while :; do
	now=$(date +%s)
	t=$((now - start))
	rss=$(field VmRSS)
	[[ -z $rss ]] && { echo "$label: process $pid is gone at t=${t}s" >&2; break; }
	h=$(field VmHWM)
	hwm=${h:-$hwm}
	last=$rss
	samples=$((samples + 1))
	((rss > max)) && max=$rss
	echo "t=${t}s rss=${rss} kB hwm=${hwm} kB load=$(cut -d' ' -f1-3 /proc/loadavg)"
	((t >= duration)) && break
	sleep "$interval"
done
echo "$label max_rss_kib=$max ($((max / 1024)) MiB) samples=$samples last_rss_kib=$last vmhwm_kib=$hwm ($((hwm / 1024)) MiB)"
