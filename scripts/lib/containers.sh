# Shared by scripts/test.sh: podman, and the local images the container tests build on where no image registry is
# reachable (deploy/README.md, "Running the images with podman"). Sourced, not run.

# Podman's settings for this kind of machine, without touching /etc (scripts/lib/containers.conf says why).
export CONTAINERS_CONF="$PWD/scripts/lib/containers.conf"

# What the local images are named; the tag changes with anything they are made from, so an old one is never used.
CONTAINER_TEST_REPO=localhost/realtime-orleans-test
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=http://deb.debian.org/debian
DEBIAN_PACKAGES=ca-certificates,libicu72,libssl3,wget,redis-server,nginx,gettext-base
CONTAINER_CACHE=${REALTIME_CONTAINER_CACHE:-/var/cache/realtime-orleans}

_podman_apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# podman with runc (crun fails on this kind of machine) and debootstrap for the local Debian root.
ensure_podman_installed() {
  if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && command -v debootstrap >/dev/null 2>&1; then return; fi
  echo "== installing podman, runc and debootstrap from Debian's packages"
  _podman_apt_install podman runc debootstrap uidmap
}

# Debian's kubectl renders deploy/k8s with its built-in kustomize (Tests/Deploy/KustomizeRenderTests); a kubectl or
# kustomize already installed does as well.
ensure_kustomize_installed() {
  if command -v kubectl >/dev/null 2>&1 || command -v kustomize >/dev/null 2>&1; then return; fi
  echo "== installing kubectl (kubernetes-client) from Debian's packages"
  _podman_apt_install kubernetes-client || echo "== kubectl could not be installed: the kustomize rendering test will be skipped"
}

# The tag of the Debian root: a digest of the suite and packages it is made of.
debian_root_tag() {
  echo "$DEBIAN_SUITE $DEBIAN_PACKAGES" | sha256sum | cut -c1-12
}

# Where the machine's .NET lives (/usr/share/dotnet on this kind of machine).
dotnet_root() {
  dirname "$(readlink -f "$(command -v dotnet)")"
}

# The tag of the images built on it: a digest of that root, their Containerfiles and the machine's ASP.NET Core runtime.
container_test_tag() {
  local runtime
  runtime=$(ls "$(dotnet_root)/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
  { cat Tests/Containers/*.Containerfile Tests/Containers/*.sh; echo "$(debian_root_tag) $runtime"; } | sha256sum | cut -c1-12
}

# Builds, once per machine and tag, the images the container tests need and no registry can give here:
#   debian:bookworm  a minimal Debian root from Debian's own packages (debootstrap), with wget for HEALTHCHECKs,
#                    Redis and nginx
#   aspnet:TAG       stands in for mcr.microsoft.com/dotnet/aspnet (Tests/Containers/aspnet.Containerfile)
#   redis:TAG        stands in for redis:7
#   nginx:TAG        stands in for nginx:1.28-alpine
# Later runs find them in podman's store and take no time. Sets CONTAINER_TEST_TAG.
ensure_container_bases() {
  CONTAINER_TEST_TAG=$(container_test_tag)
  export CONTAINER_TEST_TAG
  local missing=0 name debian
  for name in aspnet redis nginx; do
    podman image exists "$CONTAINER_TEST_REPO/$name:$CONTAINER_TEST_TAG" || missing=1
  done
  [ "$missing" -eq 1 ] || return 0

  debian="$CONTAINER_TEST_REPO/debian:$DEBIAN_SUITE-$(debian_root_tag)"
  if ! podman image exists "$debian"; then
    echo "== building a minimal Debian $DEBIAN_SUITE root with debootstrap (once per machine; a few minutes)"
    local root="$CONTAINER_CACHE/debian-$DEBIAN_SUITE"
    rm -rf "$root"
    mkdir -p "$CONTAINER_CACHE"
    debootstrap --variant=minbase --include="$DEBIAN_PACKAGES" "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" \
      >"$CONTAINER_CACHE/debootstrap.log" 2>&1 || { tail -20 "$CONTAINER_CACHE/debootstrap.log" >&2; return 1; }
    # No package lists or caches in the image.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$debian" >/dev/null || return 1
    rm -rf "$root"
  fi
  # The name the Containerfiles build on.
  podman tag "$debian" "$CONTAINER_TEST_REPO/debian:$DEBIAN_SUITE" || return 1

  echo "== building the local aspnet, redis and nginx images ($CONTAINER_TEST_TAG)"
  local context="$CONTAINER_CACHE/aspnet-context"
  rm -rf "$context"
  mkdir -p "$context/dotnet"
  # The runtime only, as the aspnet images hold it: the muxer, hostfxr and the shared frameworks.
  local dotnet
  dotnet=$(dotnet_root)
  cp -a "$dotnet/dotnet" "$dotnet/host" "$dotnet/shared" "$context/dotnet/" || return 1
  podman build -q --format docker -f Tests/Containers/aspnet.Containerfile -t "$CONTAINER_TEST_REPO/aspnet:$CONTAINER_TEST_TAG" "$context" >/dev/null || return 1
  rm -rf "$context"
  podman build -q --format docker -f Tests/Containers/redis.Containerfile -t "$CONTAINER_TEST_REPO/redis:$CONTAINER_TEST_TAG" Tests/Containers >/dev/null || return 1
  podman build -q --format docker -f Tests/Containers/nginx.Containerfile -t "$CONTAINER_TEST_REPO/nginx:$CONTAINER_TEST_TAG" Tests/Containers >/dev/null || return 1
}
