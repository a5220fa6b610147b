#!/usr/bin/env bash
# The API against PostgreSQL's own limit, in one run (see bench/README.md):
#
#   bash bench/run.sh [--short] [--db "Host=...;Username=...;Password=..."] [--results bench/results.md]
#
# Without --db it starts a throwaway local PostgreSQL cluster (the machine's own binaries, durable default settings,
# pg_stat_statements loaded) on a free loopback port; then a Release build of the API on another free loopback port
# with the rate limit raised; then `Truust.Bench compare`, which alternates the API and pgbench point by point.
# Everything it started is stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
db=""
pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    *) pass+=("$1"); shift ;;
  esac
done

source "$root/bench/cluster.sh"
bench_init truust-bench
build_release "$root/src/Truust.Api/Truust.Api.csproj" "$root/bench/Truust.Bench/Truust.Bench.csproj"

if [[ -z "$db" ]]; then
  start_cluster \
    "-c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
    ", or pass --db"
  db="$db;Maximum Pool Size=200"
fi

start_api "$db"

# `--scenario NAME ...`: one load-generator scenario (bench/README.md) against this API instead of the comparison.
if [[ " ${pass[*]:-} " == *" --scenario "* ]]; then
  dotnet "$root/bench/Truust.Bench/bin/Release/net10.0/Truust.Bench.dll" --url "http://127.0.0.1:$api_port" "${pass[@]}"
  exit $?
fi

dotnet "$root/bench/Truust.Bench/bin/Release/net10.0/Truust.Bench.dll" compare \
  --url "$url" --db "$db" --api-pid "$api_pid" --pg-pid "$pg_pid" \
  --scripts "$root/bench" --command "bash bench/run.sh ${pass[*]:-}" "${pass[@]}"
