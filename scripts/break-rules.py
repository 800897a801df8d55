#!/usr/bin/env python3
"""Break one rule at a time in the reference model, by hand-written edits, and
check that the property suite fails within its default case count with a small
shrunk counterexample. Prints a Markdown table (docs/rule-breaks.md holds the last
run). Restores every file it touches, even when interrupted.

usage: scripts/break-rules.py [NAME ...]
       scripts/break-rules.py --exhaustive [NAME ...]
                                        the same, with the exhaustive default scope
                                        (every scenario of <= 2 non-primary systems and
                                        <= 2 events) in place of the random property suite
       scripts/break-rules.py --check   every edit still applies (fast; run by .ci/run)
"""
import os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (name, rule broken, description, [(file, old, new), ...])
BREAKS = [
    ("expiry-off-by-one", "R-EXPIRY", "`>` for `>=` at the deadline",
     [("src/model/grace.rs", "self.deadline.is_some_and(|d| now < d)", "self.deadline.is_some_and(|d| now <= d)")]),
    ("primary-served-last", "R-PRIMARY-FIRST", "the Primary served after the other systems",
     [("src/model/allocation.rs", "let primary = primary_need.min(avail);\n    let mut left = avail - primary;", "let mut left = avail;"),
      ("src/model/allocation.rs", "        .collect();\n    KindAllocation {", "        .collect();\n    let primary = primary_need.min(left);\n    KindAllocation {")]),
    ("duplicates-count-twice", "R-DUPLICATE", "duplicate keys counted twice",
     [("src/model/validity.rs", "(!claimed.insert(l.key.as_str())).then_some(Reason::DuplicateKey)", "{ claimed.insert(l.key.as_str()); None }")]),
    ("pool-wraps-u32", "R-TOTAL", "the pool summed in u32 with wrap-around",
     [("src/model/validity.rs", "None => total.add(license.kind, u64::from(license.count)),",
       "None => { total.insert(license.kind, u64::from((total.get(license.kind) as u32).wrapping_add(license.count))); }")]),
    ("secondary-not-first", "R-ORDER", "the Secondary served in network order, not first",
     [("src/model/mod.rs", "= net\n            .secondary\n            .into_iter()", "= None\n            .into_iter()"),
      ("src/model/mod.rs", ".filter(|(_, s)| s.role == Role::Expansion)", ".filter(|(_, s)| s.role.has_link())")]),
    ("restart-ignored", "R-RESTART", "a restart while down is ignored",
     [("src/model/grace.rs", "if self.down {\n            self.restarted = true;\n        }", "let _ = self.down;")]),
    ("grace-drops-shares", "R-GRACE", "nothing in effect during grace",
     [("src/model/grace.rs", "Some(if self.state(now) == LinkState::Grace && licensed {", "Some(if self.state(now) == LinkState::Grace && licensed && false {")]),
    ("sid-unchecked", "R-SID", "the SID check skipped",
     [("src/model/validity.rs", "if system.sid.as_deref() != Some(license.sid.as_str()) {", "if false {")]),
    ("host-unchecked", "R-HOST", "licenses on unlicensed hosts counted",
     [("src/model/validity.rs", "if reason.is_none() && license.kind != Kind::ServerEdition && status != Status::Licensed\n", "if reason.is_none() && license.kind != Kind::ServerEdition && status != Status::Licensed && false\n")]),
    ("failover-keeps-default", "R-VM-FAILOVER", "the default 2 channels kept on failover",
     [("src/model/voicemail.rs", "running: local > 0,\n            channels: local,", "running: true,\n            channels: 2u64.saturating_add(local),")]),
    ("vm-runs-unlicensed", "R-VM-LICENSE", "voicemail runs on an unlicensed server",
     [("src/model/voicemail.rs", "    if !licensed {\n        return Some(Voicemail {", "    if false {\n        return Some(Voicemail {")]),
    ("event-half-applied", "R-ATOMIC", "a rejected event still moves the clock",
     [("src/model/mod.rs", "let target = event.check(&self.network)?;",
       "let target = match event.check(&self.network) {\n            Ok(t) => t,\n            Err(e) => {\n                self.now = self.now.saturating_add(1);\n                self.snapshot = Arc::new(self.observe());\n                return Err(e);\n            }\n        };")]),
    ("reconnect-ignored", "R-RECONNECT", "link_up leaves the system down",
     [("src/model/grace.rs", "    pub fn go_up(&mut self) {\n        *self = LinkTrack::default();", "    pub fn go_up(&mut self) {\n        let _ = &self;")]),
    ("held-not-subtracted", "R-CAPACITY", "frozen shares lent again",
     [("src/model/allocation.rs", "let avail = pool.saturating_sub(held);", "let avail = pool;")]),
    ("half-shares", "R-WORK-CONSERVING", "each system takes at most half of what is left",
     [("src/model/allocation.rs", "let share = need.min(left);", "let share = need.min(left.div_ceil(2));")]),
    ("unsupported-accepted", "R-UNSUPPORTED", "unsupported kinds accepted",
     [("src/model/validity.rs", "if class == KindClass::Unsupported {", "if class == KindClass::Unsupported && false {")]),
]


