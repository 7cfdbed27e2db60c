-- The summary line bench/get.sh reads, shared by the wrk scripts (`dofile("bench/summary.lua")`).
done = function(summary, latency, requests)
    io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f non200=%d errors=%d\n",
        summary.requests, summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency:percentile(99.9) / 1000, latency.max / 1000,
        summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
