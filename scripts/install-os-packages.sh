#!/usr/bin/env bash
# Installs the Debian packages the platform runs (PostgreSQL 15, RabbitMQ 3.10) and its browser tests use
# (Chromium), when they are missing. Quiet and quick when everything is there.
set -euo pipefail

needed=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || needed+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || needed+=(rabbitmq-server)
command -v setpriv >/dev/null || needed+=(util-linux)
if [ "${1:-}" = "--with-browser" ]; then
  command -v chromium >/dev/null || needed+=(chromium)
fi
[ ${#needed[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Missing Debian packages: ${needed[*]}. Install them with: sudo apt-get install -y ${needed[*]}" >&2
  exit 1
fi

echo "Installing ${needed[*]} ..."
# Packages must not start system-wide servers: the platform runs its own, as child processes.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
