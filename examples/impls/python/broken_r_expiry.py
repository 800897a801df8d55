#!/usr/bin/env python3
"""Broken on purpose: R-EXPIRY — grace lasts one second past the deadline.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def before_deadline(self, s):
        return s["deadline"] is not None and self.now <= s["deadline"]


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_expiry")
