#!/bin/sh
# Like the official redis image: a bare `redis-server ...` listens on every interface without protected mode.
set -e
if [ "$1" = "redis-server" ]; then
  set -- "$@" --protected-mode no
fi
exec "$@"
