#!/usr/bin/env bash
# The journal export and the period report of 1,000,000 ledger rows, streamed (see bench/README.md):
#
#   bash bench/export.sh [--rows 1000000]
#
# Starts a throwaway local PostgreSQL cluster and a Release build of the API (demo platform seeded), inserts the rows
# straight into ledger_transfers with generate_series (posted to the demo platform across 1,000 wallet accounts and
# the card rail), then streams GET /v1/journal/export (NDJSON and CSV) and GET /v1/reports/period to /dev/null with
# curl while sampling the API's resident memory (VmRSS) every 20 ms. Prints idle RSS, peak RSS during each export,
# rows/s and bytes. Everything it started is stopped on exit. Not a test: the figures go to bench/results.md by hand.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rows=1000000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/truust-bench-export.XXXXXX)
api_pid=""
pg_bin=""
as_pg=()
cleanup() {
  if [[ -n "$api_pid" ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  if [[ -n "$pg_bin" && -f "$work/pg/postmaster.pid" ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" stop -D "$work/pg" -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "== building (Release)"
dotnet build -c Release -nologo -v q "$root/src/Truust.Api/Truust.Api.csproj" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }

pg_bin=${TRUUST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$pg_bin/initdb" ]] || { echo "No PostgreSQL server binaries (apt-get install postgresql)"; exit 1; }
if [[ $(id -u) -eq 0 ]]; then
  as_pg=(runuser -u postgres --)
  chmod 755 "$work"
fi
mkdir -p "$work/pg"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work/pg"
port=$(free_port)
echo "== PostgreSQL ($pg_bin) on 127.0.0.1:$port"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" start -D "$work/pg" -w -t 60 -l "$work/pg/server.log" -o \
  "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off" >/dev/null
psql=("$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE truust" >/dev/null
db="Host=127.0.0.1;Port=$port;Username=postgres;Database=truust"

api_port=$(free_port)
url="http://127.0.0.1:$api_port"
echo "== API (Release) on $url"
(
  cd "$root/src/Truust.Api"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" ConnectionStrings__Truust="$db" Truust__SeedDemo=true \
    RateLimits__PermitsPerSecond=1000000 RateLimits__Burst=1000000 Serilog__MinimumLevel__Default=Warning \
    exec dotnet bin/Release/net10.0/Truust.Api.dll
) >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  if curl -fs "$url/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$api_pid" 2>/dev/null || { echo "The API exited:"; tail -n 40 "$work/api.log"; exit 1; }
  sleep 0.5
done
curl -fs "$url/health/ready" >/dev/null || { tail -n 40 "$work/api.log"; exit 1; }

echo "== seeding $rows ledger transfers with generate_series"
start=$(date +%s.%N)
"${psql[@]}" -d truust <<SQL
INSERT INTO ledger_transfers (id, platform_id, debit_account, credit_account, amount_minor, currency, kind, reference,
                              order_id, created_at)
SELECT 'ltr_bench' || lpad(g::text, 10, '0'), p.id,
       CASE WHEN g % 2 = 0 THEN 'world:card' ELSE 'wallet:wal_bench' || (g % 1000) END,
       CASE WHEN g % 2 = 0 THEN 'wallet:wal_bench' || (g % 1000) ELSE 'world:card' END,
       1 + g % 5000, 'EUR', CASE WHEN g % 2 = 0 THEN 'TOPUP' ELSE 'WITHDRAWAL' END, 'pay_bench' || g, NULL,
       timestamptz '2026-01-01' + g * interval '1 second'
FROM generate_series(1, $rows) g, (SELECT platform_id AS id FROM api_keys LIMIT 1) p;
ANALYZE ledger_transfers;
SQL
echo "   seeded in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

key="sk_test_demo_truust_00000000000000000000"
rss() { awk '/VmRSS/ {print $2}' "/proc/$api_pid/status"; }
measure() {
  local name="$1" path="$2" lines="$3"
  curl -fs -o /dev/null -H "Authorization: Bearer $key" "$url/v1/journal?limit=1"
  sleep 2
  local idle; idle=$(rss)
  local peak=$idle
  (curl -fsS -w '%{stderr}%{size_download} %{time_total}\n' -H "Authorization: Bearer $key" "$url$path" \
    2>"$work/curl" | wc -l >"$work/lines") &
  local curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    local now; now=$(rss)
    (( now > peak )) && peak=$now
    sleep 0.02
  done
  wait "$curl_pid"
  read -r bytes seconds <"$work/curl"
  local got; got=$(cat "$work/lines")
  python3 - "$name" "$idle" "$peak" "$bytes" "$seconds" "$got" "$lines" <<'PY'
import sys
name, idle, peak, size, seconds, got, lines = sys.argv[1:]
idle, peak, size, seconds, got, lines = int(idle), int(peak), int(size), float(seconds), int(got), int(lines)
print(f"{name}: {lines:,} rows ({got:,} lines) in {seconds:.1f} s = {lines / seconds:,.0f} rows/s, "
      f"{size / 1e6:,.0f} MB; API RSS idle {idle / 1024:.0f} MiB, peak during the export {peak / 1024:.0f} MiB "
      f"(+{(peak - idle) / 1024:.0f} MiB)")
PY
}

echo "== exports with the demo platform's key (the body is only counted)"
measure "journal NDJSON" "/v1/journal/export" "$rows"
measure "journal NDJSON, again (warm)" "/v1/journal/export" "$rows"
measure "journal CSV" "/v1/journal/export?format=CSV" "$rows"
measure "period report NDJSON (2 lines per transfer + opening/closing per account)" \
  "/v1/reports/period?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z" "$((2 * rows))"
