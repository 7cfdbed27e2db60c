#!/usr/bin/env bash
# The outgoing-webhook delivery benchmark (Debian packages only: postgresql-client, curl, python3, procps):
# builds the release binary, starts the service on a fresh embedded PostgreSQL, starts the load test's
# delivery sink (`integrations loadtest sink`) on loopback, and measures
#   (a) fan-out: FANOUT integrations on #general to the sink, MESSAGES messages posted as fast as POSTERS
#       concurrent posters allow; deliveries/s from the first post to the last arrival, event-to-delivery
#       latency (the payload's timestamp to the sink's arrival), CPU per delivery, and the history it wrote;
#       REPEAT times (default 3; each with integrations of its own), the summary showing the median run, since
#       a shared 2-core machine moves one run's figure by 20 %;
#   (b) steady stream: STEADY integrations, messages at a constant RATE/s for DURATION s (a poster that
#       schedules by time, not by completion); achieved deliveries/s, latency p50/p99/max, CPU per delivery.
# Everything it runs talks to 127.0.0.1 only.
#
# Each measurement also reports the commits, WAL records, WAL bytes and WAL syncs per delivery (pg_stat_database,
# pg_stat_wal), the machine's CPU use (/proc/stat: what the service and PostgreSQL used, and what everything else did,
# since other work on the machine moves the figures), and with --sample-waits what PostgreSQL's client backends
# were doing (pg_stat_activity sampled every 5 ms: running, waiting on WAL, idle waiting for the service).
#
# Usage: bench/deliver.sh [--workers N] [--fanout N] [--messages M] [--repeat K] [--posters P] [--steady N] [--rate R] [--duration S]
#                         [--sample-waits] [--env NAME=VALUE]...
#   --env    a setting for the service (OUTGOING_CONCURRENCY=128, DB_POOL_MAX=8, DB_PIPELINE_DEPTH=1, ...), repeatable
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.bash
. bench/lib.bash

workers=${WORKERS:-}
fanout=100
messages=100
repeats=3
posters=4
steady=10
rate=100
duration=10
sample_waits=false
service_env=()
while [ $# -gt 0 ]; do
    case "$1" in
        --workers) workers=$2; shift 2 ;;
        --fanout) fanout=$2; shift 2 ;;
        --messages) messages=$2; shift 2 ;;
        --repeat) repeats=$2; shift 2 ;;
        --posters) posters=$2; shift 2 ;;
        --steady) steady=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --sample-waits) sample_waits=true; shift ;;
        --env) service_env+=("$2"); shift 2 ;;
        *)
            echo "usage: bench/deliver.sh [--workers N] [--fanout N] [--messages M] [--repeat K] [--posters P] [--steady N] [--rate R] [--duration S]" \
                "[--sample-waits] [--env NAME=VALUE]..." >&2
            exit 2
            ;;
    esac
