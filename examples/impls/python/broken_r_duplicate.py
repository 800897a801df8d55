#!/usr/bin/env python3
"""Broken on purpose: R-DUPLICATE — a key entered twice counts twice.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def duplicate(self, claimed, key):
        return False


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_duplicate")
