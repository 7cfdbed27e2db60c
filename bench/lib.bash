# Helpers the benchmark scripts share (sourced; they set $work, $service_pid). Everything talks to 127.0.0.1.

# Three free loopback ports, so that two runs on one machine (or another service) never meet.
free_ports() {
    python3 -c 'import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))'
}

# Waits (at most 60 s) until URL answers; prints LOG and fails when it never does.
wait_until_up() { # url log
    for _ in $(seq 1 300); do
        if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    curl -fsS "$1" >/dev/null || { cat "$2"; exit 1; }
}

# CPU used (user + system, in clock ticks) by processes and their exited children.
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        fields=$(sed -E 's/^[0-9]+ \(.*\) //' "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a f <<<"$fields"
        total=$((total + f[11] + f[12] + f[13] + f[14]))
    done
    echo "$total"
}
# The embedded PostgreSQL's postmaster, the service's processes without it, and PostgreSQL's processes.
postmaster_pid() { head -1 "$work/data/postgres/postmaster.pid"; }
service_pids() { echo "$service_pid" $(pgrep -P "$service_pid" | grep -vx "$(postmaster_pid)" || true); }
postgres_pids() { local postmaster; postmaster=$(postmaster_pid); echo "$postmaster" $(pgrep -P "$postmaster"); }
tick_us=$((1000000 / $(getconf CLK_TCK)))
