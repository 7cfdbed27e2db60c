#!/usr/bin/env bash
# The integrations.get benchmark, side by side on one machine and one seeded PostgreSQL (Debian packages only:
# postgresql, wrk):
#   (a) pgbench -M prepared running bench/reference.pgbench: what a straightforward get costs the database;
#   (b) GET /api/info, the service's cheapest endpoint: the HTTP ceiling of our stack here;
#   (c) integrations.get (admin, random ~1 KB integrations) with historyCount=0 and with the default history;
# at 16 and 64 connections, then the ratios the targets are stated in; then (d) the bundled load test
# (`integrations loadtest run`: the standard request mix with verification) closed-loop and at a constant rate.
#
# Usage: bench/get.sh [--large] [--duration SECONDS] [--workers N]
#   --large   1,000,000 integrations and 5,000,000 history records instead of 10,000 and 50,000
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.bash
. bench/lib.bash

integrations=10000
history_integrations=5000
history_per_integration=10
duration=10
workers=${WORKERS:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --large) integrations=1000000; history_integrations=500000; shift ;;
        --duration) duration=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        *) echo "usage: bench/get.sh [--large] [--duration SECONDS] [--workers N]" >&2; exit 2 ;;
    esac
done
for tool in wrk pgbench psql; do
    command -v "$tool" >/dev/null || { echo "bench/get.sh needs $tool (apt-get install wrk postgresql-client)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/integrations-get-bench.XXXXXX)
chmod 755 "$work"
service_pid=""
cleanup() {
    if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "building (release)..."
swift build -c release --product integrations >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
port=39080
pg_port=39432
echo "starting the service (embedded PostgreSQL in $work)..."
env DATA_DIR=$work/data PORT=$port BIND_IP=127.0.0.1 EMBEDDED_POSTGRES_PORT=$pg_port ADMIN_PASS=bench-admin-password \
    LOG_LEVEL=warning METRICS_PORT=0 OVERWRITE_SETTING_API_Enable_Rate_Limiter=false ${workers:+WORKERS=$workers} \
    .build/release/integrations serve >"$work/service.log" 2>&1 &
service_pid=$!
wait_until_up "http://127.0.0.1:$port/readyz" "$work/service.log"

export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGDATABASE=integrations
PGPASSWORD=$(cat "$work/data/postgres.password")
export PGPASSWORD
echo "seeding $integrations integrations and $((history_integrations * history_per_integration)) history records..."
start=$(date +%s)
DATA_DIR=$work/data EMBEDDED_POSTGRES_PORT=$pg_port LOG_LEVEL=warning .build/release/integrations loadtest seed \
    --integrations "$integrations" --history-integrations "$history_integrations" --history-per-integration "$history_per_integration" >/dev/null
echo "seeded in $(($(date +%s) - start)) s: $(psql -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")"

user_id=benchuser00000001
token=bench-token-1
hash=$(psql -Atc "SELECT encode(sha256(convert_to('$token', 'UTF8')), 'base64')")
export BENCH_INTEGRATIONS=$integrations BENCH_USER_ID=$user_id BENCH_TOKEN=$token

# A correctness check before measuring: the admin gets integration 1 with its history.
curl -fsS -H "X-User-Id: $user_id" -H "X-Auth-Token: $token" \
    "http://127.0.0.1:$port/api/v1/integrations.get?integrationId=benchint000000001" | grep -q '"_id":"benchint000000001"' \
    || curl -fsS -H "X-User-Id: $user_id" -H "X-Auth-Token: $token" \
    "http://127.0.0.1:$port/api/v1/integrations.get?integrationId=benchint000000001" | grep -q '"_id": "benchint000000001"' \
    || { echo "integrations.get does not answer the seeded integration" >&2; exit 1; }

declare -A rate p99
# CPU: cpu_ticks, service_pids (without the embedded postmaster) and postgres_pids from bench/lib.bash; pgbench's
# backends end with their connections, so their CPU is counted as the postmaster's exited children.
run_wrk() { # name connections script [env...]
    local name=$1 connections=$2 script=$3
    local output line service0 postgres0 service1 postgres1
    service0=$(cpu_ticks $(service_pids)); postgres0=$(cpu_ticks $(postgres_pids))
    output=$({ env "${@:4}" wrk -t2 -c"$connections" -d"${duration}s" -s "$script" "http://127.0.0.1:$port${path:-/}"; times; })
    service1=$(cpu_ticks $(service_pids)); postgres1=$(cpu_ticks $(postgres_pids))
    line=$(grep '^RESULT' <<<"$output")
    local requests seconds wrk_seconds
    requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
    seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
    # `times`' second line: the children's (wrk's) user and system time, as 0m1.234s 0m0.567s.
    wrk_seconds=$(tail -1 <<<"$output" | sed -E 's/([0-9]+)m([0-9.]+)s ([0-9]+)m([0-9.]+)s/\1*60+\2+\3*60+\4/')
    rate[$name]=$(python3 -c "print(round($requests / $seconds))")
    p99[$name]=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    printf '%-34s %8s req/s  %s\n' "$name" "${rate[$name]}" "$(cut -d' ' -f4- <<<"$line")"
    python3 -c "
r = max($requests, 1)
print('%-34s CPU per request: service %.0f us, PostgreSQL %.0f us, wrk %.0f us' % ('', ($service1 - $service0) * $tick_us / r, ($postgres1 - $postgres0) * $tick_us / r, ($wrk_seconds) * 1e6 / r))"
}

echo
echo "== measurements (${duration}s each, wrk -t2) =="
for c in 16 64; do
    postgres0=$(cpu_ticks $(postgres_pids))
    out=$({ pgbench -n -M prepared -c "$c" -j 2 -T "$duration" -D integrations="$integrations" -D uid="$user_id" -D hash="$hash" \
        -f bench/reference.pgbench 2>&1; times; })
    postgres1=$(cpu_ticks $(postgres_pids))
    tps=$(grep -E '^tps' <<<"$out" | head -1 | sed -E 's/tps = ([0-9.]+).*/\1/')
    transactions=$(grep -E 'number of transactions actually processed' <<<"$out" | sed -E 's/.*: ([0-9]+).*/\1/')
    latency=$(grep -E 'latency average' <<<"$out" | sed -E 's/.*= //')
    client_seconds=$(tail -1 <<<"$out" | sed -E 's/([0-9]+)m([0-9.]+)s ([0-9]+)m([0-9.]+)s/\1*60+\2+\3*60+\4/')
    rate[pgbench-$c]=$(python3 -c "print(round($tps))")
    printf '%-34s %8s tx/s   latency avg %s\n' "(a) pgbench reference, $c clients" "${rate[pgbench-$c]}" "$latency"
    python3 -c "
t = max($transactions, 1)
print('%-34s CPU per transaction: PostgreSQL %.0f us, pgbench %.0f us' % ('', ($postgres1 - $postgres0) * $tick_us / t, ($client_seconds) * 1e6 / t))"
done
for c in 16 64; do
    path=/api/info run_wrk "(b) /api/info, $c connections" "$c" bench/info.lua
    run_wrk "(c) get historyCount=0, $c conn." "$c" bench/get-random.lua BENCH_HISTORY=0
    run_wrk "(c) get default history, $c conn." "$c" bench/get-random.lua BENCH_HISTORY=default
done

get64=${rate["(c) get historyCount=0, 64 conn."]}
echo
echo "== ratios at 64 connections =="
python3 - "$get64" "${rate[pgbench-64]}" "${rate["(b) /api/info, 64 connections"]}" "${p99["(c) get historyCount=0, 64 conn."]}" <<'PY'
import sys
get, pgbench, ceiling, p99 = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"integrations.get / pgbench reference: {get / pgbench:.2f}  (target >= 1.0)")
print(f"integrations.get / HTTP ceiling:      {get / ceiling:.2f}  (target >= 0.7)")
print(f"integrations.get p99:                 {p99:.1f} ms  (target < 20 ms)")
PY
echo
echo "== (d) integrations loadtest run, standard mix, 64 connections =="
.build/release/integrations loadtest run --url "http://127.0.0.1:$port" --integrations "$integrations" \
    --history-integrations "$history_integrations" --connections 64 --duration "$duration" --quiet --json "$work/closed.json" || true
closed_rate=$(python3 -c "import json; print(int(json.load(open('$work/closed.json'))['requests_per_second']))")
half=$((closed_rate / 2 > 0 ? closed_rate / 2 : 1))
echo "== (d) the same at a constant $half req/s (half the closed-loop rate; latency from the intended send time) =="
.build/release/integrations loadtest run --url "http://127.0.0.1:$port" --integrations "$integrations" \
    --history-integrations "$history_integrations" --connections 64 --duration "$duration" --rate "$half" --quiet --json "$work/rate.json" || true
echo
for pid in $(pgrep -f "integrations worker" || true); do
    echo "worker $pid RSS: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status")"
done
