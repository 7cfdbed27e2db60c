#!/usr/bin/env python3
"""The REST client of bench/deliver.sh (Python standard library only; loopback only).

  login     --port P --password PASS                          -> "USER_ID AUTH_TOKEN"
  create    --port P --auth U T --count N --url URL --channel C  -> one integration id a line
  remove    --port P --auth U T < ids
  post      --port P --auth U T --room R (--count N --concurrency C | --rate R --duration S [--threads K])
            -> one JSON line: posted, failed, first_post_ms, last_post_ms, latency (ms) p50/p99/max, max_lag_ms
  wait      --port SINK --count N --timeout S  -> the sink's report once it has N calls (or at the timeout)

`post --rate` is a constant-rate poster that does not coordinate-omit: message i is due at start + i/rate,
whatever happened to the messages before it; K threads (each with its own keep-alive connection) take the
messages in turn, a message whose time has passed is sent at once, and its latency is measured from its due
time, so a stall of the service shows up as latency and lag instead of as a lower rate.
"""

import argparse
import http.client
import json
import sys
import threading
import time

HOST = "127.0.0.1"  # the benchmark sends nothing beyond the machine


class Client:
    def __init__(self, port, auth=None):
        self.port = port
        self.auth = auth
        self.connection = None

    def request(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.auth:
            headers["X-User-Id"], headers["X-Auth-Token"] = self.auth
        data = json.dumps(body).encode() if body is not None else None
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):
            # Not retried: a post the service did handle would be delivered twice. The next request reconnects.
            self.connection.close()
            self.connection = None
            raise


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def login(args):
    status, payload = Client(args.port).request("POST", "/api/v1/login", {"user": "admin", "password": args.password})
    body = json.loads(payload)
    if status != 200 or body.get("status") != "success":
        sys.exit(f"login failed: {status} {payload[:200]!r}")
    print(body["data"]["userId"], body["data"]["authToken"])


def create(args):
    client = Client(args.port, tuple(args.auth))
    for index in range(1, args.count + 1):
        status, payload = client.request(
            "POST",
            "/api/v1/integrations.create",
            {
                "type": "webhook-outgoing",
                "name": f"{args.name}{index}",
                "enabled": True,
                "event": "sendMessage",
                "channel": args.channel,
                "urls": [args.url],
                "username": "rocket.cat",
                "scriptEnabled": False,
                "token": "t",
            },
        )
        body = json.loads(payload)
        if status != 200 or not body.get("success"):
            sys.exit(f"integrations.create failed: {status} {payload[:300]!r}")
        print(body["integration"]["_id"])


def remove(args):
    client = Client(args.port, tuple(args.auth))
    for line in sys.stdin:
        integration_id = line.strip()
        if not integration_id:
            continue
        status, payload = client.request("POST", "/api/v1/integrations.remove", {"type": "webhook-outgoing", "integrationId": integration_id})
        if status != 200:
            sys.exit(f"integrations.remove failed: {status} {payload[:300]!r}")


def post(args):
    rate_mode = args.rate is not None
    total = int(args.rate * args.duration) if rate_mode else args.count
    workers = args.threads if rate_mode else args.concurrency
    lock = threading.Lock()
    next_index = [0]
    results = []  # (latency_ms, lag_ms, ok, sent_ms)
    start = time.monotonic() + 0.05
    wall_start = time.time() - time.monotonic()  # wall clock = monotonic + wall_start

    def take():
        with lock:
            if next_index[0] >= total:
                return None
            next_index[0] += 1
            return next_index[0] - 1

    def work():
        client = Client(args.port, tuple(args.auth))
        local = []
        while True:
            index = take()
            if index is None:
                break
            due = start + index / args.rate if rate_mode else None
            if due is not None:
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            sent = time.monotonic()
            ok = False
            try:
                status, payload = client.request("POST", "/api/v1/chat.postMessage", {"roomId": args.room, "text": f"{args.text} {index}"})
                ok = status == 200 and b'"success":true' in payload.replace(b" ", b"")
            except (http.client.HTTPException, OSError):
                pass
            done = time.monotonic()
            origin = due if due is not None else sent
            local.append(((done - origin) * 1000, ((sent - due) * 1000) if due is not None else 0.0, ok, (sent + wall_start) * 1000))
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(r[0] for r in results)
    sent = [r[3] for r in results]
    posted = sum(1 for r in results if r[2])
    first, last = (min(sent), max(sent)) if sent else (0, 0)
    print(
        json.dumps(
            {
                "mode": "rate" if rate_mode else "burst",
                "target_rate": args.rate,
                "posted": posted,
                "failed": len(results) - posted,
                "first_post_ms": int(first),
                "last_post_ms": int(last),
                "seconds": round((last - first) / 1000, 3),
                "posts_per_second": round((len(results) - 1) / ((last - first) / 1000), 1) if last > first else 0,
                "latency_ms": {
                    "p50": round(percentile(latencies, 50), 2),
                    "p99": round(percentile(latencies, 99), 2),
                    "max": round(latencies[-1], 2) if latencies else 0,
                },
                "max_lag_ms": round(max((r[1] for r in results), default=0), 2),
            }
        )
    )


def wait(args):
    """Polls the sink's GET /stats on one keep-alive connection every 20 ms: cheaper than a process per poll."""
    client = Client(args.port)
    deadline = time.monotonic() + args.timeout
    while True:
        status, payload = client.request("GET", "/stats")
        if status != 200:
            sys.exit(f"the sink answered {status}")
        if json.loads(payload)["count"] >= args.count or time.monotonic() >= deadline:
            print(payload.decode().strip())
            return
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("login", "create", "remove", "post", "wait"):
        command = commands.add_parser(name)
        command.add_argument("--port", type=int, required=True)
        if name == "login":
            command.add_argument("--password", required=True)
        elif name == "wait":
            command.add_argument("--count", type=int, required=True)
            command.add_argument("--timeout", type=float, required=True)
        else:
            command.add_argument("--auth", nargs=2, metavar=("USER_ID", "TOKEN"), required=True)
        if name == "create":
            command.add_argument("--count", type=int, required=True)
            command.add_argument("--url", required=True)
            command.add_argument("--channel", default="#general")
            command.add_argument("--name", default="bench-outgoing-")
        if name == "post":
            command.add_argument("--room", default="GENERAL")
            command.add_argument("--text", default="bench message")
            command.add_argument("--count", type=int, default=100)
            command.add_argument("--concurrency", type=int, default=4)
            command.add_argument("--rate", type=float)
            command.add_argument("--duration", type=float, default=10)
            command.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    {"login": login, "create": create, "remove": remove, "post": post, "wait": wait}[args.command](args)


if __name__ == "__main__":
    main()
