#!/usr/bin/env python3
"""Broken on purpose: R-PRIMARY-FIRST — the Primary is served after everyone else.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def allocate(self, avail, primary_need, needs):
        left, shares = avail, []
        for n in needs:
            s = min(n, left)
            left -= s
            shares.append(s)
        return min(primary_need, left), shares


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_primary_first")
