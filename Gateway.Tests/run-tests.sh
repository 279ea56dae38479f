#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need, checks the packages against the
# feed's vulnerability data, runs the tests, and ends with one line "N passed, N failed[, N skipped]" counted from
# the test results file. A known-vulnerable package fails the run even when every test passes.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
# PostgreSQL store tests start their own server with initdb/pg_ctl (PostgresServer fixture).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# Browser journeys run in Debian's Chromium (Playwright drives it; no browser download).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# deploy/check.py (run by DeployFilesTests) parses the deployment YAML.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
# Forward auth runs behind a real nginx (and Caddy, when Debian has it) started by the tests.
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
# The Python assertion example (deploy/assertions/verify_assertion.py) runs on Debian's interpreter and PyJWT.
/usr/bin/python3 -c 'import jwt, cryptography' >/dev/null 2>&1 || missing+=(python3-jwt python3-cryptography)
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Known-vulnerable packages, direct or transitive, fail the run when the feed answers. When it cannot be reached
# (an offline machine), the check is reported as skipped: the tests themselves still decide the run.
vulnerable=0
set +e
audit=$(dotnet list Gateway.sln package --vulnerable --include-transitive 2>&1)
audit_status=$?
set -e
if grep -q "has the following vulnerable packages" <<<"$audit"; then
  echo "$audit"
  echo "Known-vulnerable packages (above): the run fails"
  vulnerable=1
elif ((audit_status != 0)) && grep -Eqi "unable to load the service index|NU1301" <<<"$audit"; then
  echo "Vulnerability check skipped: the package feed could not be reached"
  grep -Ei "error|warn" <<<"$audit" | head -n 3 || true
elif ((audit_status != 0)); then
  echo "$audit"
  echo "Vulnerability check failed (exit $audit_status): the run fails"
  vulnerable=1
else
  echo "Vulnerability check: no known-vulnerable packages"
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
set +e
dotnet test Gateway.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang-timeout 5m "$@"
status=$?
set -e

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "no test results (build failed?)"
  echo "0 passed, 0 failed"
  exit $(( status == 0 ? 1 : status ))
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
total=$(count total); passed=$(count passed); failed=$(count failed)
errors=$(count error); timeouts=$(count timeout); aborted=$(count aborted)
failed=$(( failed + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} ))
skipped=$(( total - passed - failed ))
if (( vulnerable )); then echo "failing: known-vulnerable packages or a failed vulnerability check (see the start)"; fi
if (( skipped > 0 )); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
if (( total == 0 || (vulnerable && status == 0) )); then exit 1; fi
exit "$status"
