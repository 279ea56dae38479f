-- wrk script for bench/soak.sh: steady load with session churn. Each thread keeps a small pool of session
-- cookies; most requests use one (GET through the proxy), every LOGIN_EVERY-th request logs in (JSON, new
-- session, bcrypt) and every LOGOUT_EVERY-th logs one out (the cookie leaves the pool before the request is sent).
-- done() prints per-status counts as "soak-status <code> <count>" lines for soak.sh to parse.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  login_every = tonumber(os.getenv("LOGIN_EVERY") or "400")
  logout_every = tonumber(os.getenv("LOGOUT_EVERY") or "450")
  pool = {}
  counter = 0
  statuses = {}
  login_refused = 0
  login_body = '{"username":"' .. (os.getenv("SOAK_USER") or "demo") .. '","password":"' .. (os.getenv("SOAK_PASSWORD") or "demo") .. '"}'
  pending_login = false
end

local function login()
  pending_login = true
  return wrk.format("POST", "/auth/login", { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, login_body)
end

function request()
  counter = counter + 1
  if #pool == 0 or counter % login_every == 0 then
    if pending_login and #pool == 0 then
      -- first login still in flight: a public request keeps the connection busy meanwhile
      return wrk.format("GET", "/public/ping")
    end
    return login()
  end
  if counter % logout_every == 0 and #pool > 1 then
    local cookie = table.remove(pool, 1)
    return wrk.format("POST", "/auth/logout", { ["Cookie"] = cookie, ["Accept"] = "application/json" })
  end
  local cookie = pool[(counter % #pool) + 1]
  return wrk.format("GET", "/app/item/" .. counter, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  -- A login refused for want of hashing capacity (503 login_overloaded) is the intended answer to excess logins:
  -- counted apart, not as an error.
  if status == 503 and body and string.find(body, "login_overloaded", 1, true) then
    login_refused = login_refused + 1
    pending_login = false
    return
  end
  statuses[status] = (statuses[status] or 0) + 1
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    local sid = string.match(set, "^(sid=[^;]+)")
    if sid and sid ~= "sid=" then
      table.insert(pool, sid)
      pending_login = false
      if #pool > 32 then table.remove(pool, 1) end
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for code, n in pairs(counts) do total[code] = (total[code] or 0) + n end
  end
  for code, n in pairs(total) do io.write(string.format("soak-status %d %d\n", code, n)) end
  local refused = 0
  for _, thread in ipairs(threads) do refused = refused + (thread:get("login_refused") or 0) end
  io.write(string.format("soak-login-refused %d\n", refused))
  io.write(string.format("soak-p99-us %d\n", latency:percentile(99)))
  io.write(string.format("soak-p50-us %d\n", latency:percentile(50)))
  io.write(string.format("soak-requests %d\n", summary.requests))
  local e = summary.errors
  io.write(string.format("soak-socket-errors %d\n", e.connect + e.read + e.write + e.timeout))
end
