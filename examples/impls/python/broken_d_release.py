#!/usr/bin/env python3
"""Broken on purpose: D-REL-ORDER — releases compared as decimal numbers.

A realistic slip: the release string is read as a number, so 9.10 reads as
9.1 and is taken for a supported release (R-RELEASE), although releases
compare as the integer pair (MAJOR, MINOR) and 9.10 is after 9.1.
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def release_ok(self, release):
        major, minor = release
        return 6.0 <= float(f"{major}.{minor}") <= 9.1


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_d_release")
