#!/usr/bin/env python3
"""Broken on purpose, deep: R-ORDER — only the first 40 systems in network
order take part in allocation; a licensed, connected system after them gets
nothing of the pool.

The kind of bug: an allocation table sized for the 32 systems of R9.0's
largest network plus room, which R9.1's larger networks (and selc's input
domain) overflow. Only a network of more than 40 systems, with pool left when
the allocation reaches them, shows it: beyond the exhaustive scope (3
systems) and rare in random cases. Everything else is the correct example
(selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

TABLE = 40


class Broken(selc_impl.Licensing):
    def order(self):
        seen = {id(s) for s in self.systems[:TABLE]}
        return [s for s in super().order() if id(s) in seen]


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_deep_systems")
