#!/usr/bin/env bash
# The simulator's resident memory with its history full (MAX_HISTORY jobs) while 16 clients
# read every job's details at once, in both flavours.
#
# Builds the simulator, starts it over plain HTTP on 127.0.0.1 (port 0) with the longest history
# it keeps, runs READERS concurrent readers of the details (each reads ROUNDS answers), and
# prints the peak resident set size (VmHWM) and the size of one answer. Linux only (/proc).
#
# Environment: HISTORY (default 100000, the cap), READERS (default 16), ROUNDS (default 1),
# PROFILE (default debug; release is faster to serve).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
HISTORY="${HISTORY:-100000}"
READERS="${READERS:-16}"
ROUNDS="${ROUNDS:-1}"
PROFILE="${PROFILE:-debug}"
USER_NAME="administrator@vsphere.local"
PASSWORD="Mem0ry!check"

if [[ "$PROFILE" == release ]]; then
    cargo build --quiet --locked --release -p vcsa-backup-sim --bin vcsa-backup-sim
else
    cargo build --quiet --locked -p vcsa-backup-sim --bin vcsa-backup-sim
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/vcsa-backup-sim"

OUT="$(mktemp)"
SIM_PID=""
cleanup() {
    if [[ -n "$SIM_PID" ]]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
    rm -f "$OUT"
}
trap cleanup EXIT

VCSA_SIM_PASSWORD="$PASSWORD" "$BIN" --listen 127.0.0.1:0 --http --user "$USER_NAME" \
    --history "$HISTORY" >"$OUT" 2>&1 &
SIM_PID=$!
URL=""
for _ in $(seq 1 600); do
    URL="$(head -n 1 "$OUT" 2>/dev/null || true)"
    [[ "$URL" == http://* ]] && break
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$OUT" >&2; exit 1; }
    sleep 0.1
done
[[ "$URL" == http://* ]] || { echo "the simulator printed no URL" >&2; exit 1; }

rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SIM_PID/status"; }
echo "history: $HISTORY jobs; RSS after seeding: $(rss VmRSS) KiB"

TOKEN="$(curl --silent --show-error --fail -X POST -u "$USER_NAME:$PASSWORD" "$URL/api/session" | tr -d '"')"
BYTES="$(curl --silent --show-error --fail -H "vmware-api-session-id: $TOKEN" \
    "$URL/api/appliance/recovery/backup/job/details" | wc -c)"
echo "one /api details answer: $BYTES bytes"

reader() {
    local flavour="$1"
    for _ in $(seq 1 "$ROUNDS"); do
        curl --silent --show-error --fail -H "vmware-api-session-id: $TOKEN" \
            "$URL/$flavour/appliance/recovery/backup/job/details" >/dev/null
        curl --silent --show-error --fail -H "vmware-api-session-id: $TOKEN" \
            "$URL/$flavour/appliance/recovery/backup/job" >/dev/null
    done
}
pids=()
for i in $(seq 1 "$READERS"); do
    if (( i % 2 )); then reader api & else reader rest & fi
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "peak RSS with $READERS concurrent readers: $(rss VmHWM) KiB (now $(rss VmRSS) KiB)"
