-- Counts responses by whether they carry the scenario's expected status (first script argument), and
-- prints one machine-readable line at the end. BENCH_BODY / BENCH_CONTENT_TYPE turn the request into a POST.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local body = os.getenv("BENCH_BODY")
if body and #body > 0 then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/x-www-form-urlencoded"
end

-- BENCH_USERS=N: each request's form user name gets a suffix -0 ... -(N-1) in turn (logins spread over N users).
local users = tonumber(os.getenv("BENCH_USERS") or "0")
if body and #body > 0 and users > 0 then
  local sent = 0
  function request()
    sent = sent + 1
    local spread = string.gsub(body, "username=([^&]*)", "username=%1-" .. (sent % users))
    return wrk.format(nil, nil, nil, spread)
  end
end

function init(args)
  expected = tonumber(args[1] or "200")
  ok = 0
  unexpected = 0
  last_bad = 0
end

function response(status, headers, body)
  if status == expected then
    ok = ok + 1
  else
    unexpected = unexpected + 1
    last_bad = status
  end
end

function done(summary, latency, requests)
  local good, bad, bad_status = 0, 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    bad = bad + thread:get("unexpected")
    local s = thread:get("last_bad")
    if s and s > 0 then bad_status = s end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f ok=%d bad=%d bad_status=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    good, bad, bad_status, socket))
end
