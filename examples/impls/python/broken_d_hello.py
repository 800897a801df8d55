#!/usr/bin/env python3
"""Broken on purpose: D-ENV-HELLO — a session must begin with hello.

A realistic slip: the server insists on a handshake and answers every request
before `hello` with bad_request, although PROTOCOL.md §3 makes `hello`
optional: a client may load at once.
Everything else is the correct example (selc_impl.py)."""
import json

import selc_impl
from selc_impl import *  # noqa: F401,F403

_requests = selc_impl.requests


def requests(fd=0):
    greeted = False
    for raw in _requests(fd):
        if raw is not None and not greeted:
            try:
                greeted = json.loads(raw).get("op") == "hello"
            except (ValueError, AttributeError):
                pass
            if not greeted:
                selc_impl.respond(selc_impl.error("bad_request", "say hello first"))
                continue
        yield raw


selc_impl.requests = requests

if __name__ == "__main__":
    selc_impl.serve(name="broken_d_hello")
