#!/usr/bin/env bash
# Failover drill: PostgreSQL 15 primary + synchronous standby managed by Patroni (etcd as its DCS), HAProxy routing
# to whichever node Patroni's REST API reports as primary, and two Truust API instances behind HAProxy. Under
# concurrent transfer and order-lifecycle load the primary node (its Patroni and its PostgreSQL) is SIGKILLed;
# Patroni promotes the synchronous standby once the leader key expires; the API answers 503 + Retry-After meanwhile
# and recovers by itself. deploy/failover-drill-load.py then checks that every acknowledged request is present
# exactly once, the ledger invariants and the reconciliation, and prints the unavailability window.
#
# One command, loopback only, free ports, everything under one temporary directory that is removed at the end, and
# bounded in time (DRILL_TIMEOUT_SECONDS, default 420). Needs the Debian packages postgresql-15, patroni,
# python3-etcd, etcd-server and haproxy (installed with apt-get when missing and run as root) and the .NET SDK.
# Usage: bash deploy/failover-drill.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
timeout_seconds=${DRILL_TIMEOUT_SECONDS:-420}

if [ -z "${DRILL_INNER:-}" ]; then
  export DRILL_INNER=1
  # The whole drill in its own process group under a deadline; the trap below cleans up either way.
  exec timeout --kill-after=20 "$timeout_seconds" "$0" "$@"
fi

