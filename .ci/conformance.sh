#!/usr/bin/env bash
# Conformance of vcsa-backup-sim with spec/vcsa-backup.yaml, checked by schemathesis.
#
# Installs a pinned schemathesis into a virtualenv under target/ (not tracked), builds and
# starts the simulator over plain HTTP on 127.0.0.1 (port 0), logs in, runs schemathesis against
# every operation of the spec, bounded in examples and time, and stops the simulator. Fails when
# any response does not match the spec or any generated input produces a 5xx.
#
# Environment: CONFORMANCE_MAX_EXAMPLES (default 60), CONFORMANCE_MAX_TIME seconds per run
# (default 120; the run repeats fuzzing until it is spent), CONFORMANCE_SEED (default 1, for reproducible runs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SCHEMATHESIS_VERSION="4.32.5"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="$TARGET_DIR/conformance-venv"
REPORT_DIR="$TARGET_DIR/conformance-report"
MAX_EXAMPLES="${CONFORMANCE_MAX_EXAMPLES:-60}"
MAX_TIME="${CONFORMANCE_MAX_TIME:-120}"
SEED="${CONFORMANCE_SEED:-1}"
SIM_USER="administrator@vsphere.local"
SIM_PASSWORD="Conf0rmance!"

log() { printf '== %s\n' "$*" >&2; }

# -- schemathesis, pinned, in its own virtualenv
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# -- the simulator
log "building vcsa-backup-sim"
cargo build --quiet --locked -p vcsa-backup-sim --bin vcsa-backup-sim
SIM_BIN="$TARGET_DIR/debug/vcsa-backup-sim"

