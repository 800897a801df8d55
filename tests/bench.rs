//! `selc bench` on a tiny size: the table, bench.json and bench.svg, and a fast
//! wrong answer is never a good result.

use std::process::Command;

fn out_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("selc-bench-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn bench_against_selc_serve_writes_table_json_and_svg() {
    let dir = out_dir("serve");
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args([
            "bench", "--impl", &serve, "--sizes", "2,8", "--events", "20", "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("p99 µs") && stdout.contains("correct"),
        "{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bench.json")).unwrap()).unwrap();
    let theirs = json["implementation_results"].as_array().unwrap();
    assert_eq!(theirs.len(), 2);
    assert_eq!(theirs[1]["systems"], 8);
    assert_eq!(theirs[1]["events"], 20);
    assert!(theirs[1]["apply"]["p50_us"].as_f64().unwrap() > 0.0);
    let svg = std::fs::read_to_string(dir.join("bench.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("polyline"), "{svg}");
}

#[test]
fn a_wrong_implementation_is_not_a_result() {
    let python = selc::impls::default::python_or_fail();
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/impls/python/broken_r_primary_first.py");
    let dir = out_dir("broken");
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(["bench", "--sizes", "8", "--events", "10", "--impl"])
        .arg(format!("{python} {}", broken.display()))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("WRONG: R-PRIMARY-FIRST"));
}

#[test]
fn bad_sizes_are_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(["bench", "--sizes", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(["bench", "--sizes", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
