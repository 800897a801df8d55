#!/usr/bin/env python3
"""Broken on purpose: D-ID-CASE — license keys compared ignoring case.

A realistic slip: keys are "normalized" to upper case before R-DUPLICATE
looks for an earlier copy, so `key-0` and `KEY-0` count as one key, and the
second is diagnosed duplicate_key although the spec compares keys as written.
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def duplicate(self, claimed, key):
        return super().duplicate(claimed, key.upper())


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_d_case")
