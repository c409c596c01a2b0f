#!/usr/bin/env bash
# Runs every test: installs what the tests need, starts a private Redis on a free port, builds warning-free,
# runs the whole suite and prints one closing line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh
source scripts/lib/client.sh

ensure_redis_installed
ensure_node_installed
ensure_chromium_installed
ensure_python_redis_installed

port=$(free_port)
data=".data/test-redis-$port"
start_redis "$port" "$data"
trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$data"' EXIT
export REALTIME_TEST_REDIS="127.0.0.1:$port"
echo "== redis-server on $REALTIME_TEST_REDIS"

build_client
install_socketio_peer
dotnet build Realtime.Orleans.sln -c Release -nologo -clp:ErrorsOnly -warnaserror

log=$(mktemp)
set +e
dotnet test Realtime.Orleans.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints "Passed: N" and, only when some failed, "Failed: N" per test assembly.
passed=$( (grep -Eo 'Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo 'Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
