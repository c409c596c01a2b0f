#!/usr/bin/env bash
# Runs every test: installs what the tests need, starts a private Redis on a free port, builds warning-free,
# runs the whole suite and prints one closing line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh
source scripts/lib/client.sh
source scripts/lib/containers.sh

ensure_redis_installed
ensure_node_installed
ensure_chromium_installed
ensure_python_redis_installed
ensure_kustomize_installed

# The container tests (Tests/Containers) build the images from deploy/ and run the compose deployment with podman.
# Where podman cannot be installed or run here they are skipped, and this says so at the start and at the end.
containers_skipped=""
if ! ensure_podman_installed; then
  containers_skipped="podman could not be installed"
elif ! ensure_container_bases; then
  containers_skipped="the local base images could not be built (podman cannot run containers here?)"
else
  export REALTIME_CONTAINER_TAG="$CONTAINER_TEST_TAG"
  echo "== podman: local base images $CONTAINER_TEST_REPO/{aspnet,redis,nginx}:$CONTAINER_TEST_TAG"
fi
[ -z "$containers_skipped" ] || echo "== container scenario will be SKIPPED: $containers_skipped"

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

# dotnet test ends each test assembly's run with lines "     Passed: N" and, only when some failed or were skipped,
# "     Failed: N" and "     Skipped: N", alone on their line; test names may hold such words too, so only whole
# summary lines count.
count() { (grep -E "^ +$1: +[0-9]+ *\$" "$log" || true) | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
if grep -q 'container test skipped:' "$log"; then
  echo "container scenario: SKIPPED (${containers_skipped:-see the skipped tests above})"
else
  echo "container scenario: ran (images built with podman, compose deployment run)"
fi
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
