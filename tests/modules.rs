//! The shape of the code: no import cycle between the files of `src/`, nor
//! between its top-level modules (data flows one way: input → validate → model
//! → snapshot → check → report); no `process::exit` in the library; and the
//! command layer of `selc verify` stays thin.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every file of `src/` by its path, with its text less comments and tests.
fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&p).unwrap();
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(i) => &text[..i],
                    None => &text[..],
                };
                let code: String = text
                    .lines()
                    .map(|l| l.split("//").next().unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("\n");
                out.insert(rel, code);
            }
        }
    }
    out
}

/// The module path of a file: `verify/mod.rs` is `verify`, `lib.rs` the root.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// Every `crate::` and `super::` path a text names, braces expanded one level.
fn paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[at..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let base: Vec<String> = rest[..end]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            if rest[end..].starts_with('{') {
                let close = rest[end..].find('}').map_or(rest.len(), |c| end + c);
                for item in rest[end + 1..close].split(',') {
                    let item = item.trim().split(" as ").next().unwrap_or("");
                    let mut p = base.clone();
                    p.extend(
                        item.split("::")
                            .filter(|s| !s.is_empty() && *s != "self" && !s.contains('{'))
                            .map(String::from),
                    );
                    out.push(p);
                }
            } else {
                out.push(base);
            }
        }
    }
    out
}

/// Which file each file imports from.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeMap<Vec<String>, String> =
        files.keys().map(|f| (module_of(f), f.clone())).collect();
    let mut graph = BTreeMap::new();
    for (file, text) in &files {
        let mut to = BTreeSet::new();
        if file == "main.rs" {
            graph.insert(file.clone(), to);
            continue;
        }
        let me = module_of(file);
        for p in paths(text) {
            let full: Vec<String> = if p[0] == "crate" {
                p[1..].to_vec()
            } else {
                let supers = p.iter().take_while(|s| *s == "super").count();
                let mut m = me[..me.len().saturating_sub(supers)].to_vec();
                m.extend(p[supers..].iter().cloned());
                m
            };
            // The longest prefix of the path that is a file's module.
            if let Some(target) = (1..=full.len()).rev().find_map(|i| modules.get(&full[..i])) {
                if target != file {
                    to.insert(target.clone());
                }
            }
        }
        graph.insert(file.clone(), to);
    }
    graph
}

/// The cycles of a graph (its strongly connected parts of more than one node).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    // Two nodes are in one cycle when each reaches the other.
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in graph.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|n| (n, reach(n))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for (n, r) in &reached {
        let part: BTreeSet<String> = r
            .iter()
            .filter(|m| reached.get(m).is_some_and(|back| back.contains(*n)))
            .cloned()
            .collect();
        if part.len() > 1 && !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

#[test]
fn no_file_of_src_imports_from_a_file_that_imports_from_it() {
    let graph = imports();
    assert!(graph.len() > 50, "read {} files", graph.len());
    assert!(
        graph["verify/jobs.rs"].contains("impls/process/mod.rs"),
        "imports are seen"
    );
    assert!(
        graph["verify/jobs.rs"].contains("verify/random.rs"),
        "super:: imports are seen"
    );
    assert_eq!(cycles(&graph), Vec::<BTreeSet<String>>::new());
}

#[test]
fn no_top_level_module_imports_from_one_that_imports_from_it() {
    let top = |f: &str| {
        f.split('/')
            .next()
            .unwrap_or(f)
            .trim_end_matches(".rs")
            .to_string()
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, to) in imports() {
        let entry = graph.entry(top(&file)).or_default();
        entry.extend(to.iter().map(|t| top(t)).filter(|t| *t != top(&file)));
    }
    assert!(graph["report"].contains("verify"));
    assert_eq!(cycles(&graph), Vec::<BTreeSet<String>>::new());
    // The model knows nothing of the verifier, the command line or I/O.
    for above in [
        "verify", "commands", "cli", "report", "impls", "protocol", "check",
    ] {
        assert!(!graph["model"].contains(above), "model imports {above}");
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["c".to_string()].into());
    g.insert("c".into(), ["a".to_string()].into());
    g.insert("d".into(), ["a".to_string()].into());
    let found = cycles(&g);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), 3);
    assert_eq!(
        paths("use super::{a::B, c};"),
        [vec!["super", "a", "B"], vec!["super", "c"]]
    );
}

#[test]
fn the_library_never_exits_and_the_verify_command_stays_thin() {
    for (file, text) in sources() {
        if file != "main.rs" {
            assert!(!text.contains("process::exit"), "{file} exits the process");
            assert!(!text.contains("exit(130)"), "{file} exits the process");
        }
    }
    let verify = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands/verify.rs"),
    )
    .unwrap();
    assert!(
        verify.lines().count() < 150,
        "{} lines",
        verify.lines().count()
    );
}
