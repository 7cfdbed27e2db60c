-- wrk script: GET /api/info (no database), with bench/get.sh's summary line.
dofile("bench/summary.lua")
