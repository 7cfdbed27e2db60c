-- wrk script: POST a small JSON message to the incoming webhook at wrk's URL, with bench/get.sh's summary line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"deploy finished","attachments":[{"title":"build","text":"all green"}]}'
dofile("bench/summary.lua")
