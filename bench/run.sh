#!/usr/bin/env bash
# Gateway benchmark: bare YARP versus the gateway (Release; Redis, PostgreSQL or SQLite store, one per run) in front of
# the same nginx backend, measured with wrk in one run. See bench/README.md. Every process it starts is ended on exit, by pid.
set -euo pipefail

DURATION=10s
WARMUP=3s
PREWARM=20s
PREWARM_MAX=180s
CONNECTIONS=32
THREADS=2
LOGIN_CONNECTIONS=8
SESSIONS=100000
SCENARIOS="0 1 2 3 4 5 6 6u 7 p"
NEAR_CACHE=default
STORE=redis
TRIALS=50
ROUNDS=3
OUT=""
usage() {
  cat <<EOF
usage: bash bench/run.sh [--duration 10s] [--warmup 3s] [--prewarm 20s] [--prewarm-max 180s] [--connections 32] [--threads 2]
                         [--login-connections 8] [--sessions 100000] [--scenarios "0 1 2 3 4 5 6 6u 7 p"] [--store redis|sqlite|postgres]
                         [--near-cache default|00:00:01|0] [--trials 50] [--rounds 3] [--out FILE]
Scenarios 0-5 (and the diagnostics 1m, 5c) run in --rounds rounds: bare YARP (scenario 0) starts every round and
ends the last, and each gateway scenario is compared with the bare runs just before and after it; the report gives the
median of the per-round ratios and their range. Add "1m" to the
scenarios for a diagnostic: scenario 1 against a second gateway using the in-memory store; "1a" scenario 1 against a second gateway
with signed assertions on (Gateway:Assertion:Enabled), compared with scenario 1 round by round. "p" measures revocation propagation
between two gateways sharing the store (--trials logouts; not with sqlite: one process per file). --store chooses the
gateway's store (default redis; sqlite: a file in the run's temp dir; postgres: a throwaway PostgreSQL server).
--near-cache sets Gateway:Store:NearCache (0 = off); "default" (the default) leaves it unset: the gateway's own default.
EOF
}
while (($#)); do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --prewarm) PREWARM=$2; shift 2 ;;
    --prewarm-max) PREWARM_MAX=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --login-connections) LOGIN_CONNECTIONS=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --near-cache) NEAR_CACHE=$2; shift 2 ;;
    --store) STORE=$2; shift 2 ;;
    --trials) TRIALS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "--rounds must be a positive integer" >&2; exit 2; }
[[ $STORE =~ ^(redis|sqlite|postgres)$ ]] || { echo "--store must be redis, sqlite or postgres" >&2; exit 2; }
COMMAND="bash bench/run.sh --store $STORE --duration $DURATION --warmup $WARMUP --prewarm $PREWARM --prewarm-max $PREWARM_MAX --connections $CONNECTIONS --threads $THREADS --login-connections $LOGIN_CONNECTIONS --sessions $SESSIONS --near-cache $NEAR_CACHE --trials $TRIALS --rounds $ROUNDS --scenarios \"$SCENARIOS\""

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
OUT=${OUT:-$BENCH/results/latest.md}
seconds() { local v=$1; case "$v" in *ms) echo "0.${v%ms}" ;; *s) echo "${v%s}" ;; *m) echo $(( ${v%m} * 60 )) ;; *) echo "$v" ;; esac; }
DUR_S=$(seconds "$DURATION")

# One process per SQLite file: no second gateway on the same store, so no scenario needing one.
SKIPPED=()
if [ "$STORE" = sqlite ]; then
  for s in p 1a; do
    if [[ " $SCENARIOS " == *" $s "* ]]; then
      SCENARIOS=$(echo " $SCENARIOS " | sed "s/ $s / /; s/^ *//; s/ *$//")
      SKIPPED+=("scenario $s skipped: it needs a second gateway on the same store, and a SQLite file serves one process (the second is refused at start)")
    fi
  done
fi

# --- tools --------------------------------------------------------------------------------------------------
missing=()
TOOLS="wrk:wrk nginx:nginx htpasswd:apache2-utils curl:curl"
[ "$STORE" != redis ] || TOOLS+=" redis-server:redis-server redis-cli:redis-tools"
for pair in $TOOLS; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ "$STORE" = postgres ] && [ ! -x "$(pg_bin)/initdb" ]; then missing+=(postgresql); fi
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/gw-bench.XXXXXX)
PG_DIR=""
PIDS=()
cleanup() {
  local pid
  # PostgreSQL: also when interrupted between its start and the pid's capture (pg_ctl detaches it).
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pid=$(head -1 "$PG_DIR/data/postmaster.pid")
    [[ " ${PIDS[*]} " == *" $pid "* ]] || PIDS+=("$pid")
  fi
  for pid in "${PIDS[@]}"; do
    # SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for its clients); every other process ends on SIGTERM.
    if [ -n "$PG_DIR" ] && [ "$pid" = "$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)" ]; then kill -INT "$pid" 2>/dev/null || true
    else kill "$pid" 2>/dev/null || true; fi
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
  [ -z "$PG_DIR" ] || rm -rf "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port" >&2; exit 1
}
wait_http() { # url, expected-any-status within 60 s
  for _ in $(seq 600); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2; exit 1
}