SIM_OUT="$(mktemp)"
SIM_PID=""
cleanup() {
    if [[ -n "$SIM_PID" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    rm -f "$SIM_OUT"
}
trap cleanup EXIT

# Short jobs, so a backup started by one test does not block the others for long. Each job
# first waits PENDING then BLOCKED, so those shapes of job status and details are checked too;
# a second schedule besides "default" is run as well (the cap raised from the appliance's one, so
# that creates and the admin API's seeding are exercised too).
VCSA_SIM_PASSWORD="$SIM_PASSWORD" "$SIM_BIN" --listen 127.0.0.1:0 --http --user "$SIM_USER" \
    --job-duration 2s --job-pending 500ms --job-blocked 500ms --max-schedules 20 --schedule weekly \
    --history 5 \
    >"$SIM_OUT" 2>&1 &
SIM_PID=$!

URL=""
for _ in $(seq 1 100); do
    URL="$(head -n 1 "$SIM_OUT" 2>/dev/null || true)"
    [[ "$URL" == http://* ]] && break
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$SIM_OUT" >&2; log "the simulator exited"; exit 1; }
    sleep 0.1
done
[[ "$URL" == http://* ]] || { cat "$SIM_OUT" >&2; log "the simulator printed no URL"; exit 1; }
log "simulator at $URL"

login() {
    curl --silent --show-error --fail -X POST -u "$SIM_USER:$SIM_PASSWORD" "$URL/api/session" | tr -d '"'
}

# The backup location the catalog is asked about, with archives of this appliance (its default
# system name) and of a second one, and a schedule with every optional field set.
LOCATION="sftp://backup.example.com/conformance"
SYSTEM_NAMES='["vcsa.example.com", "vcsa-02.example.com"]'
ARCHIVES='["S_8.0.3.00400_20260501-023000_", "M_8.0.3.00400_20260502-120000_", "S_7.0.3.01000_20260501-023000_"]'
admin() {
    curl --silent --show-error --fail -o /dev/null -X POST -H 'content-type: application/json' \
        --data "$2" "$URL/__sim/$1"
}
seed() {
    admin archives "{\"location\": \"$LOCATION\", \"system_name\": \"vcsa.example.com\", \"timestamp\": \"2026-05-01T02:30:00Z\", \"completed\": \"2026-05-01T02:44:07Z\", \"archive\": \"S_8.0.3.00400_20260501-023000_\", \"parts\": [\"seat\"], \"comment\": \"nightly\"}"
    admin archives "{\"location\": \"$LOCATION\", \"system_name\": \"vcsa.example.com\", \"timestamp\": \"2026-05-02T12:00:00Z\", \"archive\": \"M_8.0.3.00400_20260502-120000_\", \"comment\": \"before the upgrade\"}"
    admin archives "{\"location\": \"$LOCATION\", \"system_name\": \"vcsa-02.example.com\", \"timestamp\": \"2026-05-01T02:30:00Z\", \"archive\": \"S_7.0.3.01000_20260501-023000_\", \"version\": \"7.0.3.01000\"}"
    admin schedules "{\"schedule\": \"nightly\", \"spec\": {\"location\": \"$LOCATION\", \"location_user\": \"backup\", \"location_password\": \"Secr3t!pw\", \"backup_password\": \"VMware1!\", \"parts\": [\"seat\"], \"recurrence_info\": {\"hour\": 2, \"minute\": 30, \"days\": [\"MONDAY\", \"FRIDAY\"]}, \"retention_info\": {\"max_count\": 3}, \"fast_backup\": true}}"
}
seed

# Known identifiers and a well-formed backup target, mixed with generated values, so the tests
# reach the simulator's logic instead of stopping at NOT_FOUND or INVALID_ARGUMENT. Path `id`
# names a job (get, cancel) or a part (part size).
write_config() {
    local token ids
    token="$(login)"
    ids="$(curl --silent --show-error --fail -H "vmware-api-session-id: $token" \
        "$URL/api/appliance/recovery/backup/job" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin) + ["common", "seat", "supervisors"]))')"
    mkdir -p "$REPORT_DIR"
    cat >"$REPORT_DIR/schemathesis.toml" <<TOML
[dictionaries.ids]
values = $ids
[dictionaries.schedules]
values = ["default", "weekly", "nightly"]
[dictionaries.location_types]
values = ["SFTP"]
[dictionaries.locations]
values = ["$LOCATION", "$LOCATION/vCenter/sn_vcsa.example.com/S_8.0.3.00400_20260501-023000_"]
[dictionaries.backup_passwords]
values = ["VMware1!"]
[dictionaries.sso_users]
values = ["$SIM_USER"]
[dictionaries.system_names]
values = $SYSTEM_NAMES
[dictionaries.archives]
values = $ARCHIVES

[parameters]
"path.id" = { dictionary = "ids", probability = 0.5 }
"path.schedule" = { dictionary = "schedules", probability = 0.5 }
"path.system_name" = { dictionary = "system_names", probability = 0.5 }
"path.archive" = { dictionary = "archives", probability = 0.5 }
"query.loc_spec.location" = { dictionary = "locations", probability = 0.5 }
"query.spec.location" = { dictionary = "locations", probability = 0.5 }
"body.location_type" = { dictionary = "location_types", probability = 0.5 }
"body.location" = { dictionary = "locations", probability = 0.5 }
"body.backup_password" = { dictionary = "backup_passwords", probability = 0.5 }
"body.piece.location_type" = { dictionary = "location_types", probability = 0.5 }
"body.piece.location" = { dictionary = "locations", probability = 0.5 }
"body.piece.backup_password" = { dictionary = "backup_passwords", probability = 0.5 }
"body.sso_admin_user_name" = { dictionary = "sso_users", probability = 0.5 }
"body.piece.sso_admin_user_name" = { dictionary = "sso_users", probability = 0.5 }
"body.spec.sso_admin_user_name" = { dictionary = "sso_users", probability = 0.5 }
"body.schedule" = { dictionary = "schedules", probability = 0.5 }
"body.spec.location" = { dictionary = "locations", probability = 0.5 }
"body.spec.backup_password" = { dictionary = "backup_passwords", probability = 0.5 }
"body.loc_spec.location" = { dictionary = "locations", probability = 0.5 }
TOML
}
write_config

# One schemathesis run over the operations selected by the extra arguments.
# Checks: every response must match the spec (status code, content type, headers, body
# schema) and no input may produce a 5xx; schema-invalid input must be refused (4xx).
run_schemathesis() {
    local name="$1"
    shift
    local token
    token="$(login)"
    log "schemathesis: $name"
    "$VENV/bin/schemathesis" --config-file "$REPORT_DIR/schemathesis.toml" run "$ROOT/spec/vcsa-backup.yaml" \
        --url "$URL" \
        --header "vmware-api-session-id: $token" \
        --auth "$SIM_USER:$SIM_PASSWORD" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection \
        --phases examples,coverage,fuzzing \
        --max-examples "$MAX_EXAMPLES" \
        --max-time "$MAX_TIME" \
        --seed "$SEED" \
        --workers 2 \
        --request-timeout 10 \
        --report junit --report-dir "$REPORT_DIR/$name" \
        "$@"
}

status=0
# Log out ends the session the other operations use: run them on their own, last.
run_schemathesis operations --exclude-operation-id delete_session --exclude-operation-id rest_delete_session || status=1
MAX_TIME=20 run_schemathesis logout --include-operation-id delete_session --include-operation-id rest_delete_session || status=1

# The restore operations on an appliance that awaits restore (the normal appliance above refuses
# them the vendor's way): a second simulator in that mode, when the simulator offers it.
if "$SIM_BIN" --help 2>/dev/null | grep -q -- '--awaiting-restore'; then
    NORMAL_URL="$URL"
    RESTORE_OUT="$(mktemp)"
    VCSA_SIM_PASSWORD="$SIM_PASSWORD" "$SIM_BIN" --listen 127.0.0.1:0 --http --user "$SIM_USER" \
        --awaiting-restore >"$RESTORE_OUT" 2>&1 &
    RESTORE_PID=$!
    URL=""
    for _ in $(seq 1 100); do
        URL="$(head -n 1 "$RESTORE_OUT" 2>/dev/null || true)"
        [[ "$URL" == http://* ]] && break
        sleep 0.1
    done
    if [[ "$URL" == http://* ]]; then
        log "awaiting-restore simulator at $URL"
        MAX_TIME=60 run_schemathesis restore --include-tag recovery || status=1
    else
        cat "$RESTORE_OUT" >&2
        log "the awaiting-restore simulator printed no URL"
        status=1
    fi
    kill "$RESTORE_PID" 2>/dev/null || true
    wait "$RESTORE_PID" 2>/dev/null || true
    rm -f "$RESTORE_OUT"
    URL="$NORMAL_URL"
else
    log "the simulator has no --awaiting-restore mode: the restore operations ran against a normal appliance only"
fi

if kill -0 "$SIM_PID" 2>/dev/null; then
    log "simulator still serving after the run"
else
    log "the simulator died during the run"
    cat "$SIM_OUT" >&2
    status=1
fi

if [[ $status -eq 0 ]]; then log "conformance: passed"; else log "conformance: FAILED"; fi
exit $status
