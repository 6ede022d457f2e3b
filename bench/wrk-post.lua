-- POSTs the JSON body in $WRK_BODY (wrk's requests are GETs otherwise), then reports as wrk-report.lua does.
-- Used by gateway-vs-direct.sh through BENCH_WRK_SCRIPT.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-report.lua")
