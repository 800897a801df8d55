#!/usr/bin/env python3
"""Broken on purpose, deep: R-SE and the pool — a configuration keeps at most
eight licenses added by add_license; the ninth addition to a system evicts
the earliest one added, as if it had been removed.

The kind of bug: licenses installed at run time kept in a fixed table of
eight slots per system (those in the configuration as loaded are not
counted). Only a history that adds more than eight licenses to one
configuration shows it: beyond the exhaustive scope of `selc verify`
(histories of 2 events) and rare in random cases, whose histories add a few
licenses spread over several systems. Everything else is the correct example
(selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403

TABLE = 8


class Broken(selc_impl.Licensing):
    def apply(self, ev):
        snap = super().apply(ev)
        (name, body), = ev.items()
        if name == "add_license":
            s = self.by_name[body["system"]]
            added = s.setdefault("added", [])
            added.append(s["licenses"][-1])
            if len(added) > TABLE:
                oldest = added.pop(0)
                s["licenses"] = [l for l in s["licenses"] if l is not oldest]
                self.snap = snap = self.compute()
        return snap


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_deep_config")
