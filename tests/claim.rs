//! Conformance claims: `selc verify --claim DIR` then `selc claim check DIR`
//! holds on a genuine claim, re-runs to the same exchange digest (against
//! `selc serve` and the bundled Python example), and fails, naming the file
//! and the field, on a claim tampered in any one field.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

fn serve() -> String {
    format!("{} serve", env!("CARGO_BIN_EXE_selc"))
}

fn out(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-claim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// One genuine claim of a default run against `selc serve`, made once.
fn genuine() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = temp("genuine");
        let failures = dir.with_extension("failures");
        let o = common::selc([
            "verify",
            "--impl",
            &serve(),
            "--time",
            "1s",
            "--claim",
            dir.to_str().unwrap(),
            "--product",
            "reference <model>",
            "--product-version",
            "0.4",
            "--save-failures",
            failures.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        dir
    })
}

fn copy(from: &Path, name: &str) -> PathBuf {
    let to = temp(name);
    std::fs::create_dir_all(&to).unwrap();
    for f in ["claim.json", "report.json", "junit.xml"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    to
}

fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["claim", "check", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::selc(args)
}

#[test]
fn a_genuine_claim_holds_and_its_rerun_gives_the_same_exchange_digest() {
    let dir = genuine();
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("claim.json")).unwrap()).unwrap();
    assert_eq!(m["verdict"], "COMPLIANT");
    assert_eq!(m["product"]["name"], "reference <model>");
    assert_eq!(m["product"]["version"], "0.4");
    assert_eq!(m["model_digest"], selc::digest::model());
    assert_eq!(m["scope"], "2x2");
    let parts: Vec<&str> = m["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["part"].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        ["envelope", "shipped", "exhaustive", "invalid", "random"]
    );
    let o = check(dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("holds"), "{}", out(&o));
    let o = check(dir, &["--impl", &serve()]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("the same verdict, cases and exchange digest"),
        "{}",
        out(&o)
    );
}

#[test]
fn the_python_examples_claim_reruns_to_the_same_exchange_digest() {
    // A short run (the digest is the point here, not a complete claim: the
    // check also names the parts a default run would have had).
    let dir = temp("python");
    let python = common::python_example("selc_impl.py");
    let failures = dir.with_extension("failures");
    let o = common::selc([
        "verify",
        "--impl",
        &python,
        "--cases",
        "150",
        "--scope",
        "1x1",
        "--claim",
        dir.to_str().unwrap(),
        "--save-failures",
        failures.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = check(&dir, &["--impl", &python]);
    let text = out(&o);
    assert!(
        text.contains("re-run: the same verdict, cases and exchange digest"),
        "{text}"
    );
    // What is wrong is only what a default run would have had more of.
    for line in text
        .lines()
        .filter(|l| l.starts_with("report.json: ") || l.starts_with("claim.json: "))
    {
        assert!(line.contains("exhaustive.scope"), "{line}");
    }
    // A different implementation answers differently: another digest.
    let broken = common::python_example("broken_r_restart.py");
    let o = check(&dir, &["--impl", &broken]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("claim.json: exchange_digest: the claim says"),
        "{}",
        out(&o)
    );
}

/// Every field of the manifest, as a JSON pointer, nested objects' fields too.
fn fields(v: &Value, at: &str, out: &mut Vec<String>) {
    if let Value::Object(o) = v {
        for (k, x) in o {
            let p = format!("{at}/{k}");
            if x.is_object() {
                fields(x, &p, out);
            } else {
                out.push(p);
            }
        }
    }
}

fn tampered(v: &Value) -> Value {
    match v {
        // A digest stays a digest, a mode a mode: the check, not the parser, must see it.
        Value::String(s) if s.len() == 64 => {
            Value::String(if s.starts_with('f') { "e" } else { "f" }.repeat(64))
        }
        Value::String(s) if s == "rules" => Value::from("strict"),
        Value::String(s) if s == "strict" => Value::from("rules"),
        Value::String(s) => Value::String(format!("{s}x")),
        Value::Number(n) => Value::from(n.as_u64().unwrap_or(0) + 1),
        Value::Array(a) if a.is_empty() => Value::Array(vec![Value::from("x")]),
        Value::Array(a) => Value::Array(a[1..].to_vec()),
        Value::Bool(b) => Value::Bool(!b),
        Value::Null => Value::from(1),
        Value::Object(_) => unreachable!(),
    }
}

#[test]
fn a_claim_tampered_in_any_field_fails_naming_the_file_and_the_field() {
    let dir = genuine();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("claim.json")).unwrap()).unwrap();
    let mut all = Vec::new();
    fields(&manifest, "", &mut all);
    assert!(all.len() >= 20, "{all:?}");
    // Made with another selc or model: refused (exit 2), both versions said.
    let refused = [
        "/format",
        "/selc_version",
        "/model_digest",
        "/catalogue_digest",
        "/alphabet",
    ];
    for pointer in &all {
        let copy = copy(dir, &pointer.replace('/', "_"));
        let mut m = manifest.clone();
        let v = m.pointer_mut(pointer).unwrap();
        let before = v.clone();
        *v = tampered(&before);
        assert_ne!(*v, before, "{pointer}");
        std::fs::write(
            copy.join("claim.json"),
            serde_json::to_string_pretty(&m).unwrap(),
        )
        .unwrap();
        let o = check(&copy, &[]);
        let text = out(&o);
        let field = pointer.trim_start_matches('/').replace('/', ".");
        if refused.contains(&pointer.as_str()) {
            assert_eq!(o.status.code(), Some(2), "{pointer}: {text}");
            assert!(text.contains("refused"), "{pointer}: {text}");
        } else if pointer == "/product/name" || pointer == "/product/version" {
            // Said by the vendor, not by the run: nothing else holds them.
            assert_eq!(o.status.code(), Some(0), "{pointer}: {text}");
            continue;
        } else {
            assert_eq!(o.status.code(), Some(1), "{pointer}: {text}");
        }
        assert!(
            text.contains(&format!("claim.json: {field}: ")),
            "{pointer}: {text}"
        );
        let _ = std::fs::remove_dir_all(&copy);
    }
}

