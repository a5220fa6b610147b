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

source "$root/bench/cluster.sh"
bench_init truust-bench-export
build_release "$root/src/Truust.Api/Truust.Api.csproj"
start_cluster "-c fsync=off"
start_api "$db" Serilog__MinimumLevel__Default=Warning

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