need=()
command -v patroni >/dev/null || need+=(patroni)
/usr/bin/python3 -c "import etcd, psycopg2" 2>/dev/null || need+=(python3-etcd python3-psycopg2)
command -v etcd >/dev/null || need+=(etcd-server)
command -v haproxy >/dev/null || need+=(haproxy)
ls /usr/lib/postgresql/15/bin/initdb >/dev/null 2>&1 || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then
  echo "drill: installing ${need[*]}"
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/truust-drill.XXXXXX)
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  # Patroni runs under runuser when root: its processes are found by this drill's own directory in their command.
  for pid in $(pgrep -f "patroni $work/" || true); do kill -9 "$pid" 2>/dev/null || true; done
  # Postmasters started by Patroni are not our direct children: stop them by their data directories' pid files.
  for pidfile in "$work"/pg*/data/postmaster.pid; do
    [ -f "$pidfile" ] && kill -9 "$(head -1 "$pidfile")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ] && [ -d "$work" ]; then
    echo "drill: failed ($status); last log lines:"
    for log in "$work"/*.log; do echo "== $log"; tail -n 15 "$log"; done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_client=$(free_port); etcd_peer=$(free_port)
pg1=$(free_port); pg2=$(free_port); rest1=$(free_port); rest2=$(free_port)
pg_lb=$(free_port); api_lb=$(free_port); api1=$(free_port); api2=$(free_port)
# PostgreSQL refuses to run as root: the cluster runs as the postgres user then.
if [ "$(id -u)" -eq 0 ]; then run_pg=(runuser -u postgres --); chown postgres "$work"; else run_pg=(); fi

echo "drill: building the API"
dotnet build src/Truust.Api -v q -nologo >"$work/build.log" 2>&1
dll="$repo/src/Truust.Api/bin/Debug/net10.0/Truust.Api.dll"

started=$(date +%s)
etcd --name drill --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "drill=http://127.0.0.1:$etcd_peer" --enable-v2=true >"$work/etcd.log" 2>&1 &
pids+=($!); disown $!

node_config() { # name pg_port rest_port
  cat <<EOF
scope: truust-drill
name: $1
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd:
  host: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    # The leader key lives 10 s: a dead primary is replaced after at most that, plus one loop.
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 0
    # A commit is acknowledged only once the standby has it, so the promoted standby has every acknowledged
    # transaction: synchronous_mode makes Patroni promote only the synchronous standby.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: false
      parameters:
        max_connections: 200
        wal_level: replica
        hot_standby: "on"
        wal_keep_size: 256MB
        synchronous_commit: "on"
        fsync: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $work/$1/data
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: $work/$1/pgpass
  authentication:
    replication: {username: replicator, password: drill}
    superuser: {username: postgres, password: drill}
  parameters:
    unix_socket_directories: $work/$1
tags: {nofailover: false, noloadbalance: false, clonefrom: false, nosync: false}
EOF
}
for node in pg1:$pg1:$rest1 pg2:$pg2:$rest2; do
  IFS=: read -r name port rest <<<"$node"
  mkdir -p "$work/$name"; chmod 700 "$work/$name"
  node_config "$name" "$port" "$rest" >"$work/$name.yml"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$work/$name" "$work/$name.yml"
done

cat >"$work/haproxy.cfg" <<EOF
global
  maxconn 2000
defaults
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  timeout check 1s
listen postgres
  mode tcp
  bind 127.0.0.1:$pg_lb
  # Patroni answers 200 on /primary only on the node holding the leader key.
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 300ms fall 2 rise 1 on-marked-down shutdown-sessions
  server pg1 127.0.0.1:$pg1 check port $rest1
  server pg2 127.0.0.1:$pg2 check port $rest2
listen api
  mode http
  bind 127.0.0.1:$api_lb
  balance roundrobin
  option httpchk GET /health/live
  default-server inter 500ms fall 2 rise 1
  server api1 127.0.0.1:$api1 check
  server api2 127.0.0.1:$api2 check
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!); disown $!

primary_of() { # prints the node whose Patroni says it is the primary
  for node in pg1:$rest1 pg2:$rest2; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${node#*:}/primary")" = 200 ]; then
      echo "${node%%:*}"; return
    fi
  done
}
sync_standby_ready() {
  curl -s "http://127.0.0.1:$rest1/cluster" | /usr/bin/python3 -c '
import json, sys
members = json.load(sys.stdin)["members"]
sys.exit(0 if any(m["role"] == "sync_standby" and m["state"] in ("running", "streaming") for m in members) else 1)'
}

echo "drill: starting etcd, Patroni (2 nodes) and HAProxy on loopback"
"${run_pg[@]}" patroni "$work/pg1.yml" >"$work/patroni-pg1.log" 2>&1 &
pids+=($!); patroni_pid[1]=$!; disown $!
until [ "$(primary_of)" = pg1 ]; do sleep 0.5; done
"${run_pg[@]}" patroni "$work/pg2.yml" >"$work/patroni-pg2.log" 2>&1 &
pids+=($!); patroni_pid[2]=$!; disown $!
until sync_standby_ready 2>/dev/null; do sleep 0.5; done
echo "drill: pg1 primary, pg2 synchronous standby after $(($(date +%s) - started)) s"

database="Host=127.0.0.1;Port=$pg_lb;Username=postgres;Password=drill;Database=truust;Maximum Pool Size=40"
operator=sk_operator_drill_$(date +%s)
export ConnectionStrings__Truust="$database" Truust__OperatorKey="$operator" ASPNETCORE_ENVIRONMENT=Production \
  Serilog__MinimumLevel__Default=Warning RateLimits__PermitsPerSecond=100000 RateLimits__Burst=100000 \
  Workers__PollMilliseconds=200 Workers__LeaseSeconds=5 Idempotency__LeaseSeconds=5
(cd "$(dirname "$dll")" && dotnet "$dll" migrate >"$work/migrate.log" 2>&1)
for port in $api1 $api2; do
  (cd "$(dirname "$dll")" && Truust__MigrateOnStartup=false ASPNETCORE_URLS="http://127.0.0.1:$port" \
    exec dotnet "$dll" >"$work/api-$port.log" 2>&1) &
  pids+=($!); disown $!
done
for port in $api1 $api2; do
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
done
echo "drill: migrated once, two API instances ready behind HAProxy after $(($(date +%s) - started)) s"

# The kill: the primary node dies as a machine does: its Patroni and its PostgreSQL, SIGKILL, no shutdown. (Killing
# only the postmaster would not fail over: the node's own Patroni, still holding the leader key, restarts it.)
cat >"$work/kill-primary.sh" <<EOF
#!/usr/bin/env bash
node=\$(bash -c '$(declare -f primary_of); rest1=$rest1; rest2=$rest2; primary_of')
[ "\$node" = pg1 ] && patroni=${patroni_pid[1]} || patroni=${patroni_pid[2]}
echo "\$node" >"$work/killed"
kill -9 "\$patroni" \$(pgrep -f "patroni $work/\$node.yml") 2>/dev/null || true
kill -9 "\$(head -1 "$work/\$node/data/postmaster.pid")"
EOF
cat >"$work/new-primary.sh" <<EOF
#!/usr/bin/env bash
node=\$(bash -c '$(declare -f primary_of); rest1=$rest1; rest2=$rest2; primary_of')
[ -n "\$node" ] && [ "\$node" != "\$(cat "$work/killed")" ] && echo "\$node" || true
EOF

/usr/bin/python3 deploy/failover-drill-load.py --api "127.0.0.1:$api_lb" \
  --database "host=127.0.0.1 port=$pg_lb user=postgres password=drill dbname=truust" \
  --operator-key "$operator" --kill-command "bash $work/kill-primary.sh" \
  --primary-check "bash $work/new-primary.sh" --clients "${DRILL_CLIENTS:-16}" \
  --kill-after "${DRILL_KILL_AFTER_SECONDS:-10}" --after-recovery "${DRILL_AFTER_RECOVERY_SECONDS:-8}"
echo "drill: passed in $(($(date +%s) - started)) s"
