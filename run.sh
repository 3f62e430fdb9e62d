#!/usr/bin/env bash
# Starts the whole platform on this machine: installs the OS packages it needs when they are missing
# (PostgreSQL 15 and RabbitMQ, nothing else), then runs the AppHost. Arguments go to the AppHost
# (./run.sh --help). Quiet and quick when everything is installed.
set -euo pipefail
cd "$(dirname "$0")"

bash scripts/install-os-packages.sh

if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK (dotnet) was not found. Install the .NET 10 SDK: https://dot.net/download (see global.json for the version)." >&2
  exit 1
fi

exec dotnet run --project AppHost -- "$@"
