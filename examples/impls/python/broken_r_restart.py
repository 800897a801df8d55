#!/usr/bin/env python3
"""Broken on purpose: R-RESTART — a restart while the link is down is ignored.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def restart(self, s):
        pass


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_restart")
