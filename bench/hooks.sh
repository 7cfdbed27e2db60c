#!/usr/bin/env bash
# The incoming-webhook benchmark (Debian packages only: wrk, postgresql-client, curl, python3): builds the release
# binary, starts the service on a fresh embedded PostgreSQL, creates an incoming integration posting into one
# room, and measures with wrk (-t2, CONNECTIONS connections, DURATION s) POSTs of a small JSON message to its
# /hooks URL:
#   (a) the room has no outgoing integration;
#   (b) the room has one matching outgoing integration, delivering to the load test's sink on loopback (each
#       accepted call also writes a delivery, delivered while the benchmark runs);
# printing calls/s, latency percentiles, CPU per call (service and PostgreSQL, from /proc), and checking that
# every accepted call stored its message (and in (b) that every message was delivered). Loopback only.
#
# Usage: bench/hooks.sh [--connections N] [--duration SECONDS] [--workers N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.bash
. bench/lib.bash

connections=64
duration=10
workers=${WORKERS:-}
while [ $# -gt 0 ]; do
    case "$1" in
        --connections) connections=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        *) echo "usage: bench/hooks.sh [--connections N] [--duration SECONDS] [--workers N]" >&2; exit 2 ;;
    esac
done
for tool in wrk psql curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/hooks.sh needs $tool (apt-get install wrk postgresql-client curl python3)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/integrations-hooks-bench.XXXXXX)
chmod 755 "$work"
service_pid=""
sink_pid=""
cleanup() {
    if [ -n "$sink_pid" ]; then kill -TERM "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; fi
    if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "building (release)..."
swift build -c release --product integrations >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
read -r port pg_port sink_port < <(free_ports)
admin_pass=bench-admin-password
echo "starting the service (embedded PostgreSQL in $work)..."
env DATA_DIR="$work/data" PORT=$port BIND_IP=127.0.0.1 EMBEDDED_POSTGRES_PORT=$pg_port ADMIN_PASS=$admin_pass \
    LOG_LEVEL=warning METRICS_PORT=0 OVERWRITE_SETTING_API_Enable_Rate_Limiter=false ${workers:+WORKERS=$workers} \
    OUTGOING_ALLOWED_CIDRS=127.0.0.1/32 OUTGOING_ONLY_ALLOWED_CIDRS=true OUTGOING_RESOLVE_HOSTS=false \
    .build/release/integrations serve >"$work/service.log" 2>&1 &
service_pid=$!
wait_until_up "http://127.0.0.1:$port/readyz" "$work/service.log"
export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGDATABASE=integrations
PGPASSWORD=$(cat "$work/data/postgres.password")
export PGPASSWORD

.build/release/integrations loadtest sink --port "$sink_port" >"$work/sink.out" 2>"$work/sink.log" &
sink_pid=$!
wait_until_up "http://127.0.0.1:$sink_port/stats" "$work/sink.log"

api() { # method path [json]
    curl -fsS -X "$1" -H "X-User-Id: $user_id" -H "X-Auth-Token: $auth_token" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "http://127.0.0.1:$port/api/v1/$2"
}
json_get() { python3 -c 'import json, sys
value = json.loads(sys.stdin.read())
for key in sys.argv[1].split("."): value = value[key]
print(value)' "$1"; }
read -r user_id auth_token < <(python3 bench/deliver-client.py login --port "$port" --password "$admin_pass")

declare -A rate p99 cpu stored

# measure NAME OUTGOING(yes|no) KEY: a room of its own, a hook posting into it, wrk against the hook, then the checks.
measure() {
    local name=$1 outgoing=$2 key=$3 room room_id hook hook_id token output line requests seconds non200 service0 postgres0 service1 postgres1
    room="bench-$key-$RANDOM"
    room_id=$(api POST channels.create "{\"name\":\"$room\"}" | json_get channel._id)
    hook=$(api POST integrations.create "{\"type\":\"webhook-incoming\",\"name\":\"bench $key\",\"enabled\":true,\"username\":\"admin\",\"channel\":\"#$room\",\"scriptEnabled\":false}")
    hook_id=$(json_get integration._id <<<"$hook")
    token=$(json_get integration.token <<<"$hook")
    if [ "$outgoing" = yes ]; then
        api POST integrations.create "{\"type\":\"webhook-outgoing\",\"name\":\"bench out $key\",\"enabled\":true,\"event\":\"sendMessage\",\"channel\":\"#$room\",\"urls\":[\"http://127.0.0.1:$sink_port/hook\"],\"username\":\"rocket.cat\",\"scriptEnabled\":false}" >/dev/null
    fi
    curl -fsS -X DELETE "http://127.0.0.1:$sink_port/stats" >/dev/null
    service0=$(cpu_ticks $(service_pids)); postgres0=$(cpu_ticks $(postgres_pids))
    output=$(wrk -t2 -c"$connections" -d"${duration}s" -s bench/hook-post.lua "http://127.0.0.1:$port/hooks/$hook_id/$token")
    service1=$(cpu_ticks $(service_pids)); postgres1=$(cpu_ticks $(postgres_pids))
    line=$(grep '^RESULT' <<<"$output")
    requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
    seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
    non200=$(sed -E 's/.* non200=([0-9]+).*/\1/' <<<"$line")
    local accepted=$((requests - non200)) messages delivered=""
    sleep 1 # the calls wrk left in flight
    messages=$(psql -Atc "SELECT count(*) FROM messages WHERE rid = '$room_id'")
    rate[$name]=$(python3 -c "print(round($accepted / $seconds))")
    p99[$name]=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    cpu[$name]=$(python3 -c "r = max($accepted, 1); print('%.0f us (%.0f + %.0f)' % ((($service1 - $service0) + ($postgres1 - $postgres0)) * $tick_us / r, ($service1 - $service0) * $tick_us / r, ($postgres1 - $postgres0) * $tick_us / r))")
    # The calls still in flight when wrk stops are answered and stored too: messages >= accepted.
    stored[$name]="$messages for $accepted accepted"
    if [ "$outgoing" = yes ]; then
        delivered=$(python3 bench/deliver-client.py wait --port "$sink_port" --count "$messages" --timeout 120 | json_get count)
        stored[$name]="${stored[$name]}, delivered $delivered"
    fi
    printf '%-44s %6s calls/s  %s\n' "$name" "${rate[$name]}" "$(cut -d' ' -f4- <<<"$line")"
    printf '%-44s CPU per call %s; messages stored %s\n' "" "${cpu[$name]}" "${stored[$name]}"
}

echo
echo "== incoming webhook calls (wrk -t2 -c$connections, ${duration}s each) =="
measure "(a) no outgoing integration" no a
measure "(b) one matching outgoing integration" yes b
echo
echo "| | calls/s | p99 ms | CPU per call (service + PostgreSQL) | messages stored |"
echo "|---|---|---|---|---|"
for name in "(a) no outgoing integration" "(b) one matching outgoing integration"; do
    echo "| $name | ${rate[$name]} | ${p99[$name]} | ${cpu[$name]} | ${stored[$name]} |"
done
echo
echo "target: >= 5000 accepted calls/s with every message stored, p99 < 20 ms: (a) ${rate["(a) no outgoing integration"]}/s, p99 ${p99["(a) no outgoing integration"]} ms"