def edited(edits):
    """Every edit applied in memory: {path: (old text, new text)}. A stale edit
    (its text not found exactly once) stops here, before any file is written."""
    saved, new_text = {}, {}
    for f, old, new in edits:
        path = os.path.join(ROOT, f)
        if path not in saved:
            saved[path] = open(path).read()
            new_text[path] = saved[path]
        if new_text[path].count(old) != 1:
            raise SystemExit(f"{f}: expected exactly one occurrence of {old!r}")
        new_text[path] = new_text[path].replace(old, new)
    return {p: (saved[p], new_text[p]) for p in saved}


def apply(edits):
    texts = edited(edits)
    for path, (_, text) in texts.items():
        open(path, "w").write(text)
    return {p: old for p, (old, _) in texts.items()}


def check():
    """Every edit applies to the current source, and changes it."""
    for name, _, _, edits in BREAKS:
        for path, (old, new) in edited(edits).items():
            if old == new:
                raise SystemExit(f"{name}: the edit of {path} changes nothing")
    print(f"break-rules: all {len(BREAKS)} breaks apply to the current source")


def main():
    if sys.argv[1:] == ["--check"]:
        return check()
    args = sys.argv[1:]
    exhaustive = "--exhaustive" in args
    only = set(a for a in args if a != "--exhaustive")
    if exhaustive:
        test = ["cargo", "test", "--release", "--test", "exhaustive", "--",
                "--ignored", "--exact", "invariants_hold_on_every_exhaustive_scenario"]
    else:
        test = ["cargo", "test", "--release", "--test", "properties", "--",
                "--test-threads", "1", "invariants_hold_on_random_scenarios"]
    rows = []
    for name, rule, what, edits in BREAKS:
        if only and name not in only:
            continue
        saved = apply(edits)
        try:
            t = time.time()
            p = subprocess.run(
                test,
                cwd=ROOT, capture_output=True, text=True,
                env={**os.environ, "PROPTEST_DISABLE_FAILURE_PERSISTENCE": "1"})
            secs = time.time() - t
        finally:
            for path, text in saved.items():
                open(path, "w").write(text)
        out = p.stdout + p.stderr
        if "error[" in out or "could not compile" in out:
            raise SystemExit(f"{name}: the broken model does not build:\n{out[-3000:]}")
        failed = p.returncode != 0 and "counterexample size" in out
        size = re.findall(r"counterexample size: (\d+) systems, (\d+) events", out)
        rules = sorted(set(re.findall(r"\n  (R-[A-Z-]+):", out.split("minimal failing input")[0].split("counterexample size")[0][-4000:])))
        sz = f"{size[-1][0]} systems, {size[-1][1]} events" if size else "-"
        rows.append((name, rule, what, "caught" if failed else "MISSED", sz, ", ".join(rules), f"{secs:.0f}"))
        print(f"{name}: {'caught' if failed else 'MISSED'} {sz} {rules}", file=sys.stderr)
    print("| break | rule | what | result | shrunk counterexample | rules reported | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if any(r[3] == "MISSED" for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
