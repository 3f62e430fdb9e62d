#!/usr/bin/env bash
# Starts the whole platform on this machine under .NET Aspire: installs the OS packages it needs when they are
# missing (PostgreSQL 15, RabbitMQ, and Chromium so the dashboard can print the annual report as PDF), builds, then runs the AppHost binary itself (not through
# `dotnet run`, whose death would leave the AppHost running). Arguments go to the AppHost (./run.sh --help);
# --no-build skips the build.
set -euo pipefail
cd "$(dirname "$0")"

build=1
args=()
for arg in "$@"; do
  if [[ $arg == --no-build ]]; then build=0; else args+=("$arg"); fi
done

bash scripts/install-os-packages.sh --with-browser

if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK (dotnet) was not found. Install the .NET 10 SDK: https://dot.net/download (see global.json for the version)." >&2
  exit 1
fi

apphost=AppHost/bin/Release/net10.0/Platform.AppHost
if ((build)); then
  echo "Building (Release) ..." >&2
  if ! dotnet build AppHost/Platform.AppHost.csproj -c Release -nologo -v q -clp:ErrorsOnly; then
    echo "The build failed (see above)." >&2
    exit 1
  fi
elif [[ ! -x $apphost ]]; then
  echo "--no-build: $apphost does not exist yet. Run ./run.sh once without --no-build." >&2
  exit 1
fi

exec "$apphost" "${args[@]}"
