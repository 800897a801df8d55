#!/usr/bin/env python3
"""Broken on purpose: D-ENV-LINE — blank lines skipped without an answer.

A realistic slip: the read loop skips blank lines, as many line-based servers
do, so a blank line gets no answer, although PROTOCOL.md §3 answers every
input line, blank or not, with exactly one line (bad_request for a blank one).
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

_requests = selc_impl.requests


def requests(fd=0):
    for raw in _requests(fd):
        if raw is not None and raw.strip() == b"":
            continue
        yield raw


selc_impl.requests = requests

if __name__ == "__main__":
    selc_impl.serve(name="broken_d_envelope")
