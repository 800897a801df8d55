#!/usr/bin/env python3
"""Render selc's HTML pages in headless Chromium and check them: a golden
scenario's page (`selc show`), a failure page and index (`selc verify
--html` against a broken example), and both pages of a scenario whose names
hold markup that would run script (and control characters) if they were not
escaped. Fails on a blank page or on any console
message (the pages have no script: a console line means an error, such as a
resource that could not load). Screenshots go to OUT (default
target/browser-check/); with --readme the failure page's screenshot is also
written to docs/failure-page.png, the one the README shows.

usage: scripts/browser-check.py [--readme] [OUT]
Needs chromium (scripts/ci-deps.sh installs it) and python3; builds selc.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("browser-check: no chromium found (scripts/ci-deps.sh installs it)")


def png_ink(path):
    """The share of pixels that are not near-white, decoding the PNG with the
    standard library only (8-bit RGB or RGBA, as Chromium writes them)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"browser-check: {path} is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            if depth != 8 or color not in (2, 6):
                sys.exit(f"browser-check: unexpected PNG format {depth}/{color}")
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    ink = total = 0
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        for x in range(0, stride, bpp * 4):  # every 4th pixel is enough
            total += 1
            if min(line[x], line[x + 1], line[x + 2]) < 200:
                ink += 1
        prev = line
    return ink / max(total, 1)


def shoot(page, png, size="1300,1600"):
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                            f"--screenshot={png}", "file://" + os.path.abspath(page)],
                           capture_output=True, text=True, timeout=120)
    console = [l for l in p.stderr.splitlines() if ":CONSOLE" in l]
    if p.returncode != 0 or not os.path.exists(png):
        sys.exit(f"browser-check: chromium failed on {page}:\n{p.stderr[-2000:]}")
    if console:
        sys.exit(f"browser-check: console messages on {page}:\n" + "\n".join(console))
    ink = png_ink(png)
    if ink < 0.01:
        sys.exit(f"browser-check: {page} renders blank ({ink:.2%} ink)")
    print(f"browser-check: {os.path.relpath(page)}: rendered, {ink:.1%} ink, no console message")


def main():
    args = sys.argv[1:]
    readme = "--readme" in args
    args = [a for a in args if a != "--readme"]
    out = os.path.abspath(args[0] if args else os.path.join(ROOT, "target", "browser-check"))
    os.makedirs(out, exist_ok=True)
    subprocess.run(["cargo", "build", "-q", "--bin", "selc"], cwd=ROOT, check=True)
    selc = os.path.join(ROOT, "target", "debug", "selc")
    golden = os.path.join(ROOT, "scenarios", "grace", "restart-in-grace-then-reconnect.json")
    if not os.path.exists(golden):
        golden = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ROOT, "scenarios", "grace"))
                        for f in fs if f.endswith(".json"))[0]
    subprocess.run([selc, "show", golden, "--html", os.path.join(out, "golden.html")], check=True)
    broken = os.path.join(ROOT, "examples", "impls", "python", "broken_r_restart.py")
    run = subprocess.run([selc, "verify", "--impl", f"python3 {broken}", "--cases", "100",
                          "--no-golden", "--max-failures", "1", "--html", os.path.join(out, "run"),
                          "--save-failures", os.path.join(out, "failures")],
                         capture_output=True, text=True)
    if run.returncode != 1:
        sys.exit(f"browser-check: expected a failing run, got exit {run.returncode}:\n{run.stdout[-2000:]}")
    pages = [os.path.join(out, "golden.html"), os.path.join(out, "run", "index.html")]
    # Names that would run script if a page let them through as markup: any
    # script or failed image load would print to the console, which fails.
    hostile = os.path.join(out, "hostile.json")
    primary = '<script>console.log("xss-name")</script>\u202e\u0007'
    expansion = '<img src=x onerror=console.log("xss-img")>"\'' + "\u200f"
    with open(hostile, "w") as f:
        json.dump({"protocol": 1, "network": {"systems": [
            {"name": primary, "role": "primary", "sid": "P\"<b>", "release": "9.1",
             "licenses": [{"key": "<i>SE</i>", "kind": "server_edition", "sid": "P\"<b>", "count": 1},
                          {"key": "K&amp;", "kind": "power_user", "sid": "P\"<b>", "count": 5}]},
            {"name": expansion, "role": "expansion", "sid": "E\u001b[31m", "release": "9.1",
             "needs": {"power_user": 2}, "link": "up",
             "licenses": [{"key": "SE-E", "kind": "server_edition", "sid": "E\u001b[31m", "count": 1}]}]},
            "events": [{"link_down": {"system": expansion}}, {"restart": {"system": expansion}}]}, f)
    subprocess.run([selc, "show", hostile, "--html", os.path.join(out, "hostile-reference.html")], check=True)
    shown = subprocess.run([selc, "show", hostile, "--impl", f"python3 {broken}",
                            "--html", os.path.join(out, "hostile-failure.html")], capture_output=True, text=True)
    if shown.returncode != 1:
        sys.exit(f"browser-check: expected the hostile scenario to diverge, got exit {shown.returncode}:\n{shown.stderr[-2000:]}")
    for name in ("hostile-reference.html", "hostile-failure.html"):
        text = open(os.path.join(out, name)).read()
        if "<script" in text or "<img" in text or "\u001b" in text:
            sys.exit(f"browser-check: {name} carries a name as markup or a raw control character")
        pages.append(os.path.join(out, name))
    failures = sorted(f for f in os.listdir(os.path.join(out, "run")) if f.startswith("failure-"))
    if not failures:
        sys.exit("browser-check: no failure page written")
    pages.append(os.path.join(out, "run", failures[0]))
    for page in pages:
        shoot(page, page + ".png")
    if readme:
        shoot(pages[-1], os.path.join(ROOT, "docs", "failure-page.png"), size="1100,1000")
        print("browser-check: wrote docs/failure-page.png")


if __name__ == "__main__":
    main()
