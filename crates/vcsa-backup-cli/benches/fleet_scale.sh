#!/usr/bin/env bash
# fleet_scale.sh: `vcsa-backup fleet check`, then `fleet backup --wait`, over many simulated
# appliances (issue 11, part 5).
# A benchmark, not a test: it prints figures, it asserts nothing about time.
#
# Run from anywhere in the workspace (release builds of the CLI and the simulator first):
#
#     crates/vcsa-backup-cli/benches/fleet_scale.sh            # 500 appliances, --jobs 8 and 32
#     APPLIANCES=100 JOBS="4 16" crates/vcsa-backup-cli/benches/fleet_scale.sh
#     BACKUP_JOBS="" crates/vcsa-backup-cli/benches/fleet_scale.sh   # checks only
#
# Needs bash, curl, jq and GNU time (/usr/bin/time). Uses the workspace's target directory
# (CARGO_TARGET_DIR if set). Loopback only: the simulator listens on 127.0.0.1, a port per
# appliance, in a process of its own, and stops at the end.
#
# For each --jobs value it prints the wall time and the peak memory (maximum resident set
# size) of the CLI, from GNU time, and the requests per appliance, from the simulator's counter
# of requests to the vendor's paths (`requests` in `GET /__sim/state` of every appliance,
# read before and after the run). Then, for each BACKUP_JOBS value, the same figures for
# `fleet backup --wait` (every appliance backs up once, its job taking JOB_DURATION on the
# simulator, and the CLI follows them all to their end). The figures of the last run are in
# fleet_scale.md.
set -euo pipefail

APPLIANCES=${APPLIANCES:-500}
JOBS=${JOBS:-"8 32"}
HISTORY=${HISTORY:-3}
BACKUP_JOBS=${BACKUP_JOBS-"8 32"}
JOB_DURATION=${JOB_DURATION:-20s}

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --quiet --release -p vcsa-backup-cli --bin vcsa-backup
cargo build --quiet --release -p vcsa-backup-sim --bin vcsa-backup-sim
cli="$target/release/vcsa-backup"
sim="$target/release/vcsa-backup-sim"

work=$(mktemp -d)
sim_pid=""
cleanup() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A password for the simulated appliances only; the inventory reads it from this variable.
export VCSA_SIM_PASSWORD='Bench-Only-Pa55!'
"$sim" --http --appliances "$APPLIANCES" --history "$HISTORY" --job-duration "$JOB_DURATION" \
    --inventory-out "$work/fleet.toml" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
# One line per appliance (name and URL) once all listen.
for _ in $(seq 1 600); do
    [ "$(wc -l <"$work/sim.out")" -ge "$APPLIANCES" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
    sleep 0.1
done
[ "$(wc -l <"$work/sim.out")" -ge "$APPLIANCES" ] || { echo "the simulator did not start" >&2; exit 1; }

# The sum of every appliance's request counter.
requests() {
    local total=0 url n
    while read -r _ url _; do
        n=$(curl -sf "$url/__sim/state" | jq .requests)
        total=$((total + n))
    done <"$work/sim.out"
    echo "$total"
}

# Runs `vcsa-backup --output json ARGS... --jobs JOBS --inventory F` under GNU time and prints
# one row: JOBS, wall time, peak memory, requests per appliance, the exit code, and how many
# appliances the jq filter FILTER selects (WORD says what they are).
measure() {
    local jobs=$1 filter=$2 word=$3 before after code wall rss_kib ok
    shift 3
    before=$(requests)
    set +e
    /usr/bin/time -f '%e %M' -o "$work/time" \
        "$cli" --output json "$@" --jobs "$jobs" \
        --inventory "$work/fleet.toml" >"$work/out.json" 2>"$work/out.err"
    code=$?
    set -e
    after=$(requests)
    read -r wall rss_kib <"$work/time"
    ok=$(jq "[.appliances[] | select($filter)] | length" "$work/out.json")
    printf '%-6s %-10s %-14s %-18s %s (%s of %s %s)\n' "$jobs" "$wall" \
        "$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(awk -v a="$after" -v b="$before" -v n="$APPLIANCES" 'BEGIN { printf "%.2f", (a - b) / n }')" \
        "$code" "$ok" "$APPLIANCES" "$word"
}

echo "fleet check over $APPLIANCES simulated appliances (HTTP, history $HISTORY), $(nproc) CPUs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-10s %-14s %-18s %s\n' jobs wall_s peak_rss_MiB requests/appliance exit
for jobs in $JOBS; do
    measure "$jobs" '.exit_code == 0' OK fleet check --no-schedule-ok
done

[ -n "$BACKUP_JOBS" ] && echo "fleet backup --wait, each job $JOB_DURATION on the simulator"
for jobs in $BACKUP_JOBS; do
    measure "$jobs" '.result.end.state == "SUCCEEDED"' SUCCEEDED fleet backup --wait
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