# --- build --------------------------------------------------------------------------------------------------
echo "== building (Release)"
dotnet publish "$ROOT/Gateway/Gateway.csproj" -c Release -o "$WORK/gateway" --nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet publish "$BENCH/BareYarp/BareYarp.csproj" -c Release -o "$WORK/bare" --nologo -v q >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet publish "$BENCH/BcryptRate/BcryptRate.csproj" -c Release -o "$WORK/bcrypt" --nologo -v q >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet publish "$BENCH/Propagation/Propagation.csproj" -c Release -o "$WORK/propagation" --nologo -v q >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
dotnet publish "$BENCH/Seed/Seed.csproj" -c Release -o "$WORK/seed" --nologo -v q >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

# --- backend: nginx serving a small static body on every path -------------------------------------------------
BACKEND_PORT=$(free_port)
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
printf 'hello from the backend\n' >"$WORK/nginx/www/body.txt"
cat >"$WORK/nginx/nginx.conf" <<EOF
user root;
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    root $WORK/nginx/www;
    default_type text/plain;
    location / { try_files /body.txt =404; }
  }
}
EOF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
wait_http "http://127.0.0.1:$BACKEND_PORT/"

# --- the store --------------------------------------------------------------------------------------------
# redis: no persistence. postgres: a throwaway server as Gateway.Tests' PostgresServer fixture starts it (initdb and
# pg_ctl as the postgres user, in a temp dir it owns, on a free loopback port), but at PostgreSQL's own durability
# defaults (fsync on), as a deployment runs it. sqlite: a file in the run's temp dir.
case "$STORE" in
  redis)
    REDIS_PORT=$(free_port)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" &
    PIDS+=($!)
    for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    STORE_NAME=Redis
    STORE_PROVIDER=Redis
    STORE_CONNECTION="\"Redis\": \"127.0.0.1:$REDIS_PORT\""
    STORE_DESC="Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on loopback, no persistence"
    ;;
  postgres)
    PG_BIN=$(pg_bin)
    PG_PORT=$(free_port)
    PG_DIR=$(mktemp -d /tmp/gw-bench-pg.XXXXXX) # not under $WORK: the postgres user must reach it
    chown postgres:postgres "$PG_DIR"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
      || { cat "$WORK/initdb.log" >&2; exit 1; }
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 30 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=300" start >"$WORK/pg_ctl.log" 2>&1 \
      || { cat "$WORK/pg_ctl.log" "$PG_DIR/log" >&2; exit 1; }
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
    PIDS+=($PG_PID)
    psql_value() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "$1"; }
    STORE_NAME=PostgreSQL
    STORE_PROVIDER=Postgres
    STORE_CONNECTION="\"Postgres\": \"Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres\""
    STORE_DESC="PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on loopback (its defaults: fsync on, shared_buffers 128 MB; max_connections=300)"
    ;;
  sqlite)
    STORE_NAME=SQLite
    STORE_PROVIDER=Sqlite
    SQLITE_FILE=$WORK/gw/gateway.db
    STORE_CONNECTION="\"Sqlite\": \"Data Source=$SQLITE_FILE\""
    STORE_DESC="SQLite, file in the run's temp dir (the store's own settings: WAL, synchronous=FULL)"
    ;;
esac
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
if [ "$NEAR_CACHE" = default ]; then
  NEAR_CACHE_JSON=""
  NEAR_CACHE_DESC="Gateway:Store:NearCache not set (the gateway's default: 00:00:01 with Redis, PostgreSQL or SQLite)"
else
  NEAR_CACHE_JSON=", \"NearCache\": \"$NEAR_CACHE\""
  NEAR_CACHE_DESC="Gateway:Store:NearCache=$NEAR_CACHE (set by --near-cache)"
fi

# --- users (bcrypt cost 10) ---------------------------------------------------------------------------------
USER_NAME=bench
USER_PASSWORD=bench-password-1
htpasswd -B -C 10 -c -b "$WORK/users.htpasswd" "$USER_NAME" "$USER_PASSWORD" 2>/dev/null
USER_HASH=$(cut -d: -f2 "$WORK/users.htpasswd")
# Scenario 6u's users: bench-0 ... bench-7, the same password (each its own bcrypt salt).
if [[ " $SCENARIOS " == *" 6u "* ]]; then
  for i in 0 1 2 3 4 5 6 7; do htpasswd -B -C 10 -b "$WORK/users.htpasswd" "$USER_NAME-$i" "$USER_PASSWORD" 2>/dev/null; done
fi

# --- bare YARP ----------------------------------------------------------------------------------------------
BARE_PORT=$(free_port)
(cd "$WORK/bare" && BENCH_BACKEND="http://127.0.0.1:$BACKEND_PORT/" ASPNETCORE_URLS="http://127.0.0.1:$BARE_PORT" exec ./BareYarp) >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
PIDS+=($BARE_PID)
wait_http "http://127.0.0.1:$BARE_PORT/"

# Diagnostic only (scenario "0n"): bare YARP again, without trace propagation in its forwarder client, as the
# gateway runs with tracing off.
if [[ " $SCENARIOS " == *" 0n "* ]]; then
  BAREN_PORT=$(free_port)
  (cd "$WORK/bare" && BENCH_NO_PROPAGATION=1 BENCH_BACKEND="http://127.0.0.1:$BACKEND_PORT/" ASPNETCORE_URLS="http://127.0.0.1:$BAREN_PORT" exec ./BareYarp) >"$WORK/bare-n.log" 2>&1 &
  BAREN_PID=$!
  PIDS+=($BAREN_PID)
  wait_http "http://127.0.0.1:$BAREN_PORT/"
fi

