# Shared by scripts/run.sh and scripts/test.sh: install and start a real redis-server on loopback.
# Sourced, not run.

ensure_redis_installed() {
  if command -v redis-server >/dev/null 2>&1; then return; fi
  echo "== installing redis-server from Debian's packages"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
}

# A loopback TCP port nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

# start_redis PORT DATA_DIR: runs redis-server in the background with append-only persistence under DATA_DIR,
# waits until it answers PING, and sets REDIS_PID.
start_redis() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  setsid redis-server --port "$port" --bind 127.0.0.1 --dir "$(cd "$dir" && pwd)" \
    --appendonly yes --save "" --daemonize no --logfile "$(cd "$dir" && pwd)/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 1 100); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then return; fi
    sleep 0.1
  done
  echo "redis-server did not start on port $port (see $dir/redis.log)" >&2
  return 1
}
