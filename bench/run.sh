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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/truust-bench.XXXXXX)
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
dotnet build -c Release -nologo -v q "$root/bench/Truust.Bench/Truust.Bench.csproj" >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }

pg_pid=0
if [[ -z "$db" ]]; then
  pg_bin=${TRUUST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  [[ -x "$pg_bin/initdb" ]] || { echo "No PostgreSQL server binaries (apt-get install postgresql), or pass --db"; exit 1; }
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
    "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 \
     -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" >/dev/null
  pg_pid=$(head -n 1 "$work/pg/postmaster.pid")
  "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE truust" >/dev/null
  db="Host=127.0.0.1;Port=$port;Username=postgres;Database=truust;Maximum Pool Size=200"
fi

api_port=$(free_port)
echo "== API (Release) on 127.0.0.1:$api_port"
(
  cd "$root/src/Truust.Api"
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$api_port" \
    ConnectionStrings__Truust="$db" Truust__SeedDemo=true \
    RateLimits__PermitsPerSecond=1000000 RateLimits__Burst=1000000 \
    exec dotnet bin/Release/net10.0/Truust.Api.dll
) >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$api_pid" 2>/dev/null || { echo "The API exited:"; tail -n 40 "$work/api.log"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$api_port/health/ready" >/dev/null || { tail -n 40 "$work/api.log"; exit 1; }

# `--scenario NAME ...`: one load-generator scenario (bench/README.md) against this API instead of the comparison.
if [[ " ${pass[*]:-} " == *" --scenario "* ]]; then
  dotnet "$root/bench/Truust.Bench/bin/Release/net10.0/Truust.Bench.dll" --url "http://127.0.0.1:$api_port" "${pass[@]}"
  exit $?
fi

dotnet "$root/bench/Truust.Bench/bin/Release/net10.0/Truust.Bench.dll" compare \
  --url "http://127.0.0.1:$api_port" --db "$db" --api-pid "$api_pid" --pg-pid "$pg_pid" \
  --scripts "$root/bench" --command "bash bench/run.sh ${pass[*]:-}" "${pass[@]}"
