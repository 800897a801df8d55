#!/usr/bin/env python3
"""Broken on purpose, deep: R-GRACE — from a system's fourth outage on, the
shares frozen when its link goes down are lost.

The kind of bug: a per-system history kept in a fixed table of three outage
records. Only a history with four link_down events of one system (the link
coming back between them) while it holds shares shows it: beyond the
exhaustive scope of `selc verify` (histories of 2 events) and rare in random
cases. Everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

TABLE = 3


class Broken(selc_impl.Licensing):
    def apply(self, ev):
        name = next(iter(ev)) if isinstance(ev, dict) and len(ev) == 1 else None
        body = ev.get(name) if name else None
        s = None
        if name == "link_down" and isinstance(body, dict) and isinstance(body.get("system"), str):
            s = self.by_name.get(body["system"])
            if s is not None and (s.get("down", True) or s["role"] not in ("secondary", "expansion")):
                s = None
        snap = super().apply(ev)
        if s is not None:
            s["outages"] = s.get("outages", 0) + 1
            if s["outages"] > TABLE:
                s["frozen"] = {}
                self.snap = snap = self.compute()
        return snap


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_deep_outages")