done
for tool in curl psql python3 pgrep getconf; do
    command -v "$tool" >/dev/null || { echo "bench/deliver.sh needs $tool (Debian: curl, postgresql-client, python3, procps)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/integrations-deliver-bench.XXXXXX)
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
# Loopback webhooks need OUTGOING_ALLOWED_CIDRS; with OUTGOING_ONLY_ALLOWED_CIDRS and no name resolution the
# engine can reach nothing else.
env DATA_DIR="$work/data" PORT=$port BIND_IP=127.0.0.1 EMBEDDED_POSTGRES_PORT=$pg_port ADMIN_PASS=$admin_pass \
    LOG_LEVEL=warning METRICS_PORT=0 OVERWRITE_SETTING_API_Enable_Rate_Limiter=false ${workers:+WORKERS=$workers} \
    OUTGOING_ALLOWED_CIDRS=127.0.0.1/32 OUTGOING_ONLY_ALLOWED_CIDRS=true OUTGOING_RESOLVE_HOSTS=false "${service_env[@]}" \
    .build/release/integrations serve >"$work/service.log" 2>&1 &
service_pid=$!
wait_until_up "http://127.0.0.1:$port/readyz" "$work/service.log"

export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGDATABASE=integrations
PGPASSWORD=$(cat "$work/data/postgres.password")
export PGPASSWORD

.build/release/integrations loadtest sink --port "$sink_port" --report-file "$work/sink-final.json" 2>"$work/sink.log" &
sink_pid=$!
wait_until_up "http://127.0.0.1:$sink_port/stats" "$work/sink.log"
sink_url=http://127.0.0.1:$sink_port/hook

client() { python3 bench/deliver-client.py "$@"; }
read -r user_id auth_token < <(client login --port "$port" --password "$admin_pass")
auth=(--port "$port" --auth "$user_id" "$auth_token")

# A field of a JSON text: json_get TEXT latency_ms.p99
json_get() {
    python3 -c 'import json, sys
value = json.loads(sys.argv[1])
for key in sys.argv[2].split("."): value = value[key]
print(value)' "$1" "$2"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Waits until the sink has received $1 calls (at most $2 seconds); prints its report.
wait_for_deliveries() { client wait --port "$sink_port" --count "$1" --timeout "$2"; }
queued() { psql -Atc "SELECT count(*) FROM outgoing_deliveries"; }
# Waits until no delivery is queued (at most $1 seconds); prints how many still are.
wait_for_empty_queue() {
    local deadline=$(($(now_ms) + $1 * 1000)) left
    left=$(queued)
    while [ "$left" -gt 0 ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; left=$(queued); done
    echo "$left"
}

# The machine's busy, total and stolen clock ticks so far (all CPUs): "busy total steal". Steal is time the
# hypervisor gave this machine's CPUs to someone else.
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6, $9 }' /proc/stat; }
# Samples what PostgreSQL's client backends do every 5 ms until the file $2 exists; writes the summary to $1.
sample_waits() {
    local out=$1 stop=$2
    psql -q -v stop="$stop" >"$out" 2>&1 <<'SQL'
CREATE TEMP TABLE samples (pid int, activity text, query text);
SET bench.stop = :'stop';
DO $$
DECLARE i int := 0;
BEGIN
    -- At most 60 s; pg_stat_file tells when the script has created the stop file.
    WHILE i < 12000 AND (pg_stat_file(current_setting('bench.stop'), true)).size IS NULL LOOP
        INSERT INTO samples
        SELECT pid, state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'running'), left(regexp_replace(query, '\s+', ' ', 'g'), 50)
        FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid();
        PERFORM pg_stat_clear_snapshot();
        PERFORM pg_sleep(0.005);
        i := i + 1;
    END LOOP;
    PERFORM set_config('bench.samples', i::text, false);
END $$;
SELECT current_setting('bench.samples') AS samples \gset
\echo   pg_stat_activity, :samples samples: client backends by state and wait (average number of backends)
SELECT activity, round(count(*)::numeric / :samples, 2) AS backends FROM samples GROUP BY 1 ORDER BY 2 DESC LIMIT 8;
\echo   active backends by statement and wait
SELECT query, activity, round(count(*)::numeric / :samples, 2) AS backends FROM samples WHERE activity NOT LIKE 'idle%'
GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10;
SQL
}
# The database's transactions and WAL so far: "commits wal_records wal_bytes wal_syncs".
pg_counters() {
    psql -Atc "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) || ' ' || wal_records || ' ' || wal_bytes || ' ' || wal_sync FROM pg_stat_wal" | tr -d '\r'
}

declare -A result
# measure NAME INTEGRATIONS POSTER-ARGUMENTS...: creates the integrations, warms up with one message, then
# posts, waits for every delivery and for the queue to empty, and reports.
measure() {
    local name=$1 count=$2
    shift 2
    client create "${auth[@]}" --count "$count" --url "$sink_url" --name "bench-$name-" >"$work/ids-$name"
    client post "${auth[@]}" --count 1 --concurrency 1 --text warm-up >/dev/null
    wait_for_deliveries "$count" 30 >/dev/null
    [ "$(wait_for_empty_queue 30)" = 0 ] || echo "warning: the warm-up left deliveries queued" >&2
    curl -fsS -X DELETE "http://127.0.0.1:$sink_port/stats" >/dev/null
    local history0 service0 postgres0 counters0 machine0 sink0 service1 postgres1 counters1 machine1 sink1 posted expected stats left
    local history1 finished vmstat_pid sampler_pid=""
    history0=$(psql -Atc "SELECT count(*) FROM integration_history")
    sleep 1.2 # the statistics of the warm-up reach pg_stat_* (backends report them at most once a second)
    counters0=$(pg_counters)
    if $sample_waits; then
        sample_waits "$work/waits-$name" "$work/stop-sampling-$name" &
        sampler_pid=$!
    fi
    service0=$(cpu_ticks $(service_pids)); postgres0=$(cpu_ticks $(postgres_pids)); sink0=$(cpu_ticks "$sink_pid"); machine0=$(machine_ticks)
    vmstat 1 120 >"$work/vmstat-$name" 2>/dev/null &
    vmstat_pid=$!
    client post "${auth[@]}" "$@" >"$work/post-$name.json"
    posted=$(json_get "$(cat "$work/post-$name.json")" posted)
    expected=$((posted * count))
    stats=$(wait_for_deliveries "$expected" 120)
    left=$(wait_for_empty_queue 30)
    service1=$(cpu_ticks $(service_pids)); postgres1=$(cpu_ticks $(postgres_pids)); sink1=$(cpu_ticks "$sink_pid"); machine1=$(machine_ticks)
    kill "$vmstat_pid" 2>/dev/null || true
    wait "$vmstat_pid" 2>/dev/null || true
    if [ -n "$sampler_pid" ]; then
        touch "$work/stop-sampling-$name"
        wait "$sampler_pid" || true
    fi
    sleep 1.2
    counters1=$(pg_counters)
    history1=$(psql -Atc "SELECT count(*) FROM integration_history")
    finished=$(psql -Atc "SELECT count(*) FROM integration_history WHERE doc ->> 'step' = 'after-http-call'")
    python3 - "$name" "$count" "$expected" "$stats" "$(cat "$work/post-$name.json")" "$service0 $service1 $postgres0 $postgres1 $sink0 $sink1" \
        "$counters0" "$counters1" "$tick_us" "$history0" "$history1" "$finished" "$left" "$work/vmstat-$name" "$work/result-$name" \
        "$machine0 $machine1 $(getconf _NPROCESSORS_ONLN)" <<'PY'
import json, sys
(name, integrations, expected, stats, post, cpu, counters0, counters1, tick_us, history0, history1, finished, left,
 vmstat_file, result_file, machine) = sys.argv[1:]
integrations, expected, tick_us = int(integrations), int(expected), int(tick_us)
stats, post = json.loads(stats), json.loads(post)
service0, service1, postgres0, postgres1, sink0, sink1 = map(int, cpu.split())
busy0, total0, steal0, busy1, total1, steal1, cpus = map(int, machine.split())
c0, c1 = [list(map(float, c.split())) for c in (counters0, counters1)]
deliveries = stats["count"]
d = max(deliveries, 1)
span_ms = (stats.get("last_arrival_ms") or post["first_post_ms"]) - post["first_post_ms"]
rate_from_post = deliveries / (span_ms / 1000) if span_ms > 0 else 0
arrival_rate = stats["requests_per_second"]
service_us = (service1 - service0) * tick_us / d
postgres_us = (postgres1 - postgres0) * tick_us / d
history = int(history1) - int(history0)
lat = stats["latency_ms"]
idle = ""
try:
    rows = [line.split() for line in open(vmstat_file) if line.split() and line.split()[0].isdigit()]
    if len(rows) > 2:
        rows = rows[1:]  # the first line is the average since boot
        us, sy, i, wa = (sum(int(r[k]) for r in rows) / len(rows) for k in (12, 13, 14, 15))
        idle = f"vmstat over the run: user {us:.0f} %, system {sy:.0f} %, idle {i:.0f} %, iowait {wa:.0f} %"
except OSError:
    pass
ok = deliveries == expected and history == deliveries and int(left) == 0 and int(finished) == int(history1) and stats["duplicates"] == 0
print(f"  posted {post['posted']} messages ({post['failed']} failed) in {post['seconds']} s ({post['posts_per_second']}/s), "
      f"post latency p50 {post['latency_ms']['p50']} ms p99 {post['latency_ms']['p99']} ms max {post['latency_ms']['max']} ms, "
      f"max lag behind schedule {post['max_lag_ms']} ms")
print(f"  deliveries {deliveries} of {expected} expected; {stats['duplicates']} duplicates; {stats['without_timestamp']} without timestamp")
print(f"  first post to last arrival {span_ms / 1000:.3f} s: {rate_from_post:.0f} deliveries/s; "
      f"first to last arrival {stats['seconds']} s: {arrival_rate:.0f} deliveries/s")
print(f"  event-to-delivery latency ms: p50 {lat['p50']}  p90 {lat['p90']}  p99 {lat['p99']}  max {lat['max']}  mean {lat['mean']}")
print(f"  CPU per delivery: service {service_us:.0f} us + PostgreSQL {postgres_us:.0f} us = {service_us + postgres_us:.0f} us")
if len(c0) == 4 and len(c1) == 4:
    print(f"  per delivery: {(c1[0] - c0[0]) / d:.2f} commits, {(c1[1] - c0[1]) / d:.1f} WAL records, "
          f"{(c1[2] - c0[2]) / d:.0f} WAL bytes, {(c1[3] - c0[3]) / d:.2f} WAL syncs")
print(f"  history: {history} records written (want {deliveries}), {finished} of {history1} finished at after-http-call; "
      f"outgoing_deliveries left: {left}  -> {'OK' if ok else 'MISMATCH'}")
if idle:
    print("  " + idle)
if total1 > total0:
    share = lambda ticks: 100 * cpus * ticks / (total1 - total0)  # percent of one core, as top shows it
    print(f"  CPU over the run in % of one core ({100 * cpus} = all {cpus}): machine {share(busy1 - busy0):.0f}, service {share(service1 - service0):.0f}, "
          f"PostgreSQL {share(postgres1 - postgres0):.0f}, sink {share(sink1 - sink0):.0f}, "
          f"everything else (poster, other work, steal) {share(busy1 - busy0 - (service1 - service0) - (postgres1 - postgres0) - (sink1 - sink0)):.0f}, "
          f"of which steal {share(steal1 - steal0):.0f}")
json.dump({"deliveries": deliveries, "expected": expected, "rate": rate_from_post, "arrival_rate": arrival_rate,
           "p50": lat["p50"], "p99": lat["p99"], "max": lat["max"], "cpu": service_us + postgres_us,
           "service_us": service_us, "postgres_us": postgres_us, "ok": ok}, open(result_file, "w"))
PY
    if [ -n "$sampler_pid" ]; then cat "$work/waits-$name"; fi
    client remove "${auth[@]}" <"$work/ids-$name"
}

echo
echo "== (a) fan-out: $fanout integrations on #general, $messages messages from $posters concurrent posters =="
for run in $(seq 1 "$repeats"); do
    [ "$repeats" -gt 1 ] && echo "-- run $run of $repeats"
    measure "fanout-$run" "$fanout" --count "$messages" --concurrency "$posters"
done
echo
echo "== (b) steady stream: $steady integrations, $rate messages/s for $duration s ($((steady * rate)) deliveries/s) =="
measure steady "$steady" --rate "$rate" --duration "$duration" --threads 8

echo
python3 - "$work/result-steady" "$workers" "$work"/result-fanout-* <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
workers = sys.argv[2] or "default"
runs = sorted((json.load(open(f)) for f in sys.argv[3:]), key=lambda r: r["rate"])
a = runs[len(runs) // 2]  # the median run by deliveries/s
a["ok"] = all(r["ok"] for r in runs)
print(f"== summary (workers: {workers}) ==")
print(f"| {'':<34} | {'deliveries':>10} | {'deliveries/s':>12} | {'p50 ms':>6} | {'p99 ms':>6} | {'max ms':>6} | {'CPU/delivery':>16} | {'history':>8} |")
print(f"|{'-' * 36}|{'-' * 12}|{'-' * 14}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 18}|{'-' * 10}|")
label_a = f"(a) fan-out, median of {len(runs)}" if len(runs) > 1 else "(a) fan-out (first post to last)"
for label, r, rate in ((label_a, a, a["rate"]), ("(b) steady stream (arrivals)", b, b["arrival_rate"])):
    print(f"| {label:<34} | {r['deliveries']:>10} | {rate:>12.0f} | {r['p50']:>6} | {r['p99']:>6} | {r['max']:>6} | "
          f"{r['cpu']:>5.0f} us ({r['service_us']:.0f}+{r['postgres_us']:.0f}) | {'OK' if r['ok'] else 'MISMATCH':>8} |")
if len(runs) > 1:
    rates = ", ".join(f"{r['rate']:.0f}" for r in runs)
    print(f"fan-out runs (first post to last arrival): {rates} deliveries/s")
print()
print(f"targets: fan-out >= 3000 deliveries/s with history written: {'met' if a['rate'] >= 3000 and a['ok'] else 'NOT met'} ({a['rate']:.0f}/s); "
      f"p99 < 50 ms at 1,000 deliveries/s: {'met' if b['p99'] < 50 else 'NOT met'} ({b['p99']} ms)")
PY
