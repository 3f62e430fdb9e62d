#!/usr/bin/env bash
# AppHost cold start under .NET Aspire: seconds from launching the AppHost binary until DIR/endpoints.json appears,
# that is until PostgreSQL, RabbitMQ and every service are healthy (DCP starts each service with
# `dotnet run --no-build`). N runs on a new, empty data folder each (initdb, new broker), then one more on the
# folder the last run left behind; median of the N.
#
# Once ready (and IDLE_SECONDS later, default 10), the memory of the whole platform at idle: the sum of VmRSS over
# the AppHost and everything it runs, and what DCP, the Aspire dashboard and the `dotnet run` wrappers add to it.
# DCP detaches from the AppHost (its parent is init), so "everything it runs" is the AppHost's descendants plus
# the DCP process that monitors the AppHost's pid (`dcp start-apiserver --monitor PID`) and its descendants.
# RSS counts shared pages once per process (PostgreSQL's workers share its buffers), so the sum is an upper bound.
#
# Usage: bench/apphost-cold-start.sh [N]    (N defaults to 5; builds Release first)
set -euo pipefail
runs=${1:-5}
idle=${IDLE_SECONDS:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
apphost=$root/AppHost/bin/Release/net10.0/Platform.AppHost

echo "Building (Release) ..." >&2
dotnet build "$root/AppHost/Platform.AppHost.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2

folders=()
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "${folders[@]}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The AppHost ($1) and every process it runs, one pid a line.
platform_pids() {
  local apphost_pid=$1
  ps -e -o pid=,ppid=,args= | awk -v root="$apphost_pid" '
    { pid = $1; ppid = $2; $1 = ""; $2 = ""; parent[pid] = ppid; args[pid] = $0 }
    END {
      keep[root] = 1
      for (p in args) if (args[p] ~ /\/dcp start-apiserver / && args[p] ~ ("--monitor " root "( |$)")) keep[p] = 1
      do {
        grew = 0
        for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; grew = 1 }
      } while (grew)
      for (p in keep) if (p in args) print p
    }'
}

# VmRSS in KiB of a pid (0 if it is gone).
rss_kib() {
  local kib
  kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || true
  echo "${kib:-0}"
}

# The RSS of the platform of AppHost $1, as "MiB/processes" for: all dcp aspire wrappers apphost services postgres
# rabbitmq (every process counts in "all" and in at most one of the others).
platform_rss() {
  local apphost_pid=$1 p args kib part
  local -A kibs=() counts=()
  for p in $(platform_pids "$apphost_pid"); do
    args=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
    kib=$(rss_kib "$p")
    if [[ $p == "$apphost_pid" ]]; then part=apphost
    elif [[ $args == *"/dcp "* ]]; then part=dcp
    elif [[ $args == *Aspire.Dashboard* ]]; then part=aspire
    elif [[ $args == "dotnet run --project"* ]]; then part=wrappers
    elif [[ $args == */services/*/bin/Release/net10.0/Platform.* ]]; then part=services
    elif [[ $args == *postgres* ]]; then part=postgres
    elif [[ $args == *beam.smp* || $args == *epmd* || $args == *erl_child_setup* || $args == *inet_gethost* || $args == *rabbit* ]]; then part=rabbitmq
    else part=other
    fi
    for part in all "$part"; do
      kibs[$part]=$((${kibs[$part]:-0} + kib))
      counts[$part]=$((${counts[$part]:-0} + 1))
    done
  done
  for part in all dcp aspire wrappers apphost services postgres rabbitmq; do
    printf '%s/%s ' $((${kibs[$part]:-0} / 1024)) "${counts[$part]:-0}"
  done
  echo
}

# Starts the AppHost on $1; sets result to "SECONDS RSS..." (see platform_rss), then stops it (SIGTERM) and waits
# until DCP has stopped everything it ran, so runs do not overlap. (Not in a $(subshell): the EXIT trap must see $pid.)
measure() {
  local folder=$1 start end seconds rss platform p left i
  rm -f "$folder/endpoints.json"
  start=$(date +%s.%N)
  "$apphost" --data "$folder" >"$folder.out" 2>&1 &
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
  seconds=$(awk -v start="$start" -v end="$end" 'BEGIN { print end - start }')
  sleep "$idle"
  rss=$(platform_rss "$pid")
  platform=$(platform_pids "$pid")
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  for ((i = 0; i < 150; i++)); do
    left=0
    for p in $platform; do [[ -e /proc/$p ]] && left=$((left + 1)); done
    ((left == 0)) && break
    sleep 0.2
  done
  ((left == 0)) || echo "warning: $left processes of the platform still ran 30 s after the AppHost stopped" >&2
  result="$seconds $rss"
}

report() {
  local label=$1 seconds all dcp aspire wrappers self services postgres rabbitmq
  read -r seconds all dcp aspire wrappers self services postgres rabbitmq <<<"$2"
  printf '%-30s %6.2f s\n' "$label" "$seconds"
  # MiB/processes -> "N MiB (P processes)"
  mib() { printf '%s MiB (%s process%s)' "${1%/*}" "${1#*/}" "$([[ ${1#*/} == 1 ]] || echo es)"; }
  printf '    RSS at idle: %s in all, of which DCP %s, Aspire dashboard %s, dotnet run wrappers %s;\n' "$(mib "$all")" "$(mib "$dcp")" "$(mib "$aspire")" "$(mib "$wrappers")"
  printf '    AppHost %s, services %s, PostgreSQL %s, RabbitMQ %s\n' "$(mib "$self")" "$(mib "$services")" "$(mib "$postgres")" "$(mib "$rabbitmq")"
}

fresh=()
totals=()
for ((i = 1; i <= runs; i++)); do
  folder=$(mktemp -d /tmp/apphost-bench.XXXXXX)
  folders+=("$folder" "$folder.out")
  measure "$folder"
  fresh+=("${result%% *}")
  totals+=("$(awk '{ split($2, all, "/"); print all[1] }' <<<"$result")")
  report "run $i (new data folder):" "$result"
done
measure "$folder"
existing=${result%% *}
report "run $((runs + 1)) (existing data folder):" "$result"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf 'median of %d cold starts on a new data folder: %.2f s; on an existing one: %.2f s\n' "$runs" "$(printf '%s\n' "${fresh[@]}" | median)" "$existing"
printf 'median RSS of the whole platform at idle (%d s after ready, new data folder): %.0f MiB\n' "$idle" "$(printf '%s\n' "${totals[@]}" | median)"
