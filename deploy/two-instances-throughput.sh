#!/usr/bin/env bash
# Throughput through two API instances against one, on one PostgreSQL 15: a throwaway cluster on loopback, the
# migrations applied once (`Truust.Api.dll migrate`), two instances (Release), and HAProxy with two frontends: one
# that sends everything to instance A, one that balances A and B round robin. bench/Truust.Bench's transfers scenario
# runs against each frontend, alternating, ROUNDS times (default 2). Loopback only, free ports, bounded in time,
# everything removed at the end. Usage: bash deploy/two-instances-throughput.sh [count] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3000}
concurrency=${2:-16}
rounds=${ROUNDS:-2}
if [ -z "${THROUGHPUT_INNER:-}" ]; then
  export THROUGHPUT_INNER=1
  exec timeout --kill-after=10 "${THROUGHPUT_TIMEOUT_SECONDS:-600}" "$0" "$@"
fi

work=$(mktemp -d /tmp/truust-throughput.XXXXXX)
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -f "$work/pg/postmaster.pid" ] && kill -9 "$(head -1 "$work/pg/postmaster.pid")" 2>/dev/null || true
  [ "$status" -ne 0 ] && for log in "$work"/*.log; do echo "== $log"; tail -n 15 "$log"; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg=$(free_port); a=$(free_port); b=$(free_port); one=$(free_port); two=$(free_port)
bin=$(ls -d /usr/lib/postgresql/15/bin)
if [ "$(id -u)" -eq 0 ]; then run_pg=(runuser -u postgres --); chown postgres "$work"; else run_pg=(); fi

dotnet build -c Release src/Truust.Api -v q -nologo >"$work/build.log" 2>&1
dotnet build -c Release bench/Truust.Bench -v q -nologo >>"$work/build.log" 2>&1
dll=$(pwd)/src/Truust.Api/bin/Release/net10.0/Truust.Api.dll
bench=$(pwd)/bench/Truust.Bench/bin/Release/net10.0/Truust.Bench.dll

"${run_pg[@]}" "$bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >"$work/initdb.log" 2>&1
"${run_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/postgres.log" -w start \
  -o "-p $pg -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null

export ConnectionStrings__Truust="Host=127.0.0.1;Port=$pg;Username=postgres;Database=truust;Maximum Pool Size=60"
export ASPNETCORE_ENVIRONMENT=Production Truust__SeedDemo=true Serilog__MinimumLevel__Default=Warning \
  RateLimits__PermitsPerSecond=1000000 RateLimits__Burst=1000000
(cd "$(dirname "$dll")" && dotnet "$dll" migrate >"$work/migrate.log" 2>&1)
for port in $a $b; do
  (cd "$(dirname "$dll")" && Truust__MigrateOnStartup=false ASPNETCORE_URLS="http://127.0.0.1:$port" \
    exec dotnet "$dll" >"$work/api-$port.log" 2>&1) &
  pids+=($!); disown $!
done
for port in $a $b; do until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done; done

cat >"$work/haproxy.cfg" <<EOF
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
listen one
  bind 127.0.0.1:$one
  server a 127.0.0.1:$a
listen two
  bind 127.0.0.1:$two
  balance roundrobin
  server a 127.0.0.1:$a
  server b 127.0.0.1:$b
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!); disown $!
sleep 1

echo "throughput: bench transfers scenario, 100 wallets, $count transfers, $concurrency clients, $(nproc) cores"
for round in $(seq "$rounds"); do
  for setup in one:$one two:$two; do
    out=$(dotnet "$bench" --url "http://127.0.0.1:${setup#*:}" --scenario transfers --wallets 100 \
      --count "$count" --concurrency "$concurrency" 2>&1)
    echo "round $round, ${setup%%:*} instance(s): $(grep -E '^transfer |requests/s' <<<"$out" | tr -s ' ' | tr '\n' ';')"
  done
done
