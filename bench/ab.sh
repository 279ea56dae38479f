# A/B of two gateway builds, run inside bench/run.sh (see bench/README.md):
#   dotnet publish Gateway/Gateway.csproj -c Release -o /tmp/gw-old   # from the commit to compare with
#   AB_BASE=/tmp/gw-old BENCH_DEBUG='source bench/ab.sh' bash bench/run.sh --scenarios "0 1 2 3 5"
# The gateway run.sh builds ($GW, this tree) and the old build (AB_BASE) share one Redis, backend, users and sessions;
# each round runs bare YARP once, then every scenario on both gateways back to back (order swapped every round), wrk
# -c32 for AB_DUR (5s) each; AB_ROUNDS (6) rounds. Printed per scenario: medians (and ranges) over the rounds of
# req/s and CPU time per request (/proc/<pid>/stat) of this build over the old one, and of each over bare YARP.
# Before the rounds, AB_WARMUP (6) warm-up passes of 2 s per scenario on each gateway. AB_LABEL names the base in the
# summary and in the rounds' file (bench/results/ab-<label>.txt; bench/ab-variant.sh sets it to the variant).
AB_ROUNDS=${AB_ROUNDS:-6}; AB_DUR=${AB_DUR:-5s}; AB_SCEN=${AB_SCEN:-"1 2 3 5"}; AB_WARMUP=${AB_WARMUP:-6}; AB_LABEL=${AB_LABEL:-}
BASE_PORT=$(free_port)
mkdir -p "$WORK/gwbase"
sed -e "s/127.0.0.1:$GW_PORT/127.0.0.1:$BASE_PORT/" "$WORK/gw/appsettings.json" >"$WORK/gwbase/appsettings.json"
cp "$WORK/gw/routes.json" "$WORK/gwbase/"
(cd "$WORK/gwbase" && exec "$AB_BASE/Gateway") >"$WORK/gateway-base.log" 2>&1 &
BASE_PID=$!
PIDS+=($BASE_PID)
wait_http "http://127.0.0.1:$BASE_PORT/healthz"
GWB="http://127.0.0.1:$BASE_PORT"
args_for() { case $1 in 0) echo "||/app" ;; 1) echo "-H|Cookie: sid=$COOKIE_SID|/app" ;; 2) echo "-H|X-Session-Token: $TOKEN_SID|/app" ;; 3) echo "-H|Authorization: Basic $BASIC|/app" ;; 5) echo "||/public/app" ;; esac; }
one() { # URLBASE PID SCEN DUR -> "rps cpu_us errors" (errors: answers other than 2xx/3xx, and socket errors)
  local base=$1 pid=$2 s=$3 d=$4 a h p t0 t1 out n rps e
  IFS='|' read -r a h p <<<"$(args_for "$s")"
  t0=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
  if [ -n "$a" ]; then out=$(wrk -t2 -c32 -d"$d" "$a" "$h" "$base$p"); else out=$(wrk -t2 -c32 -d"$d" "$base$p"); fi
  t1=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
  n=$(awk '/requests in/ { print $1 }' <<<"$out"); rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  e=$(awk '/Non-2xx/ { e += $NF } /Socket errors/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' <<<"$out")
  awk -v r="$rps" -v t=$((t1 - t0)) -v n="$n" -v hz="$(getconf CLK_TCK)" -v e="$e" 'BEGIN { printf "%s %.1f %d\n", r, t * 1e6 / hz / n, e }'
}
status() { # URLBASE SCEN -> the status of one request
  local a h p
  IFS='|' read -r a h p <<<"$(args_for "$2")"
  if [ -n "$a" ]; then curl -s -o /dev/null -w '%{http_code}' "$a" "$h" "$1$p"; else curl -s -o /dev/null -w '%{http_code}' "$1$p"; fi
}
# A build that answers something else than the backend's 200 would be measured doing something else: stop here.
echo "== A/B check: one request per scenario on each build"
for s in $AB_SCEN; do
  sn=$(status "$GW" "$s"); sb=$(status "$GWB" "$s"); echo "s$s new $sn base $sb"
  [[ $sn == 200 && $sb == 200 ]] || { echo "A/B: scenario $s does not answer 200 on both builds (new $sn, base $sb)" >&2; exit 1; }
done
echo "== A/B warm-up"
for ((i = 1; i <= AB_WARMUP; i++)); do for s in 1 2 3 5; do one "$GW" $GW_PID $s 2s >/dev/null; one "$GWB" $BASE_PID $s 2s >/dev/null; done; done
wrk -t2 -c32 -d10s "$BARE/app" >/dev/null
echo "== A/B: load $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$WORK/ab.txt"
for ((r = 1; r <= AB_ROUNDS; r++)); do
  read -r brps bcpu _ <<<"$(one "$BARE" $BARE_PID 0 $AB_DUR)"
  for s in $AB_SCEN; do
    if (( r % 2 )); then read -r nr nc ne <<<"$(one "$GW" $GW_PID $s $AB_DUR)"; read -r br bc be <<<"$(one "$GWB" $BASE_PID $s $AB_DUR)";
    else read -r br bc be <<<"$(one "$GWB" $BASE_PID $s $AB_DUR)"; read -r nr nc ne <<<"$(one "$GW" $GW_PID $s $AB_DUR)"; fi
    echo "r$r s$s new $nr ${nc}us base $br ${bc}us bare $brps ${bcpu}us errors $ne $be" | tee -a "$WORK/ab.txt"
  done
done
echo "== A/B summary (new = this tree, base = ${AB_LABEL:-AB_BASE}); load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$BENCH/ab-summary.py" "$WORK/ab.txt"
mkdir -p "$BENCH/results" && cp "$WORK/ab.txt" "$BENCH/results/ab${AB_LABEL:+-$AB_LABEL}.txt"
