# Sourced by bench/run.sh and bench/export.sh (not run on its own): a work folder, a Release build, a throwaway
# PostgreSQL cluster from the machine's own binaries and the Release API, each on a free loopback port. Everything
# started here is stopped, and the work folder deleted, when the sourcing script exits.
#
#   source "$root/bench/cluster.sh"
#   bench_init truust-bench                  # $work, and the exit trap
#   build_release path/to/a.csproj ...       # Release builds, the log shown only on failure
#   start_cluster "-c fsync=off"             # server settings; sets $pg_bin $port $pg_pid $db and the psql array
#   start_api "$db" Serilog__...=Warning     # extra environment for the API; sets $api_port $url $api_pid

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

bench_init() {
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  api_pid=""
  pg_bin=""
  pg_pid=0
  as_pg=()
  trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
  if [[ -n "$api_pid" ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  if [[ -n "$pg_bin" && -f "$work/pg/postmaster.pid" ]]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" stop -D "$work/pg" -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}

build_release() {
  echo "== building (Release)"
  local project
  for project in "$@"; do
    dotnet build -c Release -nologo -v q "$project" >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  done
}

# $1: server settings after the port and address ("-c name=value ..."); $2: what to add to the missing-binaries hint.
start_cluster() {
  pg_bin=${TRUUST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  [[ -x "$pg_bin/initdb" ]] || { echo "No PostgreSQL server binaries (apt-get install postgresql)${2:-}"; exit 1; }
  if [[ $(id -u) -eq 0 ]]; then
    # The server refuses to run as root: the cluster belongs to postgres, which must reach the work folder.
    as_pg=(runuser -u postgres --)
    chmod 755 "$work"
  fi
  mkdir -p "$work/pg"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work/pg"
  port=$(free_port)
  echo "== PostgreSQL ($pg_bin) on 127.0.0.1:$port"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" start -D "$work/pg" -w -t 60 -l "$work/pg/server.log" -o \
    "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' $1" >/dev/null
  pg_pid=$(head -n 1 "$work/pg/postmaster.pid")
  psql=("$pg_bin/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE DATABASE truust" >/dev/null
  db="Host=127.0.0.1;Port=$port;Username=postgres;Database=truust"
}

# $1: the connection string; the rest: extra NAME=value settings for the API. The rate limit is raised out of the way.
start_api() {
  local connection="$1"
  shift
  api_port=$(free_port)
  url="http://127.0.0.1:$api_port"
  echo "== API (Release) on $url"
  (
    cd "$root/src/Truust.Api"
    exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" ConnectionStrings__Truust="$connection" \
      Truust__SeedDemo=true RateLimits__PermitsPerSecond=1000000 RateLimits__Burst=1000000 "$@" \
      dotnet bin/Release/net10.0/Truust.Api.dll
  ) >"$work/api.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 120); do
    if curl -fs "$url/health/ready" >/dev/null 2>&1; then break; fi
    kill -0 "$api_pid" 2>/dev/null || { echo "The API exited:"; tail -n 40 "$work/api.log"; exit 1; }
    sleep 0.5
  done
  curl -fs "$url/health/ready" >/dev/null || { tail -n 40 "$work/api.log"; exit 1; }
}
