#!/usr/bin/env python3
"""A correct implementation of the IP Office Server Edition licensing rules,
speaking selc's JSON-lines protocol (version 1) on stdin/stdout.

Written from docs/protocol.md and docs/rules.md, standard library only. Every rule
is a method of `Licensing`, so that the broken variants beside this file can
override exactly one rule each. Run: `python3 selc_impl.py`.
"""

import json
import os
import re
import sys

PROTOCOL = 1
GRACE = 15 * 86400
U32 = 2**32 - 1
U64 = 2**64 - 1

SERVER_EDITION = "server_edition"
CENTRALIZED = ["office_worker", "power_user", "receptionist", "avaya_ip_endpoint",
               "third_party_ip_endpoint", "sip_trunk_channel", "voicemail_channel"]
UNSUPPORTED = ["essential_edition", "preferred_edition", "ip500_voice_networking", "teleworker",
               "mobile_worker", "embedded_messaging_ports", "ccr_agent", "ccr_supervisor",
               "vmpro_networked_messaging", "database_interface", "visual_basic_script", "ccc",
               "vcm_channels", "mobility"]
KINDS = set([SERVER_EDITION] + CENTRALIZED + UNSUPPORTED)
ROLES = {"primary", "secondary", "expansion", "one_x_portal"}
RELEASE_RE = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}")


