#!/usr/bin/env bash
# AppHost cold start: seconds from launching the AppHost until DIR/endpoints.json appears, that is until
# PostgreSQL, RabbitMQ and every service answer ready. Uses the built binaries (--no-build): N runs on a
# new, empty data folder each (initdb, new broker), then one more on the folder the last run left behind.
# Usage: bench/apphost-cold-start.sh [N]    (N defaults to 5)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
apphost=$root/AppHost/bin/Debug/net10.0/Platform.AppHost

echo "Building (Debug) ..." >&2
dotnet build "$root/Platform.sln" --nologo --verbosity quiet >/dev/null

folders=()
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "${folders[@]}"
}
trap cleanup EXIT

# Starts the AppHost on $1, prints the seconds until endpoints.json exists, then stops it (SIGTERM).
measure() {
  local folder=$1 start end
  rm -f "$folder/endpoints.json"
  start=$(date +%s.%N)
  "$apphost" --no-build --data "$folder" >"$folder.out" 2>&1 &
  pid=$!
  until [[ -f $folder/endpoints.json ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "The AppHost exited before it was ready:" >&2
      tail -20 "$folder.out" >&2
      exit 1
    fi
    sleep 0.02
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  awk -v start="$start" -v end="$end" 'BEGIN { print end - start }'
}

fresh=()
for ((i = 1; i <= runs; i++)); do
  folder=$(mktemp -d /tmp/apphost-bench.XXXXXX)
  folders+=("$folder" "$folder.out")
  seconds=$(measure "$folder")
  fresh+=("$seconds")
  printf 'run %d (new data folder):      %.2f s\n' "$i" "$seconds"
done
existing=$(measure "$folder")
printf 'run %d (existing data folder): %.2f s\n' "$((runs + 1))" "$existing"

median=$(printf '%s\n' "${fresh[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
printf 'median of %d cold starts on a new data folder: %.2f s; on an existing one: %.2f s\n' "$runs" "$median" "$existing"
