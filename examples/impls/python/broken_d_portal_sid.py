#!/usr/bin/env python3
"""Broken on purpose: D-NET-DUP-SID — a portal's SID left out of uniqueness.

A realistic slip: a one-X Portal holds no licenses, so its SID is not checked
against the others, and a network where a portal shares a server's SID is
loaded, although RULES.md §1 counts portal SIDs toward uniqueness and the
network must be answered invalid_network.
Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def load(self, net):
        if isinstance(net, dict) and isinstance(net.get("systems"), list):
            systems = [
                {k: v for k, v in s.items() if k != "sid"}
                if isinstance(s, dict) and s.get("role") == "one_x_portal" else s
                for s in net["systems"]
            ]
            net = dict(net, systems=systems)
        return super().load(net)


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_d_portal_sid")
