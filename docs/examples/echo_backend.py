#!/usr/bin/env python3
"""A backend for Realtime.Orleans (docs/protocol.md 2.4): answers the user messages the server forwards to it.

Run it with the Redis URL and its own list, the one named for its message types in Backend:Forward:
    python3 echo_backend.py redis://127.0.0.1:6379/0 queue:echo
Needs redis-py (Debian: apt-get install python3-redis; elsewhere: pip install redis).
"""
import json
import sys

import redis


def answer(forwarded):
    """The `site` push that answers one forwarded message: to the connection that asked, with its id."""
    request = forwarded["data"]
    return {
        "type": "site",
        "src": "echo-backend",
        "data": {
            "action": "push",
            "users": [request["user"]],
            "instances": [request["instance"]],
            "message": {
                "type": request["message"]["type"] + ".reply",
                "id": request["id"],
                "data": {"user": request["user"], "echo": request["message"]["data"]},
            },
        },
    }


def main():
    url, queue = sys.argv[1], sys.argv[2]
    r = redis.Redis.from_url(url, decode_responses=True)
    r.ping()
    print("ready", flush=True)
    while True:
        # The server pushes on the left (LPUSH); taking from the right handles requests oldest first.
        _, raw = r.brpop(queue)
        forwarded = json.loads(raw)
        # `src` is the server's own queue: answers go there, like any service message.
        r.lpush(forwarded["src"], json.dumps(answer(forwarded)))


if __name__ == "__main__":
    main()
