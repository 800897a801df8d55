#!/usr/bin/env python3
"""Broken on purpose: R-ATOMIC — a rejected event still moves the clock by a second.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def apply(self, ev):
        try:
            return super().apply(ev)
        except Invalid:
            self.now = min(self.now + 1, U64)
            self.snap = self.compute()
            raise


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_atomic")
