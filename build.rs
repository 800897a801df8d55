//! Embeds every `scenarios/**/*.json` into the binary (see src/golden.rs), and
//! the sources of what judges (src/model, src/rules, src/check) for the model
//! digest (src/digest.rs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    collect_ext(dir, "json", out);
}

fn collect_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_ext(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=scenarios");
    let mut files = Vec::new();
    collect(&root.join("scenarios"), &mut files);
    embed(
        &root,
        files,
        "GOLDEN",
        "every shipped scenario",
        "golden.rs",
    );
    // Every source file that decides a verdict: the model, the rule
    // catalogue and the checkers. Their digest names the model a report,
    // claim or saved failure was judged by.
    let mut files = Vec::new();
    for dir in ["src/model", "src/rules", "src/check"] {
        println!("cargo:rerun-if-changed={dir}");
        collect_ext(&root.join(dir), "rs", &mut files);
    }
    embed(
        &root,
        files,
        "JUDGE_SOURCES",
        "the sources of the judge",
        "judge_sources.rs",
    );
}

/// Write `OUT_DIR/file`: a static `name` of `(path, text)` of `files`, sorted.
fn embed(root: &Path, mut files: Vec<PathBuf>, name: &str, what: &str, file: &str) {
    files.sort();
    let mut code =
        format!("/// `(path, text)` of {what}.\npub static {name}: &[(&str, &str)] = &[\n");
    for f in &files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.to_string_lossy()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join(file);
    std::fs::write(out, code).unwrap();
}
