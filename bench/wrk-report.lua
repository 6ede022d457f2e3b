-- wrk report in one machine-readable line: requests/s, bytes, errors and latency percentiles (µs).
-- Used by bench_wrk in lib.sh; wrk's own --latency text stays in the run's log for people.
done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_s":%.3f,"bytes":%d,"rps":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d',
    summary.requests, seconds, summary.bytes, summary.requests / seconds,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max))
  for _, p in ipairs({50, 75, 90, 95, 99, 99.9}) do
    io.write(string.format(',"p%s":%d', tostring(p):gsub("%.0$", ""), latency:percentile(p)))
  end
  io.write('}}\n')
end
