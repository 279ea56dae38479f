-- wrk script for bench/soak.sh's probe: proxied GETs with one session cookie (given with -H), beside the load.
-- done() prints the probe's latency percentiles and its failures (answers ≥ 400 and socket errors).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("probe-p50-us %d\n", latency:percentile(50)))
  io.write(string.format("probe-p99-us %d\n", latency:percentile(99)))
  io.write(string.format("probe-requests %d\n", summary.requests))
  io.write(string.format("probe-errors %d\n", e.status + e.connect + e.read + e.write + e.timeout))
end
