#!/usr/bin/env bash
# Static checks of the container files (no Docker engine needed): the Dockerfile with dockerfile-utils' linter (the
# Dockerfile language server's rules: arguments, flags, durations, deprecated instructions), docker-compose.yml with
# dclint (schema and best practices, configured in .dclintrc) and with `docker compose config` (or Debian's
# docker-compose when the docker CLI has no compose plugin), which resolves the file as Compose itself would.
# Any finding fails. Installs what is missing (npm, apt-get) unless CHECK_CONTAINERS_NO_INSTALL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CHECK_CONTAINERS_NO_INSTALL:-}" ]; then
  command -v dockerfile-utils >/dev/null || npm install -g --silent dockerfile-utils@0.16.3 >/dev/null
  command -v dclint >/dev/null || npm install -g --silent dclint@3.1.0 >/dev/null
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
fi

failed=0
findings=$(dockerfile-utils lint Dockerfile 2>&1) || true
if [ -n "$findings" ]; then echo "$findings"; failed=1; fi
if ! dclint --max-warnings 0 docker-compose.yml; then failed=1; fi
if docker compose version >/dev/null 2>&1; then
  docker compose -f docker-compose.yml config -q || failed=1
else
  docker-compose -f docker-compose.yml config -q || failed=1
fi
if [ "$failed" -ne 0 ]; then
  echo "container files: findings above"
  exit 1
fi
echo "container files: Dockerfile and docker-compose.yml clean"
