#!/usr/bin/env python3
"""Broken on purpose: D-REL-SPELLING — releases compared as strings.

A realistic slip: the release is checked for its form and then kept as the
text it came in, and the supported range is tested by comparing text
("6.0" <= r <= "9.1"). For the usual spellings the answer happens to be right
(9.10 and 10.0 fall outside, 8.1 inside), but 09.01 is 9.1, a supported
release (RULES.md §1), and compares below "6.0" as text.
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

_checked = selc_impl.parse_release


def parse_as_written(v):
    return v if _checked(v) is not None else None


selc_impl.parse_release = parse_as_written


class Broken(selc_impl.Licensing):
    def release_ok(self, release):
        return "6.0" <= release <= "9.1"


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_d_spelling")
