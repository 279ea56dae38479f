#!/usr/bin/env bash
# Soak test: a Release gateway on Redis (both on loopback ports of their own) under steady wrk load with session
# churn, for a bounded time. Every interval it prints requests/s, error counts, p50/p99 latency and the gateway's
# RSS (from /proc), and writes them to a CSV. Memory must stay flat and errors at zero.
#
#   bench/soak.sh                   # 30 minutes (the default)
#   bench/soak.sh --minutes 2 --interval 10 --connections 16
#
# Errors are 5xx answers and socket errors; 401s (a request that raced its own session's logout) and logins refused
# with 503 login_overloaded (no hashing capacity within Gateway:Login:QueueTimeout) are counted apart.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=30; interval=30; connections=16; threads=2; login_every=400; logout_every=450; out=""
while (($#)); do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --login-every) login_every=$2; shift 2 ;;
    --logout-every) logout_every=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
(( minutes >= 1 && minutes <= 24 * 60 )) || { echo "--minutes must be 1..1440" >&2; exit 2; }
for tool in wrk redis-server dotnet python3; do command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }; done

work=$(mktemp -d /tmp/gw-soak.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "building the gateway (Release)..."
dotnet publish Gateway/Gateway.csproj -c Release -o "$work/gateway" -v q --nologo >/dev/null

redis_port=$(free_port); gateway_port=$(free_port); demo_port=$(free_port)
mkdir -p "$work/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis" >/dev/null &
pids+=($!)

cat > "$work/routes.json" <<JSON
{ "ReverseProxy": {
    "Routes": {
      "public": { "ClusterId": "demo", "AuthorizationPolicy": "anonymous", "Match": { "Path": "/public/{**rest}" } },
      "app": { "ClusterId": "demo", "Match": { "Path": "{**catch-all}" } } },
    "Clusters": { "demo": { "Destinations": { "one": { "Address": "http://127.0.0.1:$demo_port/" } } } } } }
JSON

(
  cd "$work"
  export Urls="http://127.0.0.1:$gateway_port" ConnectionStrings__Redis="127.0.0.1:$redis_port" \
    Gateway__RoutesFile="$work/routes.json" Gateway__Demo__Upstream="http://127.0.0.1:$demo_port" \
    Gateway__Session__SecureCookie=false Logging__LogLevel__Default=Warning
  exec "$work/gateway/Gateway" >"$work/gateway.log" 2>&1
) &
gateway_pid=$!
pids+=($gateway_pid)

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$gateway_port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$gateway_port/readyz" >/dev/null || { echo "gateway not ready"; cat "$work/gateway.log"; exit 1; }

# The probe: one session of its own, used only for proxied GETs by a second wrk (1 thread, 2 connections) running
# beside the load in every interval. Its p50/p99 are the proxied latency under the load; the load's own p99 mixes
# in the logins, which wait for a hashing thread by design.
probe_cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$gateway_port/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"demo","password":"demo"}' | sed -n 's/^[Ss]et-[Cc]ookie: \(sid=[^;]*\);.*/\1/p' | head -1)
[ -n "$probe_cookie" ] || { echo "probe login failed"; cat "$work/gateway.log"; exit 1; }

out=${out:-bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ).csv}
mkdir -p "$(dirname "$out")"
echo "elapsed_s,requests_per_s,errors_5xx,socket_errors,unauthorized_401,login_refused_503,p50_ms,p99_ms,rss_mb,proxied_p50_ms,proxied_p99_ms,probe_errors" > "$out"
rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$gateway_pid/status"; }
printf "%8s %10s %8s %8s %8s %8s %8s %8s %8s %9s %9s\n" elapsed req/s 5xx sockerr 401 refused p50ms p99ms rssMB prox-p50 prox-p99
printf "%8s %10s %8s %8s %8s %8s %8s %8s %8s\n" 0 - - - - - - - "$(rss)"

end=$(( $(date +%s) + minutes * 60 )); start=$(date +%s)
total_errors=0; total_requests=0; total_refused=0; probe_p99s=()
while (( $(date +%s) < end )); do
  left=$(( end - $(date +%s) )); span=$(( left < interval ? left : interval ))
  (( span >= 1 )) || break
  wrk -t1 -c2 -d"${span}s" --timeout 5s -s bench/soak-probe.lua -H "Cookie: $probe_cookie" \
    "http://127.0.0.1:$gateway_port/app/probe" >"$work/probe.txt" 2>&1 &
  probe_pid=$!
  report=$(LOGIN_EVERY=$login_every LOGOUT_EVERY=$logout_every wrk -t"$threads" -c"$connections" -d"${span}s" --timeout 5s \
    -s bench/soak.lua "http://127.0.0.1:$gateway_port" 2>&1)
  wait "$probe_pid" || true
  probe=$(cat "$work/probe.txt")
  pp50=$(awk '$1 == "probe-p50-us" { printf "%.2f", $2 / 1000 }' <<<"$probe")
  pp99=$(awk '$1 == "probe-p99-us" { printf "%.2f", $2 / 1000 }' <<<"$probe")
  perr=$(awk '$1 == "probe-errors" { print $2 }' <<<"$probe"); perr=${perr:-1}
  probe_p99s+=("$pp99")
  get() { awk -v k="$1" '$1 == k { print $2 }' <<<"$report"; }
  requests=$(get soak-requests); sock=$(get soak-socket-errors)
  e5=$(awk '$1 == "soak-status" && $2 >= 500 { n += $3 } END { print n + 0 }' <<<"$report")
  e401=$(awk '$1 == "soak-status" && $2 == 401 { n += $3 } END { print n + 0 }' <<<"$report")
  refused=$(get soak-login-refused); refused=${refused:-0}; total_refused=$(( total_refused + refused ))
  p50=$(awk '$1 == "soak-p50-us" { printf "%.2f", $2 / 1000 }' <<<"$report")
  p99=$(awk '$1 == "soak-p99-us" { printf "%.2f", $2 / 1000 }' <<<"$report")
  elapsed=$(( $(date +%s) - start ))
  rate=$(( requests / span ))
  mem=$(rss)
  total_errors=$(( total_errors + e5 + sock + perr )); total_requests=$(( total_requests + requests ))
  printf "%8s %10s %8s %8s %8s %8s %8s %8s %8s %9s %9s\n" "$elapsed" "$rate" "$e5" "$sock" "$e401" "$refused" "$p50" "$p99" "$mem" "$pp50" "$pp99"
  echo "$elapsed,$rate,$e5,$sock,$e401,$refused,$p50,$p99,$mem,$pp50,$pp99,$perr" >> "$out"
done
sessions=$(redis-cli -p "$redis_port" --scan --pattern 'gw:s:*' | wc -l)
probe_median=$(printf '%s\n' "${probe_p99s[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
probe_max=$(printf '%s\n' "${probe_p99s[@]}" | sort -g | tail -1)
echo "proxied p99 (probe, per interval): median ${probe_median} ms, worst ${probe_max} ms"
echo "total: $total_requests requests, $total_errors errors (5xx + socket + probe), $total_refused logins refused (503 login_overloaded), $sessions live sessions in Redis at the end; CSV: $out"
(( total_errors == 0 ))
