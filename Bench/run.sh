#!/usr/bin/env bash
# The benchmark: builds Release, installs the Socket.IO peer's npm packages, starts a private Redis on a free port,
# runs our silo + gateway, then the SignalR peer, then the Socket.IO peer through the same scenarios with the same
# load generator, and prints one table with ratios (ours / each peer) and a verdict on each of issue 17's targets.
# Not part of scripts/test.sh (too long, too noisy); a short smoke run of the harness is (Tests/Bench).
#   Bench/run.sh                                          # the full comparison, about 25 minutes
#   Bench/run.sh --servers ours,signalr,socketio --scenarios latency --seconds 10
#                                                         # any option of Bench/Runner/SuiteSettings.cs
# Ctrl-C stops everything it started, and only that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh
source scripts/lib/client.sh

ensure_redis_installed
ensure_node_installed
# Each client and each server connection is a file descriptor; raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== building (Release)"
for project in Silo/Silo.csproj Gateway/Gateway.csproj Bench/SignalRPeer/SignalRPeer.csproj Bench/Runner/Runner.csproj; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:quiet
done
install_socketio_peer

port=$(free_port)
data=$(mktemp -d /tmp/realtime-bench-redis.XXXXXX)
# No persistence: the benchmark's Redis is scratch, and fsyncs would be measured as server time.
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$data" --logfile "$data/redis.log" --daemonize no &
redis_pid=$!
cleanup() {
  trap - INT TERM EXIT
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup INT TERM EXIT
for _ in $(seq 1 100); do
  if redis-cli -p "$port" ping >/dev/null 2>&1; then break; fi
  sleep 0.1
done
echo "== redis-server on 127.0.0.1:$port"
echo "== command: Bench/run.sh $*"
dotnet Bench/Runner/bin/Release/net10.0/Realtime.Orleans.Bench.Runner.dll --redis "127.0.0.1:$port" "$@"
