#!/usr/bin/env python3
"""Broken on purpose: R-TOTAL — the pool is summed in 32 bits and wraps.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def valid_sum(self, system, reasons, kind):
        return super().valid_sum(system, reasons, kind) & U32


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_total")
