#!/usr/bin/env python3
"""Broken on purpose: D-SIZE-32 — a size limit taken from the R9.0 documents.

R9.0 documents 32 devices in a Server Edition network (2 servers and 30
expansions); this implementation refuses larger networks as invalid, although
the spec sets no limit and later networks reach 150 systems.
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

MAX_SYSTEMS = 32


class Broken(selc_impl.Licensing):
    def load(self, net):
        systems = net.get("systems") if isinstance(net, dict) else None
        if isinstance(systems, list) and len(systems) > MAX_SYSTEMS:
            raise Invalid("invalid_network", f"network.systems: more than {MAX_SYSTEMS} systems")
        return super().load(net)


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_d_size")
