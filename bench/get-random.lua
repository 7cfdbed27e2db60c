-- wrk script: authenticated integrations.get of a random integration among BENCH_INTEGRATIONS.
local count = tonumber(os.getenv("BENCH_INTEGRATIONS") or "10000")
local history = os.getenv("BENCH_HISTORY") or "0"
wrk.headers["X-User-Id"] = os.getenv("BENCH_USER_ID")
wrk.headers["X-Auth-Token"] = os.getenv("BENCH_TOKEN")

request = function()
    local id = string.format("benchint%09d", math.random(1, count))
    local query = history == "default" and "" or "&historyCount=" .. history
    return wrk.format("GET", "/api/v1/integrations.get?integrationId=" .. id .. query)
end

local failures = 0
response = function(status, headers, body)
    if status ~= 200 then failures = failures + 1 end
end

done = function(summary, latency, requests)
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f non200=%d errors=%d\n",
        summary.requests, summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000,
        summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