# --- gateway (its own appsettings.json and routes.json in its working directory) ---------------------------
GW_PORT=$(free_port)
mkdir -p "$WORK/gw"
cat >"$WORK/gw/appsettings.json" <<EOF
{
  "Urls": "http://127.0.0.1:$GW_PORT",
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "ConnectionStrings": { $STORE_CONNECTION },
  "Gateway": {
    "RoutesFile": "routes.json",
    "Users": { "File": "$WORK/users.htpasswd", "Roles": { "$USER_NAME": [ "user" ] } },
    "Session": { "SecureCookie": false },
    "Store": { "Provider": "$STORE_PROVIDER"$NEAR_CACHE_JSON },
    "Guessing": { "MaxUnknownIds": 0 },
    "Demo": { "Upstream": "" }
  }
}
EOF
cat >"$WORK/gw/routes.json" <<EOF
{
  "ReverseProxy": {
    "Routes": {
      "public": { "ClusterId": "backend", "AuthorizationPolicy": "anonymous", "Match": { "Path": "/public/{**rest}" } },
      "explicit": { "ClusterId": "backend", "AuthorizationPolicy": "default", "Match": { "Path": "/default/{**rest}" } },
      "app": { "ClusterId": "backend", "Match": { "Path": "{**catch-all}" } }
    },
    "Clusters": { "backend": { "Destinations": { "nginx": { "Address": "http://127.0.0.1:$BACKEND_PORT/" } } } }
  }
}
EOF
start_gateway() {
  (cd "$WORK/gw" && exec "$WORK/gateway/Gateway") >>"$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=($GW_PID)
  wait_http "http://127.0.0.1:$GW_PORT/healthz"
}
start_gateway
# Scenario "p": a second gateway on the same store.
if [[ " $SCENARIOS " == *" p "* ]]; then
  GWB_PORT=$(free_port)
  mkdir -p "$WORK/gwb"
  sed -e "s/127.0.0.1:$GW_PORT/127.0.0.1:$GWB_PORT/" "$WORK/gw/appsettings.json" >"$WORK/gwb/appsettings.json"
  cp "$WORK/gw/routes.json" "$WORK/gwb/"
  (cd "$WORK/gwb" && exec "$WORK/gateway/Gateway") >"$WORK/gateway-b.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$GWB_PORT/healthz"
fi
# Scenario "1a": the same gateway with signed identity assertions on (issue 16), on the same store and sessions.
if [[ " $SCENARIOS " == *" 1a "* ]]; then
  GWA_PORT=$(free_port)
  mkdir -p "$WORK/gwa"
  sed -e "s/127.0.0.1:$GW_PORT/127.0.0.1:$GWA_PORT/" -e 's/"Gateway": {/"Gateway": { "Assertion": { "Enabled": true },/' "$WORK/gw/appsettings.json" >"$WORK/gwa/appsettings.json"
  cp "$WORK/gw/routes.json" "$WORK/gwa/"
  (cd "$WORK/gwa" && exec "$WORK/gateway/Gateway") >"$WORK/gateway-assertion.log" 2>&1 &
  GWA_PID=$!
  PIDS+=($GWA_PID)
  wait_http "http://127.0.0.1:$GWA_PORT/healthz"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GWA_PORT/.well-known/jwks.json")" = 200 ] || { echo "the assertion gateway serves no JWKS" >&2; exit 1; }
fi
# Diagnostic only (scenario "1m"): the same gateway with the in-memory store, to show what the store's round trip
# costs on scenario 1.
if [[ " $SCENARIOS " == *" 1m "* ]]; then
  GWM_PORT=$(free_port)
  mkdir -p "$WORK/gwm"
  sed -e "s/127.0.0.1:$GW_PORT/127.0.0.1:$GWM_PORT/" -e 's/"Provider": "[^"]*"/"Provider": "Memory"/' "$WORK/gw/appsettings.json" >"$WORK/gwm/appsettings.json"
  cp "$WORK/gw/routes.json" "$WORK/gwm/"
  (cd "$WORK/gwm" && exec "$WORK/gateway/Gateway") >"$WORK/gateway-memory.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$GWM_PORT/healthz"
