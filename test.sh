#!/usr/bin/env bash
# Runs every test project against real PostgreSQL and RabbitMQ processes (started by the test fixtures)
# and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# --with-browser: Chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium).
bash scripts/install-os-packages.sh --with-browser || exit 1
# The partner-client generators (nswag, kiota: .config/dotnet-tools.json) run in the build; redocly in the tests.
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
npm ci --prefix tools/openapi-lint --no-audit --no-fund --silent || { echo "npm ci --prefix tools/openapi-lint failed" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

root=$(pwd)
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

# The compiler server (VBCSCompiler) on: this environment turns it off (UseSharedCompilation=false), and a fresh csc per
# project JITs Roslyn again each time: the build took 5.5 instead of 2.8 minutes on 2 cores. Stopped after the build.
build_started=$SECONDS
dotnet build Platform.sln -c Release -nologo -clp:ErrorsOnly -p:UseSharedCompilation=true || { dotnet build-server shutdown >/dev/null 2>&1; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
dotnet build-server shutdown >/dev/null 2>&1
# Where a run's time went (the budget is 15 minutes on 2 cores): packages and tools, then the build.
echo "setup and build: $SECONDS s (build $((SECONDS - build_started)) s)"

projects=$(find tests -name '*.Tests.csproj' | sort)
# Three lanes (2 cores; much of the fault and platform tests is waiting on processes): the longest projects start
# at once instead of whenever a single runner would reach them. Beyond that the suite is CPU-bound (the scale-out test
# alone is ~40 % of it): lanes only fill the waits, and a shorter run needs less work per test.
first_lane="tests/Platform.Membership.Tests/Platform.Membership.Tests.csproj tests/Platform.EndToEnd.Tests/Platform.EndToEnd.Tests.csproj tests/Platform.TalentPipeline.Tests/Platform.TalentPipeline.Tests.csproj tests/Platform.Deploy.Tests/Platform.Deploy.Tests.csproj"
second_lane="tests/Platform.AppHost.Tests/Platform.AppHost.Tests.csproj tests/Platform.Webhooks.Tests/Platform.Webhooks.Tests.csproj tests/Platform.DemoData.Tests/Platform.DemoData.Tests.csproj"
# Last, when the other lanes are ending: the scaled-out platform (3 broker nodes, 15 .NET processes) did not start
# within 8 minutes beside three busy lanes, and takes about 3 on a machine otherwise idle.
last="tests/Platform.ScaleOut.Tests/Platform.ScaleOut.Tests.csproj"
first_lane="$first_lane $last"
third_lane=$(printf '%s\n' $projects | grep -vxF -f <(printf '%s\n' $first_lane $second_lane))
# Each test project is an xunit v3 executable: run it directly (its own runner, a TRX report per project) instead of
# through `dotnet test`, whose MSBuild evaluation and VSTest host cost 20-60 s per project on 2 busy cores.
# Membership's API test classes mostly wait on the service and the broker: four at once instead of one per core.
threads() { if [ "$1" = Platform.Membership.Tests ]; then echo "-maxThreads 4"; fi; }
lane() {
  local failed=0
  for project in "$@"; do
    local name; name=$(basename "$project" .csproj)
    local output; output="$(dirname "$project")/bin/Release/net10.0"
    [ -f "$output/$name.dll" ] || { echo "$output/$name.dll is missing (was the solution built?)" >&2; failed=1; continue; }
    # The services under test log to the console: keep that in a file, show the summary (and the end of the log on failure).
    # shellcheck disable=SC2046 # threads gives zero or two words
    local started=$SECONDS
    if (cd "$output" && dotnet "$name.dll" -noColor -noLogo $(threads "$name") -trx "$root/$results/$name.trx") > "$root/$results/$name.log" 2>&1; then
      grep -A1 "TEST EXECUTION SUMMARY" "$root/$results/$name.log" | tail -1
      echo "   $name: from $((started - suite_started)) s to $((SECONDS - suite_started)) s"
    else
      failed=1
      grep -B2 -A30 "\[FAIL\]" "$root/$results/$name.log" | head -400
      # What the services under test complained of (a failed consumer, a lost connection) is the usual why.
      echo "   last warnings and errors the services of $name logged:"
      grep -A2 -E "^(fail|crit|warn): " "$root/$results/$name.log" | tail -60
      tail -5 "$root/$results/$name.log"
    fi
  done
  return $failed
}
# Our projects' runtimeconfig turns tiered PGO off and stops idle thread-pool workers spinning (Directory.Build.props);
# these cover the rest (the Aspire dashboard, the dotnet CLI that `dotnet run` wraps a service in). Without PGO the
# events tests' process took 65-69 instead of 92-96 user CPU-s (2 runs each).
export DOTNET_TieredPGO=0
# Tier-1 re-JIT only for methods called 1,000 times instead of 30: a profile of the whole suite (perf, 2 cores) had
# 24 % of all its CPU in the tiered-compilation thread (35-40 % in the services the AppHost starts), re-compiling
# methods these short-lived processes call a few dozen times. Test phase 650-660 s -> 525 s (no re-JIT at all: 541 s).
export DOTNET_TC_CallCountThreshold=1000
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
suite_started=$SECONDS
lane $first_lane & first=$!
lane $second_lane & second=$!
lane $third_lane & third=$!
status=0
wait $first || status=1
wait $second || status=1
wait $third || status=1

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed)
  if [ "${total:-0}" -eq 0 ]; then echo "$(basename "$trx" .trx) ran no test." >&2; failed=$((failed + 1)); continue; fi
  passed=$((passed + p))
  failed=$((failed + executed - p))
  skipped=$((skipped + total - executed))
done

# A test project whose host crashed leaves no result file: count it as a failure, never as silence.
expected=$(printf '%s\n' "$projects" | grep -c .)
reported=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$reported" -lt "$expected" ]; then
  echo "Only $reported of $expected test projects reported results." >&2
  failed=$((failed + expected - reported))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

echo "tests: $((SECONDS - suite_started)) s; whole run: $SECONDS s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
