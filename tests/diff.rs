//! `selc diff`: a correct and a broken implementation (a regression, exit
//! 1), the other way round (a fix, exit 0), and `selc serve` against a
//! variant lawful in `rules` mode (a legal change, exit 0); JSON and HTML.

mod common;

use serde_json::Value;

fn serve() -> String {
    format!("{} serve", env!("CARGO_BIN_EXE_selc"))
}

fn diff(a: &str, b: &str, extra: &[&str]) -> (Option<i32>, Value, String, String) {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("selc-diff-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let report = d.join("diff.json");
    let html = d.join("html");
    let mut args = vec![
        "diff",
        "--impl",
        a,
        "--impl",
        b,
        "--cases",
        "150",
        "--scope",
        "1x1",
        "--report",
        report.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = common::selc(&args);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let r: Value = serde_json::from_str(
        &std::fs::read_to_string(&report)
            .unwrap_or_else(|e| panic!("{e}: {text}{}", String::from_utf8_lossy(&o.stderr))),
    )
    .unwrap();
    let page = std::fs::read_to_string(html.join("index.html")).unwrap();
    let _ = std::fs::remove_dir_all(&d);
    (o.status.code(), r, text, page)
}

#[test]
fn a_broken_candidate_is_a_regression() {
    let broken = common::python_example("broken_r_restart.py");
    let (code, r, text, page) = diff(&serve(), &broken, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(r["regressions"].as_u64().unwrap() > 0, "{r}");
    assert_eq!(r["fixes"], 0);
    let d = &r["differences"][0];
    assert_eq!(d["class"], "regression");
    assert_eq!(d["a"]["passed"], true);
    assert_eq!(d["b"]["rules"][0], "R-RESTART");
    assert!(
        text.contains("REGRESSION") && text.contains("REGRESSED"),
        "{text}"
    );
    // One bug of B, however many cases show it, reads as few groups: each
    // counted, its smallest cases named, every case in the JSON report.
    let n = r["regressions"].as_u64().unwrap();
    let groups: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("REGRESSION in "))
        .collect();
    assert!(!groups.is_empty() && groups.len() < 4, "{text}");
    let counted: u64 = groups
        .iter()
        .map(|l| {
            l.split(' ')
                .nth(2)
                .unwrap()
                .replace(',', "")
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(counted, n, "{text}");
    assert_eq!(r["differences"].as_array().unwrap().len() as u64, n);
    assert!(
        text.contains(&format!(
            "distinct difference{} in {n} differing case",
            if groups.len() == 1 { "" } else { "s" }
        )),
        "{text}"
    );
    // The three answers side by side.
    assert!(
        page.contains("<th>reference</th><th>A</th><th>B</th>"),
        "{page}"
    );
}

#[test]
fn a_fixed_candidate_is_a_fix() {
    let broken = common::python_example("broken_r_restart.py");
    let (code, r, text, _) = diff(&broken, &serve(), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(r["regressions"], 0);
    assert!(r["fixes"].as_u64().unwrap() > 0, "{r}");
    assert!(r["differences"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["class"] == "fix"));
}

#[test]
fn a_split_lawful_in_rules_mode_is_a_legal_change() {
    // broken_r_order.py serves the Secondary and the expansions in another
    // order: wrong in strict mode, lawful in rules mode.
    let other_order = common::python_example("broken_r_order.py");
    let (code, r, text, _) = diff(&serve(), &other_order, &["--mode", "rules"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(r["regressions"], 0, "{r}");
    assert!(r["legal_changes"].as_u64().unwrap() > 0, "{r}");
    assert!(text.contains("LEGAL CHANGE"), "{text}");
    let (code, r, _, _) = diff(&serve(), &other_order, &["--mode", "strict"]);
    assert_eq!(code, Some(1));
    assert!(r["regressions"].as_u64().unwrap() > 0, "{r}");
}

#[test]
fn diff_needs_exactly_two_implementations() {
    let o = common::selc(["diff", "--impl", &serve(), "--cases", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exactly two implementations"));
}
