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

dofile("bench/summary.lua")