fi
BARE="http://127.0.0.1:$BARE_PORT"
BAREN=${BAREN_PORT:+http://127.0.0.1:$BAREN_PORT}
GW="http://127.0.0.1:$GW_PORT"
GWA=${GWA_PORT:+http://127.0.0.1:$GWA_PORT}

login_json() { # [gateway url]
  curl -s -o /dev/null -D - --max-time 10 -X POST "${1:-$GW}/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\"}" | sed -n 's/^[Ss]et-[Cc]ookie: sid=\([^;]*\);.*/\1/p' | head -1
}
COOKIE_SID=$(login_json)
TOKEN_SID=$(login_json)
[ ${#COOKIE_SID} -eq 43 ] && [ ${#TOKEN_SID} -eq 43 ] || { echo "login for the session seed failed" >&2; cat "$WORK/gateway.log" >&2; exit 1; }
BASIC=$(printf '%s:%s' "$USER_NAME" "$USER_PASSWORD" | base64 -w0)
FORM_BODY="username=$USER_NAME&password=$USER_PASSWORD&returnUrl=%2F"

# A hook for investigating (not used by a normal run): a command run with everything up, e.g. curl -v.
if [ -n "${BENCH_DEBUG:-}" ]; then eval "$BENCH_DEBUG"; exit 0; fi

# --- measuring ----------------------------------------------------------------------------------------------
declare -A RPS P50 P99 OK BAD NOTE CPU
WRK_TIMEOUT=$(awk -v d="$DUR_S" 'BEGIN { printf "%d", d + 60 }')
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # PID: user + system CPU ticks
# wrk_run KEY DURATION CONNECTIONS EXPECTED URL [wrk args...]: one measurement into the tables (KEY "" = discard)
wrk_run() {
  local key=$1 duration=$2 connections=$3 expected=$4 url=$5 line pid="" ticks=0
  shift 5
  case "$url" in "$BARE"/*) pid=$BARE_PID ;; "$GW"/*) pid=$GW_PID ;; "${BAREN:-none}"/*) pid=$BAREN_PID ;; "${GWA:-none}"/*) pid=$GWA_PID ;; esac
  [ -z "$pid" ] || ticks=$(cpu_ticks "$pid")
  line=$(timeout "$WRK_TIMEOUT" wrk -t "$THREADS" -c "$connections" -d "$duration" --timeout 5s "$@" \
    -s "$BENCH/lua/status.lua" "$url" -- "$expected" | grep '^RESULT' || true)
  [ -n "$key" ] || return 0
  if [ -z "$line" ]; then NOTE[$key]="wrk failed"; line="RESULT rps=0 p50=0 p99=0 ok=0 bad=0 bad_status=0 socket_errors=0"; fi
  local field
  for field in $line; do
    case "$field" in
      rps=*) RPS[$key]=${field#rps=} ;;
      p50=*) P50[$key]=${field#p50=} ;;
      p99=*) P99[$key]=${field#p99=} ;;
      ok=*) OK[$key]=${field#ok=} ;;
      bad=*) BAD[$key]=${field#bad=} ;;
      bad_status=*) [ "${field#bad_status=}" = 0 ] || NOTE[$key]="${NOTE[$key]:-}unexpected status ${field#bad_status=}; " ;;
      socket_errors=*) [ "${field#socket_errors=}" = 0 ] || { BAD[$key]=$(( ${BAD[$key]} + ${field#socket_errors=} )); NOTE[$key]="${NOTE[$key]:-}socket errors ${field#socket_errors=}; "; } ;;
    esac
  done
  # CPU time of the app under test per answered request (user + system, µs): steadier than req/s on a shared machine.
  if [ -n "$pid" ] && (( ${OK[$key]} + ${BAD[$key]} > 0 )); then
    CPU[$key]=$(awk -v t="$(( $(cpu_ticks "$pid") - ticks ))" -v hz="$(getconf CLK_TCK)" -v n="$(( ${OK[$key]} + ${BAD[$key]} ))" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  fi
  printf '   %-4s %10s req/s  p50 %8s ms  p99 %8s ms  cpu %6s µs/req  ok %s  errors %s %s\n' "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${CPU[$key]:-?}" "${OK[$key]}" "${BAD[$key]}" "${NOTE[$key]:-}"
}
# measure KEY EXPECTED URL [wrk args...]: warm-up, then the measured run
measure() {
  local key=$1 expected=$2 url=$3
  shift 3
  wrk_run "" "$WARMUP" "$CONNECTIONS" "$expected" "$url" "$@"
  wrk_run "$key" "$DURATION" "$CONNECTIONS" "$expected" "$url" "$@"
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$GW_PID/status"; }
used_memory() { rcli info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'; }
wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average at start: $LOAD_START"
# Measure steady state, not start-up: tiered JIT keeps recompiling hot code for tens of seconds under load (its
# thread took 10% of the gateway's CPU 25 s in). Each app is driven on its paths in rounds until its ".NET Tiered
# Com" thread has been idle (at most 20 ms of CPU) for two rounds in a row, at least --prewarm, at most --prewarm-max.
jit_ticks() { # PID: CPU ticks of the tiered-compilation thread (0 when it has exited)
  local task total=0
  for task in /proc/"$1"/task/*; do
    # A thread may end between the glob and the read: it then counts nothing.
    [[ "$(cat "$task/comm" 2>/dev/null)" == ".NET Tiered Com"* ]] && total=$(( total + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}
declare -A STEADY
settle() { # NAME PID ROUND-FUNCTION
  local name=$1 pid=$2 round=$3 start=$SECONDS before after used quiet=0 min max
  min=$(seconds "$PREWARM"); max=$(seconds "$PREWARM_MAX")
  while :; do
    before=$(jit_ticks "$pid"); "$round"; after=$(jit_ticks "$pid")
    used=$(( after >= before ? after - before : after ))
    if (( used <= 2 )); then quiet=$(( quiet + 1 )); else quiet=0; fi
    if (( SECONDS - start >= ${min%.*} && quiet >= 2 )); then STEADY[$name]="steady after $(( SECONDS - start )) s"; break; fi
    if (( SECONDS - start >= ${max%.*} )); then STEADY[$name]="not steady after $(( SECONDS - start )) s (JIT still busy)"; break; fi
  done
  echo "   $name: ${STEADY[$name]}"
}
bare_round() { wrk_run "" 5s "$CONNECTIONS" 200 "$BARE/app"; }
baren_round() { wrk_run "" 5s "$CONNECTIONS" 200 "$BAREN/app"; }
gateway_round() {
  wrk_run "" 1s "$CONNECTIONS" 200 "$GW/app" -H "Cookie: sid=$COOKIE_SID"
  wrk_run "" 1s "$CONNECTIONS" 200 "$GW/app" -H "X-Session-Token: $TOKEN_SID"
  wrk_run "" 1s "$CONNECTIONS" 200 "$GW/app" -H "Authorization: Basic $BASIC"
  wrk_run "" 1s "$CONNECTIONS" 200 "$GW/public/app"
  wrk_run "" 1s "$CONNECTIONS" 401 "$GW/app"
}
echo "== pre-warming bare YARP and the gateway to steady state (at least $PREWARM, at most $PREWARM_MAX each)"
settle "bare YARP" "$BARE_PID" bare_round
settle gateway "$GW_PID" gateway_round
if wants 0n; then settle "bare YARP without propagation" "$BAREN_PID" baren_round; fi
assertion_round() { wrk_run "" 5s "$CONNECTIONS" 200 "$GWA/app" -H "Cookie: sid=$COOKIE_SID"; }
if wants 1a; then settle "gateway with assertions" "$GWA_PID" assertion_round; fi
echo "== scenarios (wrk -t $THREADS -c $CONNECTIONS -d $DURATION after a $WARMUP warm-up)"
# Scenarios 0-5 in rounds: bare YARP opens every round and closes the last, the gateway scenarios rotate their order
# from round to round, and each is compared with the bare runs on either side of its round (the machine drifts).
ROUND_KEYS=()
for s in 0n 1 1a 1m 2 3 4 5 5c; do wants "$s" && ROUND_KEYS+=("$s"); done
if wants 1m; then MEMORY_SID=$(login_json "http://127.0.0.1:$GWM_PORT"); fi
run_scenario() { # SCENARIO KEY
  case $1 in
    0) measure "$2" 200 "$BARE/app" ;;
    0n) measure "$2" 200 "$BAREN/app" ;;
    1) measure "$2" 200 "$GW/app" -H "Cookie: sid=$COOKIE_SID" ;;
    1a) measure "$2" 200 "$GWA/app" -H "Cookie: sid=$COOKIE_SID" ;;
    1m) measure "$2" 200 "http://127.0.0.1:$GWM_PORT/app" -H "Cookie: sid=$MEMORY_SID" ;;
    2) measure "$2" 200 "$GW/app" -H "X-Session-Token: $TOKEN_SID" ;;
    3) measure "$2" 200 "$GW/app" -H "Authorization: Basic $BASIC" ;;
    4) measure "$2" 401 "$GW/app" ;;
    5) measure "$2" 200 "$GW/public/app" ;;
    5c) measure "$2" 200 "$GW/public/app" -H "Cookie: sid=$COOKIE_SID" ;;
  esac
}
for ((round = 1; round <= ROUNDS; round++)); do
  echo "   round $round of $ROUNDS"
  run_scenario 0 "0.$round"
  n=${#ROUND_KEYS[@]}
  for ((i = 0; i < n; i++)); do
    s=${ROUND_KEYS[$(( (i + round - 1) % n ))]}
    run_scenario "$s" "$s.$round"
  done
done
run_scenario 0 "0.$(( ROUNDS + 1 ))"
if wants 6 || wants 6u; then
  bcrypt_rate() { timeout 60 "$WORK/bcrypt/BcryptRate" "$USER_HASH" "$USER_PASSWORD" "$THREADS" 5 | awk '/^BCRYPT/ { print $2 }'; }
  export BENCH_BODY=$FORM_BODY
  # The login path (throttle, store writes, audit) is JIT-compiled to steady state like the proxied paths above:
  # measured after 3 s only, its tier-up compilations counted in the logins' CPU and rate.
  login_round() { wrk_run "" 5s "$LOGIN_CONNECTIONS" 303 "$GW/auth/login"; }
  settle "gateway logins" "$GW_PID" login_round
  wrk_run "" "$WARMUP" "$LOGIN_CONNECTIONS" 303 "$GW/auth/login"
  # In rounds, as scenarios 0-5: raw bcrypt (cost 10, $THREADS threads, 5 s) and logins in turn, each login run
  # compared with the bcrypt runs on either side of it. One pair of runs drifted by ±10 % from run to run.
  BCRYPT_RUNS=("$(bcrypt_rate)")
  echo "   raw bcrypt ${BCRYPT_RUNS[0]} verifications/s"
  # Scenario 6u: the same logins spread over 8 users (BENCH_USERS), so no user's brute-force places (MaxFailures
  # checks in progress at once, per user and address) bound them: scenario 6 with one user measures that bound too.
  for ((r = 1; r <= ROUNDS; r++)); do
    if wants 6; then wrk_run "6.$r" "$DURATION" "$LOGIN_CONNECTIONS" 303 "$GW/auth/login"; fi
    if wants 6u; then export BENCH_USERS=8; wrk_run "6u.$r" "$DURATION" "$LOGIN_CONNECTIONS" 303 "$GW/auth/login"; unset BENCH_USERS; fi
    BCRYPT_RUNS+=("$(bcrypt_rate)")
    echo "   raw bcrypt ${BCRYPT_RUNS[$r]} verifications/s"
  done
  # Login flood in the background, scenario 1 measured inside it.
  FLOOD_S=$(awk -v d="$DUR_S" 'BEGIN { printf "%ds", d + 4 }')
  wrk_run 6f "$FLOOD_S" "$LOGIN_CONNECTIONS" 303 "$GW/auth/login" >"$WORK/flood.txt" &
  FLOOD_PID=$!
  unset BENCH_BODY
  sleep 2
  wrk_run 6p "$DURATION" "$CONNECTIONS" 200 "$GW/app" -H "Cookie: sid=$COOKIE_SID"
  wait "$FLOOD_PID" || true
  sed 's/^ *6f/   6f/' "$WORK/flood.txt"
  FLOOD_RPS=$(awk '{ print $2 }' "$WORK/flood.txt")
fi
if wants 7; then
  # The sessions are created by bench/Seed through the store's own CreateAsync, built by the gateway's own
  # composition (AddGateway on the gateway's appsettings.json, as the CLI does). Store size before/after: Redis
  # used_memory; PostgreSQL pg_total_relation_size of login_session (heap, TOAST and indexes: the only table a
  # session writes); SQLite the file plus its -wal after a checkpoint (the store checkpoints on close).
  # Its store timeout is raised (the seed's 64 writers at once are not what is measured; the old seed did the same).
  seed() { (cd "$WORK/gw" && timeout 600 "$WORK/seed/Seed" "$SESSIONS" $(( SESSIONS / 10 > 0 ? SESSIONS / 10 : 1 )) --Gateway:Store:Timeout=00:00:30) \
    >"$WORK/seed.log" 2>&1 \
    || { echo "seed failed:" >&2; cat "$WORK/seed.log" >&2; exit 1; }; }
  store_bytes() {
    case "$STORE" in
      redis) used_memory ;;
      postgres) psql_value "SELECT pg_total_relation_size('login_session')" ;;
      sqlite) echo $(( $(stat -c %s "$SQLITE_FILE") + $(stat -c %s "$SQLITE_FILE-wal" 2>/dev/null || echo 0) )) ;;
    esac
  }
  store_count() {
    case "$STORE" in
      redis) rcli dbsize ;;
      postgres) psql_value "SELECT count(*) FROM login_session" ;;
    esac
  }
  RSS_BEFORE=$(rss_kb)
  if [ "$STORE" = sqlite ]; then
    # One process per SQLite file: the gateway stops (its store checkpoints the WAL on close), the seed takes the
    # file, then the gateway starts again on it, is pre-warmed like the first, and scenario 1 runs on the same
    # cookie (a durable store: the session outlived the restart). RSS before is the first process after scenarios
    # 1-6, RSS after the second after its pre-warm and scenario 7: same code paths, same load.
    echo "   stopping the gateway (one process per SQLite file) to seed $SESSIONS sessions"
    kill "$GW_PID"
    for _ in $(seq 300); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$GW_PID" 2>/dev/null && { echo "the gateway did not stop within 30 s" >&2; exit 1; }
    kept=()
    for pid in "${PIDS[@]}"; do [ "$pid" = "$GW_PID" ] || kept+=("$pid"); done
    PIDS=("${kept[@]}")
    STORE_BEFORE=$(store_bytes)
    seed
    STORE_AFTER=$(store_bytes)
    start_gateway
    settle "restarted gateway" "$GW_PID" gateway_round
  else
    STORE_BEFORE=$(store_bytes)
    COUNT_BEFORE=$(store_count)
    echo "   creating $SESSIONS sessions in $STORE_NAME (bench/Seed: the gateway's own store, CreateAsync)"
    seed
    STORE_AFTER=$(store_bytes)
    COUNT_AFTER=$(store_count)
  fi
  sed 's/^/   seed: /' "$WORK/seed.log"
  BYTES_PER_SESSION=$(( (STORE_AFTER - STORE_BEFORE) / SESSIONS ))
  if [ "$STORE" = redis ]; then
    SAMPLE_RECORD=$(rcli memory usage "$(awk '$1 == "SAMPLE" { print $2 }' "$WORK/seed.log")")
    SAMPLE_INDEX=$(rcli memory usage "$(awk '$1 == "INDEX" { print $2 }' "$WORK/seed.log")")
  fi
  measure 7 200 "$GW/app" -H "Cookie: sid=$COOKIE_SID"
  RSS_AFTER=$(rss_kb)
  if [ "$STORE" = sqlite ]; then
    COUNT_AFTER=$(awk '$1 == "ACTIVE" { print $2 }' "$WORK/seed.log") # the store's own count of live sessions
  fi
fi
if wants p; then
  PROPAGATION=$(timeout 600 "$WORK/propagation/Propagation" "$GW" "http://127.0.0.1:$GWB_PORT" "$USER_NAME" "$USER_PASSWORD" "$TRIALS" | grep '^PROPAGATION' || echo "PROPAGATION failed")
  echo "   $PROPAGATION"
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average at end: $LOAD_END"

# --- report -------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { # FORMAT VALUE...
  local format=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v f="$format" '{ v[NR] = $1 } END { printf f "\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# One row per round scenario: medians of req/s, p50 and p99 over the rounds; ok and errors summed; the ratio to bare
# YARP taken per round (against the mean of the bare runs before and after that round), then its median and range.
declare -A RATIO RANGE PRATIO
fold_rounds() { # SCENARIO
  local s=$1 r rps=() p50=() p99=() cpu=() ratios=() pratios=() ok=0 bad=0 notes="" bare bare_p99
  local last=$ROUNDS
  [ "$s" = 0 ] && last=$(( ROUNDS + 1 ))
  for ((r = 1; r <= last; r++)); do
    rps+=("${RPS[$s.$r]}"); p50+=("${P50[$s.$r]}"); p99+=("${P99[$s.$r]}"); cpu+=("${CPU[$s.$r]:-0}")
    ok=$(( ok + ${OK[$s.$r]} )); bad=$(( bad + ${BAD[$s.$r]} )); notes+=${NOTE[$s.$r]:-}
    if [ "$s" != 0 ]; then
      bare=$(awk -v a="${RPS[0.$r]}" -v b="${RPS[0.$((r + 1))]}" 'BEGIN { print (a + b) / 2 }')
      bare_p99=$(awk -v a="${P99[0.$r]}" -v b="${P99[0.$((r + 1))]}" 'BEGIN { print (a + b) / 2 }')
      ratios+=("$(ratio "${RPS[$s.$r]}" "$bare")"); pratios+=("$(ratio "${P99[$s.$r]}" "$bare_p99")")
    fi
  done
  RPS[$s]=$(median %.1f "${rps[@]}"); P50[$s]=$(median %.3f "${p50[@]}"); P99[$s]=$(median %.3f "${p99[@]}")
  OK[$s]=$ok; BAD[$s]=$bad; NOTE[$s]=$notes; CPU[$s]=$(median %.1f "${cpu[@]}")
  if [ "$s" != 0 ]; then
    RATIO[$s]=$(median %.2f "${ratios[@]}"); PRATIO[$s]=$(median %.2f "${pratios[@]}")
    RANGE[$s]="$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)–$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)"
  else
    RANGE[$s]="$(printf '%s\n' "${rps[@]}" | sort -g | head -1)–$(printf '%s\n' "${rps[@]}" | sort -g | tail -1) req/s"
  fi
}
fold_rounds 0
for s in "${ROUND_KEYS[@]}"; do fold_rounds "$s"; done
declare -A LOGIN_RATIO LOGIN_RANGE
fold_logins() { # SCENARIO (6 or 6u): medians over its rounds; the ratio to raw bcrypt per round (against the mean of
  # the bcrypt runs before and after that round), then its median and range.
  local s=$1 r l=() c=() q=() p50=() p99=() ok=0 bad=0
  for ((r = 1; r <= ROUNDS; r++)); do
    l+=("${RPS[$s.$r]}"); c+=("${CPU[$s.$r]:-0}"); p50+=("${P50[$s.$r]}"); p99+=("${P99[$s.$r]}")
    ok=$(( ok + ${OK[$s.$r]} )); bad=$(( bad + ${BAD[$s.$r]} )); NOTE[$s]+=${NOTE[$s.$r]:-}
    q+=("$(ratio "${RPS[$s.$r]}" "$(awk -v a="${BCRYPT_RUNS[$((r - 1))]}" -v b="${BCRYPT_RUNS[$r]}" 'BEGIN { print (a + b) / 2 }')")")
  done
  RPS[$s]=$(median %.1f "${l[@]}"); CPU[$s]=$(median %.1f "${c[@]}"); OK[$s]=$ok; BAD[$s]=$bad
  P50[$s]=$(median %.3f "${p50[@]}"); P99[$s]=$(median %.3f "${p99[@]}")
  LOGIN_RATIO[$s]=$(median %.2f "${q[@]}")
  LOGIN_RANGE[$s]="$(printf '%s\n' "${q[@]}" | sort -g | head -1)–$(printf '%s\n' "${q[@]}" | sort -g | tail -1)"
}
if [ -n "${BCRYPT_RUNS[*]:-}" ]; then
  BCRYPT_RATE=$(median %.1f "${BCRYPT_RUNS[@]}")
  for s in 6 6u; do if wants "$s"; then fold_logins "$s"; fi; done
fi
BARE_RPS=${RPS[0]}
BARE_P99=${P99[0]}
declare -A TITLE=(
  [0]="bare YARP ($(( ROUNDS + 1 )) runs)" [0n]="(diagnostic) bare YARP without trace propagation" [1]="1 sid cookie" [1a]="1a sid cookie, assertions on" [1m]="(diagnostic) 1 with the in-memory store" [2]="2 X-Session-Token" [3]="3 Basic every request (bcrypt 10)"
  [4]="4 unauthenticated → 401" [5]="5 public route" [5c]="(diagnostic) 5 with the sid cookie" [6]="6 login (form POST, -c $LOGIN_CONNECTIONS)" [6u]="6u login, 8 users in turn"
  [6p]="6 scenario 1 during login flood" [7]="7 scenario 1 with +$SESSIONS sessions in $STORE_NAME"
)
{
  echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- command: \`$COMMAND\`"
  echo "- machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem/ { print $2 }') GiB, $(uname -sr)"
  echo "- versions: .NET SDK $(dotnet --version), YARP 2.3.0, $(nginx -v 2>&1 | sed 's/.*: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- store: **$STORE_NAME** (--store $STORE: Gateway:Store:Provider=$STORE_PROVIDER), $STORE_DESC"
  echo "- gateway: $NEAR_CACHE_DESC, logging at Warning; backend nginx (1 worker, static 23-byte body)"
  echo "- load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END"
  echo "- pre-warm (until the tiered JIT is idle): bare YARP ${STEADY[bare YARP]:-n/a}, gateway ${STEADY[gateway]:-n/a}${STEADY[gateway logins]:+, gateway logins (scenario 6) ${STEADY[gateway logins]}}${STEADY[restarted gateway]:+, restarted gateway (scenario 7) ${STEADY[restarted gateway]}}"
  for line in "${SKIPPED[@]}"; do echo "- $line"; done
  echo
  echo "- rounds: $ROUNDS (scenarios 0-5 and 6: req/s, p50 and p99 are medians over the rounds; × bare is the median of the per-round ratios, range shows their spread; CPU µs/req is the app's user + system CPU time per answered request, median over the rounds; ok and errors are totals)"
  echo
  echo "| scenario | req/s | × bare req/s | range of × bare | p50 ms | p99 ms | × bare p99 | CPU µs/req | × bare CPU | ok | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for key in 0 0n 1 1a 1m 2 3 4 5 5c 6 6u 6p 7; do
    [ -n "${RPS[$key]:-}" ] || continue
    # Scenario 6's CPU time includes the logins' bcrypt: no ratio to bare YARP for it.
    c=$(ratio "${CPU[$key]:-0}" "${CPU[0]:-0}")
    if [ "$key" = 0 ]; then r="1.00"; g="${RANGE[0]}"; p="—"
    elif [ "$key" = 6 ] || [ "$key" = 6u ]; then r="—"; g="—"; p="—"; c="—"
    elif [ "$key" = 6p ]; then r=$(ratio "${RPS[$key]}" "$BARE_RPS"); g="— (one run)"; p=$(ratio "${P99[$key]}" "$BARE_P99"); c="—"
    elif [ -n "${RATIO[$key]:-}" ]; then r=${RATIO[$key]}; g=${RANGE[$key]}; p=${PRATIO[$key]}
    else r=$(ratio "${RPS[$key]}" "$BARE_RPS"); g="— (one run)"; p=$(ratio "${P99[$key]}" "$BARE_P99"); fi
    echo "| ${TITLE[$key]} | ${RPS[$key]} | $r | $g | ${P50[$key]} | ${P99[$key]} | $p | ${CPU[$key]:-—} | $c | ${OK[$key]} | ${BAD[$key]}${NOTE[$key]:+ (${NOTE[$key]%; })} |"
  done
  echo
  if [ -n "${RATIO[0n]:-}" ]; then
    against=()
    for key in 1 2 3 4 5; do [ -n "${RATIO[$key]:-}" ] && against+=("$key: $(ratio "${RATIO[$key]}" "${RATIO[0n]}")"); done
    echo "- against bare YARP without trace propagation (× bare of each scenario / × bare of 0n): ${against[*]}"
  fi
  if [ -n "${RATIO[1a]:-}" ] && [ -n "${RATIO[1]:-}" ]; then
    onoff=()
    for ((r = 1; r <= ROUNDS; r++)); do onoff+=("$(ratio "${RPS[1a.$r]}" "${RPS[1.$r]}")"); done
    echo "- assertions on vs off (scenario 1a / scenario 1, same round; target ≥ 0.97): **$(median %.2f "${onoff[@]}")**" \
      "(range $(printf '%s\n' "${onoff[@]}" | sort -g | head -1)–$(printf '%s\n' "${onoff[@]}" | sort -g | tail -1)); CPU µs/req ${CPU[1a]} vs ${CPU[1]}"
  fi
  if [ -n "${BCRYPT_RATE:-}" ]; then
    [ -z "${LOGIN_RATIO[6u]:-}" ] || echo "- scenario 6u: login rate ${RPS[6u]}/s (8 users) vs raw bcrypt ${BCRYPT_RATE}/s (medians of $ROUNDS rounds): **${LOGIN_RATIO[6u]}** (per-round range ${LOGIN_RANGE[6u]})"
    echo "- scenario 6: login rate ${RPS[6]:-n/a}/s vs raw bcrypt ${BCRYPT_RATE}/s on $THREADS threads (medians of $ROUNDS rounds): **${LOGIN_RATIO[6]:-n/a}** (per-round range ${LOGIN_RANGE[6]:-n/a});" \
      "during the flood ($FLOOD_RPS logins/s) scenario 1's p99 was ${P99[6p]} ms vs ${P99[1]:-n/a} ms unloaded: **$(ratio "${P99[6p]}" "${P99[1]:-0}")×**"
  fi
  if [ -n "${PROPAGATION:-}" ]; then
    echo "- revocation propagation between two gateways on one $STORE_NAME (logout on A until B answers 401, ms; target p99 ≤ 200): ${PROPAGATION#PROPAGATION }"
  fi
  if [ -n "${RSS_BEFORE:-}" ]; then
    case "$STORE" in
      redis) detail="Redis used_memory delta (record, user-index entry, active count); MEMORY USAGE of one session record: $SAMPLE_RECORD bytes; of one user index (10 sessions): $SAMPLE_INDEX bytes; keys in Redis: $COUNT_BEFORE before, $COUNT_AFTER after" ;;
      postgres) detail="pg_total_relation_size('login_session'), heap + TOAST + indexes; rows: $COUNT_BEFORE before, $COUNT_AFTER after" ;;
      sqlite) detail="file + -wal after the store's checkpoint on close; live sessions in the file after the seed: $COUNT_AFTER" ;;
    esac
    if [ "$STORE" = sqlite ]; then
      rss="gateway RSS $(( RSS_BEFORE / 1024 )) MiB after scenarios 1-6, then (stopped for the seed, restarted on the same file, pre-warmed) $(( RSS_AFTER / 1024 )) MiB after scenario 1 ran with them"
    else
      rss="gateway RSS $(( RSS_BEFORE / 1024 )) MiB before the insert, $(( RSS_AFTER / 1024 )) MiB after scenario 1 ran with them"
    fi
    echo "- scenario 7: $rss; $STORE_NAME: $(( STORE_AFTER - STORE_BEFORE )) bytes for $SESSIONS sessions = **$BYTES_PER_SESSION bytes/session** ($detail)"
  fi
} >"$WORK/report.md"
mkdir -p "$(dirname "$OUT")"
cp "$WORK/report.md" "$OUT"
echo
cat "$WORK/report.md"
