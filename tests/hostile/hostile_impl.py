#!/usr/bin/env python3
"""A protocol implementation that behaves until one request, then misbehaves:
the programs of selc's robustness tests (tests/hostile.rs, docs/verify.md).

usage: hostile_impl.py MODE

It answers as the bundled correct example does (examples/impls/python/
selc_impl.py) and misbehaves on its Nth `apply` since it started (N depends on
MODE), or at `hello` / `load` for the modes that say so.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "impls", "python"))
import selc_impl  # noqa: E402

MODE = sys.argv[1]
out = sys.stdout


def write(text, newline=True):
    out.write(text + ("\n" if newline else ""))
    out.flush()


def answer(obj):
    write(json.dumps(obj, separators=(",", ":")))


def misbehave(applies):
    """Misbehave instead of answering, or return False to answer normally."""
    global out
    if MODE == "hang" and applies == 4:
        time.sleep(100000)
    if MODE == "late" and applies == 3:
        time.sleep(20)
        return False
    if MODE == "no-newline" and applies == 3:
        write('{"ok":true,"snapshot":', newline=False)
        time.sleep(100000)
    if MODE == "close-stdout" and applies == 3:
        out.close()
        os.close(1)
        time.sleep(100000)
    if MODE == "spawn-hang" and applies == 3:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(100000)"])
        time.sleep(100000)
    if MODE == "crash-mid" and applies == 3:
        sys.stderr.write("hostile: crashing on purpose\n")
        sys.exit(3)
    if MODE == "garbage" and applies == 3:
        write("this is not JSON")
        return True
    if MODE == "wrong-shape" and applies == 3:
        write('{"ok":true,"snapshot":{"now":"later"}}')
        return True
    if MODE == "huge-line" and applies == 3:
        chunk = "x" * (1 << 20)
        for _ in range(17):
            out.write(chunk)
        write("")
        return True
    if MODE == "not-utf8" and applies == 3:
        out.flush()
        sys.stdout.buffer.write(b'{"ok":\xff\xfe}\n')
        sys.stdout.buffer.flush()
        return True
    return False


def main():
    case = None
    applies = 0
    if MODE == "late":
        # A slow start too (half a second, as a big interpreter's may be): the
        # harness must not take it for the failure it is shrinking.
        time.sleep(0.5)
    if MODE == "flood-stderr":
        # A thread writes to stderr for as long as the program runs.
        import threading

        def flood():
            line = "flooding stderr " * 8 + "\n"
            while True:
                sys.stderr.write(line)

        threading.Thread(target=flood, daemon=True).start()
    fields = {"hello": {"op", "protocol"}, "load": {"op", "network"}, "apply": {"op", "event"},
              "snapshot": {"op"}, "bye": {"op"}}
    for raw in sys.stdin:
        # The envelope as the protocol says (selc's envelope probes run first).
        try:
            req = json.loads(raw)
        except ValueError:
            req = None
        if not isinstance(req, dict) or not isinstance(req.get("op"), str) \
                or set(req) != fields.get(req["op"]) \
                or (req["op"] == "hello" and req["protocol"] != 1) \
                or (req["op"] in ("apply", "snapshot") and case is None):
            answer({"ok": False, "error": {"code": "bad_request", "message": "bad request"}})
            continue
        op = req["op"]
        if op == "hello":
            if MODE == "wrong-version":
                answer({"ok": True, "name": "hostile", "protocol": 2})
            else:
                answer({"ok": True, "name": f"hostile-{MODE}", "protocol": 1})
            continue
        if op == "bye":
            answer({"ok": True})
            return
        if op == "load":
            if MODE == "crash-on-load":
                sys.stderr.write("hostile: cannot load\n")
                sys.exit(4)
            try:
                fresh = selc_impl.Licensing()
                snap = fresh.load(req["network"])
                case = fresh
                answer({"ok": True, "snapshot": snap})
            except selc_impl.Invalid as e:
                answer({"ok": False, "error": {"code": e.code, "message": e.message}})
            continue
        if op == "apply":
            applies += 1
            if misbehave(applies):
                continue
            try:
                reply = {"ok": True, "snapshot": case.apply(req["event"])}
            except selc_impl.Invalid as e:
                reply = {"ok": False, "error": {"code": e.code, "message": e.message}}
            answer(reply)
            if MODE == "two-answers" and applies == 3:
                answer(reply)
            continue
        if op == "snapshot":
            answer({"ok": True, "snapshot": case.snap})


if __name__ == "__main__":
    main()
