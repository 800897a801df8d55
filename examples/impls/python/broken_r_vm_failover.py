#!/usr/bin/env python3
"""Broken on purpose: R-VM-FAILOVER — the default 2 channels keep serving while the Primary is unreachable.

One rule is broken, everything else is the correct example (selc_impl.py)."""
import selc_impl
from selc_impl import *  # noqa: F401,F403


class Broken(selc_impl.Licensing):
    def voicemail(self, s, licensed, link, centralized, local):
        vm = super().voicemail(s, licensed, link, centralized, local)
        if vm is not None and licensed and s["role"] == "secondary" and link != "connected":
            return {"running": True, "channels": 2 + local}
        return vm


if __name__ == "__main__":
    selc_impl.serve(Broken, "broken_r_vm_failover")