#[test]
fn a_tampered_report_or_junit_file_is_seen_even_with_its_digest_mended() {
    let dir = genuine();
    for (file, from, to, names) in [
        (
            "report.json",
            "\"cases\": ",
            "\"cases\": 1",
            "claim.json: cases: ",
        ),
        (
            "junit.xml",
            "failures=\"0\"",
            "failures=\"1\"",
            "junit.xml: line ",
        ),
    ] {
        let c = copy(dir, file);
        let text = std::fs::read_to_string(c.join(file)).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(c.join(file), text.replacen(from, to, 1)).unwrap();
        let o = check(&c, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        let field = if file == "report.json" {
            "files.report"
        } else {
            "files.junit"
        };
        assert!(
            out(&o).contains(&format!(
                "claim.json: {field}: the claim says {file} has SHA-256"
            )),
            "{}",
            out(&o)
        );
        // The digest mended to match: the content is still caught.
        let mut m: Value =
            serde_json::from_str(&std::fs::read_to_string(c.join("claim.json")).unwrap()).unwrap();
        let digest = selc::digest::sha256_hex(&std::fs::read(c.join(file)).unwrap());
        m["files"][if file == "report.json" {
            "report"
        } else {
            "junit"
        }] = Value::from(digest);
        std::fs::write(
            c.join("claim.json"),
            serde_json::to_string_pretty(&m).unwrap(),
        )
        .unwrap();
        let o = check(&c, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains(names), "{names}: {}", out(&o));
        let _ = std::fs::remove_dir_all(&c);
    }
    // A missing file, and a claim that is not JSON of a claim.
    let c = copy(dir, "missing");
    std::fs::remove_file(c.join("junit.xml")).unwrap();
    let o = check(&c, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("junit.xml: (file): cannot be read"),
        "{}",
        out(&o)
    );
    std::fs::write(c.join("claim.json"), "{\"format\": 1, \"extra\": true}").unwrap();
    let o = check(&c, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("claim.json: "), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&c);
}

#[test]
fn a_claim_of_a_shard_or_of_an_incomplete_run_is_refused_or_fails() {
    let dir = temp("shard");
    let o = common::selc([
        "verify",
        "--impl",
        &serve(),
        "--cases",
        "10",
        "--shard",
        "1/2",
        "--claim",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("a claim is of a whole run"), "{}", out(&o));
    assert!(!dir.exists(), "nothing is written");
    let o = common::selc([
        "verify",
        "--impl",
        &serve(),
        "--cases",
        "10",
        "--no-golden",
        "--claim",
        dir.to_str().unwrap(),
        "--save-failures",
        dir.with_extension("f").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = check(&dir, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    for field in ["parts.shipped", "exhaustive"] {
        assert!(
            out(&o).contains(&format!("report.json: {field}: ")),
            "{field}: {}",
            out(&o)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A claim is a file anyone may hand over: its text reaches the terminal with
/// every control character written visibly, and values are quoted as JSON.
#[test]
fn a_hostile_claim_cannot_drive_the_terminal() {
    let dir = genuine();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("claim.json")).unwrap()).unwrap();
    let evil = "\u{1b}[2J\u{1b}]0;owned\u{7}\r";
    for (pointer, code) in [
        ("/product/name", 0),
        ("/product/hello", 1),
        ("/selc_version", 2),
        ("/model_digest", 2),
    ] {
        let copy = copy(dir, &format!("hostile{}", pointer.replace('/', "_")));
        let mut m = manifest.clone();
        *m.pointer_mut(pointer).unwrap() = Value::from(format!("{evil}x"));
        std::fs::write(copy.join("claim.json"), serde_json::to_string(&m).unwrap()).unwrap();
        let o = check(&copy, &[]);
        let text = out(&o);
        assert_eq!(o.status.code(), Some(code), "{pointer}: {text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
            "{pointer}: a control character reached the terminal: {text:?}"
        );
        assert!(
            text.contains("\\u{1b}[2J") || text.contains("\\u001b[2J"),
            "{pointer}: {text}"
        );
        let _ = std::fs::remove_dir_all(&copy);
    }
}
