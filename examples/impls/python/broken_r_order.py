#!/usr/bin/env python3
"""Broken on purpose: R-ORDER — expansions are served in reverse network order (lawful in rules mode, wrong in strict mode).

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def order(self):
        sec = [s for s in self.systems if s["role"] == "secondary"]
        return sec + [s for s in self.systems if s["role"] == "expansion"][::-1]


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_order")
