#!/usr/bin/env bash
# Runs the product on this machine: Redis (installed if missing, append-only data under .data/redis), one silo that
# serves the WebSocket endpoint itself, and the demo quote feed; TOPOLOGY=separate runs the scale-out shape instead,
# a silo and a gateway process. Prints where each listens, the demo page's URL and, while they run, their warnings
# and errors; their full logs go to .data/logs/. Ctrl-C stops everything it started, and only that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh
source scripts/lib/client.sh

REDIS_PORT=${REDIS_PORT:-6379}
HTTP_PORT=${HTTP_PORT:-8080}
TOPOLOGY=${TOPOLOGY:-embedded}
case "$TOPOLOGY" in
  embedded|separate) ;;
  *) echo "TOPOLOGY must be embedded or separate, not '$TOPOLOGY'" >&2; exit 2 ;;
esac
LOGS=.data/logs
pids=()
# Stops what this script started, newest first and one at a time: the feed and gateway before the silo, and Redis
# last, because a silo shutting down still writes its departure to Redis.
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "== stopping"
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    local pid=${pids[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup INT TERM EXIT

# Waits up to a minute for something to listen on a loopback port.
wait_for_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return; fi
    sleep 0.2
  done
}

ensure_redis_installed
if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "== using the redis-server already on port $REDIS_PORT"
else
  start_redis "$REDIS_PORT" .data/redis
  pids+=("$REDIS_PID")
  echo "== redis-server on 127.0.0.1:$REDIS_PORT (data in .data/redis)"
fi

echo "== building"
ensure_node_installed
build_client
dotnet build Realtime.Orleans.sln -c Release -nologo -clp:ErrorsOnly

export Cluster__Redis="127.0.0.1:$REDIS_PORT"
# The demo signs its own sessions; a real deployment sets the Django site's SECRET_KEY instead.
export Django__SecretKey="${Django__SecretKey:-realtime-orleans-demo-secret-key}"
# One line per log entry, so a warning can be picked out of the files below with its message.
export Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__SingleLine=true

# Full logs go to files (each run starts them afresh); the terminal gets what a newcomer needs: where things listen,
# the demo URL, and every warning and error (a process that refuses its settings says why on stderr, shown too).
mkdir -p "$LOGS"
: > "$LOGS/silo.log"; : > "$LOGS/gateway.log"; : > "$LOGS/feed.log"
tail -q -n +1 -F --pid=$$ "$LOGS/silo.log" "$LOGS/gateway.log" 2>/dev/null \
  | grep --line-buffered -E '^(warn|fail|crit): ' &

# Each process runs in a session of its own (setsid): a Ctrl-C in the terminal then reaches only this script, which
# stops them in order, instead of reaching Redis at the same moment as the silo that still needs it.
# DemoLogin serves /demo/login, which logs anybody in as anyone: for this local demo only.
if [ "$TOPOLOGY" = embedded ]; then
  Gateway__DemoLogin=true setsid dotnet Silo/bin/Release/net10.0/Realtime.Orleans.Silo.dll \
    --Silo:EmbeddedGateway=true --urls "http://127.0.0.1:$HTTP_PORT" >>"$LOGS/silo.log" 2> >(tee -a "$LOGS/silo.log" >&2) &
  pids+=("$!")
else
  setsid dotnet Silo/bin/Release/net10.0/Realtime.Orleans.Silo.dll >>"$LOGS/silo.log" 2> >(tee -a "$LOGS/silo.log" >&2) &
  pids+=("$!")
  # The gateway starts once the silo takes Orleans clients, so it does not begin by warning that it finds none.
  wait_for_port "${Cluster__GatewayPort:-30000}"
  Gateway__DemoLogin=true setsid dotnet Gateway/bin/Release/net10.0/Realtime.Orleans.Gateway.dll --urls "http://127.0.0.1:$HTTP_PORT" \
    >>"$LOGS/gateway.log" 2> >(tee -a "$LOGS/gateway.log" >&2) &
  pids+=("$!")
fi
if [ -f QuoteFeed/bin/Release/net10.0/Realtime.Orleans.QuoteFeed.dll ]; then
  setsid dotnet QuoteFeed/bin/Release/net10.0/Realtime.Orleans.QuoteFeed.dll demo --redis "127.0.0.1:$REDIS_PORT" \
    >>"$LOGS/feed.log" 2> >(tee -a "$LOGS/feed.log" >&2) &
  pids+=("$!")
fi

wait_for_port "$HTTP_PORT"
echo
echo "== redis     127.0.0.1:$REDIS_PORT"
if [ "$TOPOLOGY" = embedded ]; then
  echo "== silo      127.0.0.1:${Cluster__SiloPort:-11111} (silos), 127.0.0.1:${Cluster__GatewayPort:-30000} (gateways), http://127.0.0.1:$HTTP_PORT (/ws, /udf, /healthz /readyz /metrics)"
  echo "== logs      $LOGS/silo.log, $LOGS/feed.log (warnings and errors are shown here too)"
else
  echo "== silo      127.0.0.1:${Cluster__SiloPort:-11111} (silos), 127.0.0.1:${Cluster__GatewayPort:-30000} (gateways), ${Urls:-http://127.0.0.1:8081} (/healthz /readyz /metrics)"
  echo "== gateway   http://127.0.0.1:$HTTP_PORT (/ws, /udf, /healthz /readyz /metrics)"
  echo "== logs      $LOGS/silo.log, $LOGS/gateway.log, $LOGS/feed.log (warnings and errors are shown here too)"
fi
echo
echo "== demo page: http://127.0.0.1:$HTTP_PORT/demo/login   (logs in as user demo; Ctrl-C stops everything)"
wait -n "${pids[@]}"