class Invalid(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def is_int(v, top):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= top


def parse_release(v):
    if not isinstance(v, str) or not RELEASE_RE.fullmatch(v):
        return None
    a, b = v.split(".")
    return (int(a), int(b))


def check_fields(obj, allowed, required, where, code):
    if not isinstance(obj, dict):
        raise Invalid(code, f"{where}: expected an object")
    for k in obj:
        if k not in allowed:
            raise Invalid(code, f"{where}.{k}: unknown field")
    for k in required:
        if k not in obj:
            raise Invalid(code, f"{where}: missing field {k}")


def parse_license(v, where, code):
    check_fields(v, {"key", "kind", "sid", "count"}, ["key", "kind", "sid", "count"], where, code)
    if not isinstance(v["key"], str) or v["key"] == "":
        raise Invalid(code, f"{where}.key: a non-empty string")
    if not isinstance(v["sid"], str) or v["sid"] == "":
        raise Invalid(code, f"{where}.sid: a non-empty string")
    if not isinstance(v["kind"], str) or v["kind"] not in KINDS:
        raise Invalid(code, f"{where}.kind: unknown kind {v['kind']!r}")
    if not is_int(v["count"], U32):
        raise Invalid(code, f"{where}.count: a u32 integer")
    return dict(v)


class Licensing:
    """One loaded case: the network as it stands, the clock and the links."""

    # ---- section 1: the network -------------------------------------------------

    def load(self, net):
        code = "invalid_network"
        check_fields(net, {"systems"}, ["systems"], "network", code)
        if not isinstance(net["systems"], list):
            raise Invalid(code, "network.systems: expected a list")
        systems, names, sids = [], set(), set()
        primaries = secondaries = 0
        for i, s in enumerate(net["systems"]):
            w = f"network.systems[{i}]"
            check_fields(s, {"name", "role", "sid", "release", "voicemail_pro", "needs", "licenses", "link"},
                         ["name", "role"], w, code)
            if not isinstance(s["name"], str) or s["name"] == "" or s["name"] in names:
                raise Invalid(code, f"{w}.name: missing, empty or duplicate")
            names.add(s["name"])
            role = s["role"]
            if role not in ROLES:
                raise Invalid(code, f"{w}.role: unknown role")
            primaries += role == "primary"
            secondaries += role == "secondary"
            if "sid" in s:
                if not isinstance(s["sid"], str) or s["sid"] == "" or s["sid"] in sids:
                    raise Invalid(code, f"{w}.sid: empty or duplicate")
                sids.add(s["sid"])
            if role == "one_x_portal":
                for f in ("release", "voicemail_pro", "needs", "licenses", "link"):
                    if f in s:
                        raise Invalid(code, f"{w}.{f}: a portal has no {f}")
                systems.append({"name": s["name"], "role": role, "sid": s.get("sid")})
                continue
            if "sid" not in s or "release" not in s:
                raise Invalid(code, f"{w}: sid and release are required")
            release = parse_release(s["release"])
            if release is None:
                raise Invalid(code, f"{w}.release: bad release")
            vm = s.get("voicemail_pro", False)
            if not isinstance(vm, bool) or (vm and role == "expansion"):
                raise Invalid(code, f"{w}.voicemail_pro: not allowed")
            if role == "primary" and "link" in s:
                raise Invalid(code, f"{w}.link: the primary has no link")
            link = s.get("link", "up")
            if link not in ("up", "down"):
                raise Invalid(code, f"{w}.link: up or down")
            needs = s.get("needs", {})
            if not isinstance(needs, dict):
                raise Invalid(code, f"{w}.needs: an object")
            for k, c in needs.items():
                if k not in CENTRALIZED or not is_int(c, U32):
                    raise Invalid(code, f"{w}.needs.{k}: a centralized kind with a u32 count")
            licenses = s.get("licenses", [])
            if not isinstance(licenses, list):
                raise Invalid(code, f"{w}.licenses: a list")
            systems.append({
                "name": s["name"], "role": role, "sid": s["sid"], "release": release,
                "vm": vm, "needs": {k: c for k, c in needs.items() if c > 0},
                "licenses": [parse_license(l, f"{w}.licenses[{j}]", code) for j, l in enumerate(licenses)],
                # link: down flag, deadline, restarted, frozen shares
                "down": link == "down", "deadline": None, "restarted": False, "frozen": {},
            })
        if primaries != 1 or secondaries > 1:
            raise Invalid(code, "network.systems: exactly one primary and at most one secondary")
        self.systems = systems
        self.now = 0
        self.by_name = {s["name"]: s for s in systems}
        self.primary = next(s for s in systems if s["role"] == "primary")
        self.snap = self.compute()
        return self.snap

    # ---- section 3: validity ----------------------------------------------------

    def release_ok(self, release):
        return (6, 0) <= release <= (9, 1)

    def placed(self, system, kind):
        if kind == SERVER_EDITION:
            return True
        if kind == "voicemail_channel":
            return system["role"] in ("primary", "secondary")
        return system["role"] == "primary"

    def local_reason(self, system, lic):
        if lic["kind"] in UNSUPPORTED:
            return "unsupported_kind"
        if lic["sid"] != system["sid"]:
            return "wrong_sid"
        if not self.placed(system, lic["kind"]):
            return "misplaced"
        if not self.release_ok(system["release"]):
            return "incompatible_release"
        return None

    def duplicate(self, claimed, key):
        """R-DUPLICATE: the first copy that passes the local checks claims the key."""
        if key in claimed:
            return True
        claimed.add(key)
        return False

    def validity(self):
        claimed = set()
        reasons = {}
        for s in self.systems:
            if s["role"] == "one_x_portal":
                continue
            rs = []
            for lic in s["licenses"]:
                r = self.local_reason(s, lic)
                if r is None and self.duplicate(claimed, lic["key"]):
                    r = "duplicate_key"
                rs.append(r)
            reasons[s["name"]] = rs
        licensed = {}
        for s in self.systems:
            if s["role"] == "one_x_portal":
                continue
            licensed[s["name"]] = self.release_ok(s["release"]) and any(
                r is None and l["kind"] == SERVER_EDITION and l["count"] >= 1
                for l, r in zip(s["licenses"], reasons[s["name"]]))
        for s in self.systems:
            if s["role"] == "one_x_portal":
                continue
            rs = reasons[s["name"]]
            for j, lic in enumerate(s["licenses"]):
                if rs[j] is None and lic["kind"] != SERVER_EDITION and not licensed[s["name"]]:
                    rs[j] = "host_unlicensed"
        return reasons, licensed

    def valid_sum(self, system, reasons, kind):
        return sum(l["count"] for l, r in zip(system["licenses"], reasons[system["name"]])
                   if r is None and l["kind"] == kind)

    # ---- section 5: allocation --------------------------------------------------

    def allocate(self, avail, primary_need, needs):
        """R-PRIMARY-FIRST, then R-ORDER: each takes min(need, what is left)."""
        primary = min(primary_need, avail)
        left = avail - primary
        shares = []
        for n in needs:
            s = min(n, left)
            left -= s
            shares.append(s)
        return primary, shares

    def order(self):
        """R-ORDER: the Secondary first, then expansions in network order."""
        sec = [s for s in self.systems if s["role"] == "secondary"]
        return sec + [s for s in self.systems if s["role"] == "expansion"]

    # ---- section 6: grace -------------------------------------------------------

    def before_deadline(self, s):
        return s["deadline"] is not None and self.now < s["deadline"]

    def link_state(self, s):
        if not s["down"]:
            return "connected"
        if self.before_deadline(s) and not s["restarted"]:
            return "grace"
        return "lapsed"

    def deadline_for(self, t):
        return min(t + GRACE, U64)

    def restart(self, s):
        if s["role"] in ("secondary", "expansion") and s["down"]:
            s["restarted"] = True

    # ---- section 7: voicemail ---------------------------------------------------

    def voicemail(self, s, licensed, link, centralized, local):
        if not s.get("vm") or s["role"] not in ("primary", "secondary"):
            return None
        if not licensed:
            return {"running": False, "channels": 0}
        if s["role"] == "primary" or link == "connected":
            return {"running": True, "channels": 2 + centralized + local}
        return {"running": local > 0, "channels": local}

    # ---- section 9: the snapshot ------------------------------------------------

    def compute(self):
        reasons, licensed = self.validity()
        p = self.primary
        reserved_down = {}
        for s in self.systems:
            if s["role"] in ("secondary", "expansion") and s["down"]:
                reserved_down[s["name"]] = dict(s["frozen"]) if self.before_deadline(s) else {}
        participants = [s for s in self.order()
                        if not s["down"] and licensed[s["name"]]]
        pool, shares = {}, {s["name"]: {} for s in self.systems}
        for kind in CENTRALIZED:
            kp = self.valid_sum(p, reasons, kind)
            if kp:
                pool[kind] = kp
            held = sum(r.get(kind, 0) for r in reserved_down.values())
            avail = max(kp - held, 0)
            pneed = p["needs"].get(kind, 0) if licensed[p["name"]] else 0
            pshare, ss = self.allocate(avail, pneed, [s["needs"].get(kind, 0) for s in participants])
            if pshare:
                shares[p["name"]][kind] = pshare
            for s, n in zip(participants, ss):
                if n:
                    shares[s["name"]][kind] = n
        out = []
        for s in self.systems:
            name = s["name"]
            if s["role"] == "one_x_portal":
                out.append({"name": name, "status": "exempt", "link": "external", "deadline": None,
                            "in_effect": {}, "reserved": {}, "voicemail": None, "voice_networking": False})
                continue
            lic = licensed[name]
            if s["role"] == "primary":
                link, deadline, ie, res = "primary", None, shares[name], shares[name]
            elif not s["down"]:
                link, deadline, ie, res = "connected", None, shares[name], shares[name]
            else:
                link, deadline = self.link_state(s), s["deadline"]
                res = reserved_down[name]
                ie = dict(s["frozen"]) if (link == "grace" and lic) else {}
            local = self.valid_sum(s, reasons, "voicemail_channel") if s["role"] == "secondary" else 0
            out.append({"name": name, "status": "licensed" if lic else "unlicensed", "link": link,
                        "deadline": deadline, "in_effect": dict(ie), "reserved": dict(res),
                        "voicemail": self.voicemail(s, lic, link, ie.get("voicemail_channel", 0), local),
                        "voice_networking": lic})
        diags = []
        for s in self.systems:
            for l, r in zip(s.get("licenses", []), reasons.get(s["name"], [])):
                if r:
                    diags.append({"system": s["name"], "key": l["key"], "reason": r})
        return {"now": self.now, "pool": pool, "systems": out, "diagnostics": diags}

    # ---- section 8: events ------------------------------------------------------

    def target(self, body, name, allow_primary=True):
        sysname = body.get("system")
        s = self.by_name.get(sysname) if isinstance(sysname, str) else None
        if s is None:
            raise Invalid("invalid_event", f"{name}.system: unknown system")
        if s["role"] == "one_x_portal":
            raise Invalid("invalid_event", f"{name}.system: a portal")
        if not allow_primary and s["role"] == "primary":
            raise Invalid("invalid_event", f"{name}.system: the primary has no link")
        return s

    def apply(self, ev):
        code = "invalid_event"
        if not isinstance(ev, dict) or len(ev) != 1:
            raise Invalid(code, "an event is an object with exactly one key")
        (name, body), = ev.items()
        fields = {
            "advance": ["seconds"], "link_down": ["system"], "link_up": ["system"],
            "restart": ["system"], "upgrade": ["system", "release"],
            "set_need": ["system", "kind", "count"], "add_license": ["system", "license"],
            "remove_license": ["system", "key"],
        }
        if name not in fields:
            raise Invalid(code, f"unknown event {name!r}")
        check_fields(body, set(fields[name]), fields[name], name, code)
        # Validate everything first: a rejected event changes nothing (R-ATOMIC).
        if name == "advance":
            if not is_int(body["seconds"], U64):
                raise Invalid(code, "advance.seconds: a u64 integer")
            self.now = min(self.now + body["seconds"], U64)
        elif name in ("link_down", "link_up"):
            if not isinstance(body["system"], str):
                raise Invalid(code, f"{name}.system: a string")
            s = self.target(body, name, allow_primary=False)
            if name == "link_down" and not s["down"]:
                s.update(down=True, deadline=self.deadline_for(self.now), restarted=False,
                         frozen=dict(self.shares_now(s)))
            elif name == "link_up" and s["down"]:
                s.update(down=False, deadline=None, restarted=False, frozen={})
        elif name == "restart":
            self.restart(self.target(body, name))
        elif name == "upgrade":
            s = self.target(body, name)
            release = parse_release(body["release"])
            if release is None:
                raise Invalid(code, "upgrade.release: bad release")
            s["release"] = release
            self.restart(s)
        elif name == "set_need":
            s = self.target(body, name)
            if body["kind"] not in CENTRALIZED:
                raise Invalid(code, "set_need.kind: not a centralized kind")
            if not is_int(body["count"], U32):
                raise Invalid(code, "set_need.count: a u32 integer")
            if body["count"]:
                s["needs"][body["kind"]] = body["count"]
            else:
                s["needs"].pop(body["kind"], None)
        elif name == "add_license":
            s = self.target(body, name)
            s["licenses"].append(parse_license(body["license"], "add_license.license", code))
        elif name == "remove_license":
            s = self.target(body, name)
            if not isinstance(body["key"], str) or not any(l["key"] == body["key"] for l in s["licenses"]):
                raise Invalid(code, "remove_license.key: no such key in that configuration")
            s["licenses"] = [l for l in s["licenses"] if l["key"] != body["key"]]
        self.snap = self.compute()
        return self.snap

    def shares_now(self, s):
        """R-GRACE: the shares as they stood after the previous event."""
        for x in self.snap["systems"]:
            if x["name"] == s["name"]:
                return x["reserved"]
        return {}


# Answers wait here until every request already read is answered, then go out
# in one write: the protocol lets a harness send requests ahead (a case at a
# time), and one write per batch instead of per line saves both sides a system
# call and a wake-up per answer. Nothing waits while its reader does: the
# answers are flushed before the next blocking read and before each `load`.
_answers = []


def respond(obj):
    _answers.append(json.dumps(obj, separators=(",", ":")))


def flush():
    if _answers:
        sys.stdout.write("\n".join(_answers) + "\n")
        sys.stdout.flush()
        _answers.clear()


def requests(fd=0):
    """Each request line of `fd`, as soon as it is whole, then None whenever
    everything read so far has been given: the moment to flush the answers."""
    pending = []  # the pieces of a line not yet whole, joined once it is
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            tail = b"".join(pending)
            if tail:  # a last line without its newline
                yield tail
            return
        head, newline, rest = chunk.partition(b"\n")
        pending.append(head)
        if not newline:
            continue
        yield b"".join(pending)
        *lines, last = rest.split(b"\n")
        yield from lines
        pending = [last]
        yield None


def error(code, message):
    return {"ok": False, "error": {"code": code, "message": message}}


def serve(make=Licensing, name="python-example"):
    try:
        answer_all(make, name)
    finally:
        flush()


def answer_all(make, name):
    case = None
    for raw in requests():
        if raw is None:
            flush()
            continue
        line = raw.rstrip(b"\r")
        try:
            req = json.loads(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            respond(error("bad_request", f"not JSON: {e}"))
            continue
        if not isinstance(req, dict) or not isinstance(req.get("op"), str):
            respond(error("bad_request", "a request is an object with a string op"))
            continue
        op = req["op"]
        expected = {"hello": {"op", "protocol"}, "load": {"op", "network"}, "apply": {"op", "event"},
                    "snapshot": {"op"}, "bye": {"op"}}.get(op)
        if expected is None or set(req) != expected:
            respond(error("bad_request", f"unknown op or wrong fields for {op!r}"))
            continue
        try:
            if op == "hello":
                if not is_int(req["protocol"], U64) or req["protocol"] != PROTOCOL:
                    respond(error("bad_request", "protocol 1 only"))
                else:
                    respond({"ok": True, "name": name, "protocol": PROTOCOL})
            elif op == "load":
                # A case's answers go out before the next case is worked on,
                # even when both came in one read.
                flush()
                fresh = make()
                snap = fresh.load(req["network"])
                case = fresh
                respond({"ok": True, "snapshot": snap})
            elif op == "apply":
                if case is None:
                    respond(error("bad_request", "no case loaded"))
                else:
                    respond({"ok": True, "snapshot": case.apply(req["event"])})
            elif op == "snapshot":
                if case is None:
                    respond(error("bad_request", "no case loaded"))
                else:
                    respond({"ok": True, "snapshot": case.snap})
            else:
                respond({"ok": True})
                return
        except Invalid as e:
            respond(error(e.code, e.message))


if __name__ == "__main__":
    serve()
