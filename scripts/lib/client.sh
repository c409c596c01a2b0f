# Shared by scripts/run.sh and scripts/test.sh: the browser client in Client/ and what builds and tests it.
# Sourced, not run.

_apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# node and npm build the client and drive the browser tests.
ensure_node_installed() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return; fi
  echo "== installing nodejs and npm from Debian's packages"
  _apt_install nodejs npm
}

# The browser tests run Debian's chromium headless; nothing downloads a browser.
ensure_chromium_installed() {
  if command -v chromium >/dev/null 2>&1; then return; fi
  echo "== installing chromium from Debian's packages"
  _apt_install chromium
}

# The backend round-trip test runs docs/examples/echo_backend.py with Debian's python3 and its redis-py.
ensure_python_redis_installed() {
  if /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then return; fi
  echo "== installing python3-redis from Debian's packages"
  _apt_install python3 python3-redis
}

# Installs the pinned npm packages (Client/package-lock.json) and builds the client into Gateway/wwwroot, which
# the gateway's build then copies next to its binaries. Must run before dotnet build.
build_client() {
  echo "== building the browser client"
  (cd Client && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
}

# Installs the Socket.IO peer's pinned npm packages (Bench/SocketIoPeer/package-lock.json) unless they already are:
# the benchmark runs the peer, and Tests/Bench runs it for a few seconds.
install_socketio_peer() {
  local dir=Bench/SocketIoPeer
  if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then return; fi
  echo "== installing the Socket.IO peer's packages"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}
