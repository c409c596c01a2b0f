#!/usr/bin/env bash
# The scale run: 100,000 concurrent WebSocket connections on this machine, 10 % of them on live charts at about one
# update a second each, in the scale-out topology (one silo, several gateways). One process may hold 20,000 open
# files here, so the connections are spread over GATEWAYS gateways and as many load-generator processes, each
# generator logging in its own users and leaving from its own loopback source addresses (127.0.0.x).
# Prints each generator's row (latency, updates delivered, missing) and the RSS of every server process before and
# while the connections are open, per connection. Not part of scripts/test.sh: it takes several minutes and GBs.
#   Bench/scale.sh                                   # 100,000 connections over 6 gateways
#   CONNECTIONS=20000 GATEWAYS=2 Bench/scale.sh      # smaller
# Ctrl-C stops everything it started, and only that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/redis.sh

CONNECTIONS=${CONNECTIONS:-100000}
GATEWAYS=${GATEWAYS:-6}
LIVE_PERCENT=${LIVE_PERCENT:-10}
# Clients per symbol: each symbol gets one quote a second, so each live client one update a second.
CLIENTS_PER_SYMBOL=${CLIENTS_PER_SYMBOL:-10}
WARMUP=${WARMUP:-40}
SECONDS_MEASURED=${SECONDS_MEASURED:-60}
SECRET=realtime-orleans-scale-secret-key

ensure_redis_installed
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== building (Release)"
for project in Silo/Silo.csproj Gateway/Gateway.csproj Bench/LoadGenerator/LoadGenerator.csproj; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:quiet
done

work=$(mktemp -d /tmp/realtime-scale.XXXXXX)
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup INT TERM EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile "$work/redis.log" --daemonize no &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# Warnings only, as Bench/run.sh runs the servers: a log line per connection would be measured as server time.
common=(
  DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__LogLevel__Realtime=Warning
  "Cluster__Redis=127.0.0.1:$redis_port" Cluster__ClusterId=scale Cluster__ServiceId=scale
)
wait_healthy() {
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "process on port $1 did not become healthy; logs in $work" >&2
  exit 1
}

silo_http=$(free_port)
env "${common[@]}" "Urls=http://127.0.0.1:$silo_http" "Cluster__SiloPort=$(free_port)" "Cluster__GatewayPort=$(free_port)" \
  ServiceQueue__Queues__0=queue:rtserver \
  dotnet Silo/bin/Release/net10.0/Realtime.Orleans.Silo.dll >"$work/silo.log" 2>&1 &
pids+=($!)
silo_pid=$!
wait_healthy "$silo_http"
servers=("silo:$silo_pid")
gateway_ports=()
for g in $(seq 1 "$GATEWAYS"); do
  port=$(free_port)
  env "${common[@]}" "Urls=http://127.0.0.1:$port" "Django__SecretKey=$SECRET" \
    dotnet Gateway/bin/Release/net10.0/Realtime.Orleans.Gateway.dll >"$work/gateway$g.log" 2>&1 &
  pids+=($!)
  servers+=("gateway$g:$!")
  gateway_ports+=("$port")
done
for port in "${gateway_ports[@]}"; do wait_healthy "$port"; done

rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
declare -A before
for entry in "${servers[@]}"; do before[${entry%%:*}]=$(rss_mib "${entry#*:}"); done

per_generator=$((CONNECTIONS / GATEWAYS))
live=$((per_generator * LIVE_PERCENT / 100))
symbols=$(((live + CLIENTS_PER_SYMBOL - 1) / CLIENTS_PER_SYMBOL))
echo "== $CONNECTIONS connections: $GATEWAYS gateways x $per_generator ($live on live charts over $symbols symbols at one quote a second each)"
generators=()
for g in $(seq 1 "$GATEWAYS"); do
  port=${gateway_ports[$((g - 1))]}
  dotnet Bench/LoadGenerator/bin/Release/net10.0/Realtime.Orleans.Bench.LoadGenerator.dll stream --protocol realtime \
    --url "http://127.0.0.1:$port" --redis "127.0.0.1:$redis_port" --secret "$SECRET" \
    --clients "$live" --idle $((per_generator - live)) --first-client $(((g - 1) * per_generator)) \
    --together "$GATEWAYS" --symbols "$symbols" --rate "$symbols" --prefix "SCALE$g" --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" \
    >"$work/generator$g.log" 2>&1 &
  pids+=($!)
  generators+=($!)
done

# RSS while every generator still holds its connections: the last sample taken with all of them running.
declare -A during
while :; do
  for pid in "${generators[@]}"; do kill -0 "$pid" 2>/dev/null || break 2; done
  for entry in "${servers[@]}"; do during[${entry%%:*}]=$(rss_mib "${entry#*:}"); done
  sleep 5
done
status=0
for g in "${!generators[@]}"; do
  if ! wait "${generators[$g]}"; then
    status=1
    echo "generator $((g + 1)) failed; the end of its log:" >&2
    tail -20 "$work/generator$((g + 1)).log" >&2
  fi
done

echo "== generators"
for g in $(seq 1 "$GATEWAYS"); do grep -E "^(idle|stream) \|" "$work/generator$g.log" | sed "s/^/generator $g: /" || true; done
echo "== server RSS (MiB): before connections, while $CONNECTIONS are open; KiB per connection"
total_before=0; total_during=0
for entry in "${servers[@]}"; do
  name=${entry%%:*}
  b=${before[$name]}; d=${during[$name]:-$b}
  share=$([ "$name" = silo ] && echo "$CONNECTIONS" || echo "$per_generator")
  printf "%-10s %8s %8s   %6.1f KiB per connection\n" "$name" "$b" "$d" "$(echo "($d - $b) * 1024 / $share" | bc -l)"
  total_before=$(echo "$total_before + $b" | bc -l); total_during=$(echo "$total_during + $d" | bc -l)
done
printf "%-10s %8.1f %8.1f   %6.1f KiB per connection\n" all "$total_before" "$total_during" "$(echo "($total_during - $total_before) * 1024 / $CONNECTIONS" | bc -l)"
exit $status
