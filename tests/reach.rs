//! Reach: the verdict covers the input domain the spec allows, and says so.
//! The default run's generators reach every property of the input-domain
//! catalogue they generate (`selc::domain`); implementations that each break
//! one property of the input are caught by the generators alone and shrunk to
//! a small counterexample; hostile identifiers stay text in every output.

mod common;

use std::path::{Path, PathBuf};

use selc::domain::{cells::Size, DomainId, DomainSet};
use selc::gen::seeded::candidate;
use selc::verify::plan::plan_spec;
use selc::verify::random::gen_config;
use selc::verify::VerifyConfig;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-reach-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every property the generators produce is reached by the random cases of a
/// default run (its seed, its bounds), within the first 12,000 indices: about
/// what a default run gets through in its 20 s against the Python example.
#[test]
fn the_default_generators_reach_every_property() {
    let config = VerifyConfig::default();
    let gen = gen_config(&config);
    let mut reached = DomainSet::default();
    let mut largest = Size::default();
    for index in 0..12_000 {
        let spec = candidate(gen, config.seed, index, 0);
        if let Some((set, size)) = plan_spec(&spec, false).domain {
            for id in set.ids() {
                reached.insert(id);
            }
            largest.systems = largest.systems.max(size.systems);
            largest.licenses = largest.licenses.max(size.licenses);
            largest.events = largest.events.max(size.events);
        }
    }
    // The invalid networks the run sends, one clause broken in each: every one
    // is an invalid network, and each clause is broken.
    for (i, &clause) in selc::gen::invalid::CLAUSES.iter().enumerate() {
        for variant in 0..8 {
            let spec = candidate(gen, config.seed, (variant * 6 + i) as u64, 0);
            let net = selc::gen::invalid::broken(&spec, clause, variant as u64);
            assert!(
                selc::model::Model::load(&net, "network").is_err(),
                "{clause}: {net}"
            );
        }
        reached.insert(clause);
    }
    // The envelope probes every run sends: one per property.
    for probe in selc::verify::envelope::probes() {
        reached.insert(probe.id);
    }
    for &id in DomainId::ALL {
        assert!(reached.contains(id), "{id} never reached");
    }
    assert!(largest.systems >= 150, "{largest:?}");
    assert!(largest.systems <= config.max_systems as u64);
    assert!(
        largest.licenses >= 64 && largest.events >= 200,
        "{largest:?}"
    );
}

/// Explicit bounds still bound every case.
#[test]
fn explicit_bounds_bound_every_case() {
    let config = VerifyConfig {
        max_systems: 8,
        max_events: 24,
        max_licenses: 5,
        ..VerifyConfig::default()
    };
    let gen = gen_config(&config);
    for index in 0..3_000 {
        let spec = candidate(gen, config.seed, index, 0);
        let (systems, events) = spec.size();
        assert!(
            systems <= 8 && events <= 24,
            "case {index}: {systems}, {events}"
        );
        assert!(spec.primary.licenses.len() <= 5);
    }
}

/// An implementation that breaks one property of its input, a realistic way,
/// the rule the failure names and the part of the run that finds it.
const BROKEN: [(&str, &str, &str); 7] = [
    // Keys compared ignoring case: found on two keys that differ only in case.
    ("broken_d_case.py", "R-DUPLICATE", "random"),
    // More than 32 systems refused: found on a network of 33.
    ("broken_d_size.py", "R-TOTAL", "random"),
    // Releases read as decimal numbers: 9.10 taken for 9.1.
    ("broken_d_release.py", "R-RELEASE", "random"),
    // Releases compared as text: found on a release whose text order is not
    // its integer order (a leading zero, a part of three digits).
    ("broken_d_spelling.py", "R-RELEASE", "random"),
    // A portal's SID left out of uniqueness: found on a portal sharing a SID.
    ("broken_d_portal_sid.py", "R-TOTAL", "invalid"),
    // Blank lines skipped without an answer: found by the envelope probes.
    ("broken_d_envelope.py", "R-TOTAL", "envelope"),
    // Requests before hello refused: found by the probe that sends none.
    ("broken_d_hello.py", "R-TOTAL", "envelope"),
];

#[test]
fn each_input_domain_bug_is_caught_by_the_generators_and_shrunk_small() {
    for (file, rule, part) in BROKEN {
        let d = dir(file);
        let report = d.join("r.json");
        let out = common::selc([
            "verify",
            "--impl",
            &common::python_example(file),
            "--no-golden",
            "--no-exhaustive",
            "--cases",
            "3000",
            "--max-failures",
            "1",
            &format!("--report={}", report.display()),
            &format!("--save-failures={}", d.join("failures").display()),
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{file} passed:\n{text}");
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let f = &r["failures"][0];
        assert_eq!(f["case_kind"], part, "{file}: found by a generator");
        assert!(
            f["rules"].as_array().unwrap().iter().any(|r2| r2 == rule),
            "{file}: {}",
            f["rules"]
        );
        let systems = f["size"]["systems"].as_u64().unwrap();
        let events = f["size"]["events"].as_u64().unwrap();
        if part == "envelope" {
            // A probe is a few raw lines: named by its property, not saved.
            let property = match file {
                "broken_d_hello.py" => "D-ENV-HELLO",
                _ => "D-ENV-LINE",
            };
            assert!(f["message"].as_str().unwrap().starts_with(property), "{f}");
            assert!(f["scenario_file"].is_null());
            continue;
        }
        let saved = f["scenario_file"].as_str().unwrap();
        let scenario: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(saved).unwrap()).unwrap();
        match file {
            "broken_d_size.py" => assert_eq!((systems, events), (33, 0), "{file}"),
            "broken_d_portal_sid.py" => assert_eq!((systems, events), (2, 0), "{file}"),
            _ => assert!(systems <= 3 && events <= 2, "{file}: {systems}, {events}"),
        }
        if file == "broken_d_spelling.py" {
            // The counterexample keeps a release whose text order is not its
            // order as an integer pair (`09.0`, `600.0`): the plain spellings
            // of the usual releases pass.
            let texts: Vec<&str> = scenario["network"]["systems"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s["release"].as_str())
                .chain(
                    scenario["events"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|e| e["upgrade"]["release"].as_str()),
                )
                .collect();
            assert!(
                texts.iter().any(|t| {
                    let r: selc::model::Release = t.parse().unwrap();
                    ("6.0" <= *t && *t <= "9.1") != r.is_supported()
                }),
                "{texts:?}"
            );
        }
        if file == "broken_d_case.py" {
            // The smallest pair that still collides: two keys equal ignoring case.
            let keys: Vec<String> = scenario["network"]["systems"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["licenses"].as_array().cloned().unwrap_or_default())
                .map(|l| l["key"].as_str().unwrap().to_string())
                .collect();
            assert!(
                keys.iter().enumerate().any(|(i, a)| keys[i + 1..]
                    .iter()
                    .any(|b| a != b && a.to_lowercase() == b.to_lowercase())),
                "{keys:?}"
            );
        }
    }
}

/// Names holding markup, quotes, control characters and a right-to-left mark
/// (the generators' escape style) reach every output as text: escaped in the
/// terminal text, the JUnit file and the HTML pages, intact in the JSON report.
#[test]
fn hostile_identifiers_are_text_in_every_output() {
    let d = dir("hostile");
    let (report, junit, html) = (d.join("r.json"), d.join("j.xml"), d.join("h"));
    let out = common::selc([
        "verify",
        "--impl",
        &common::python_example("broken_r_restart.py"),
        "--no-golden",
        "--no-exhaustive",
        "--no-shrink",
        "--cases",
        "400",
        "--max-failures",
        "1000",
        &format!("--report={}", report.display()),
        &format!("--junit={}", junit.display()),
        &format!("--html={}", html.display()),
        &format!("--save-failures={}", d.join("failures").display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let hostile = r["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.to_string().contains("<script>"))
        .count();
    assert!(hostile > 0, "no failure with a hostile name to check");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let junit = std::fs::read_to_string(&junit).unwrap();
    let mut pages = Vec::new();
    for p in std::fs::read_dir(&html).unwrap().flatten() {
        pages.push(std::fs::read_to_string(p.path()).unwrap());
    }
    let pages = pages.concat();
    for (what, text) in [("stdout", &stdout), ("junit", &junit), ("html", &pages)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{0}'),
            "{what} carries a raw control character"
        );
    }
    for (what, text) in [("junit", &junit), ("html", &pages)] {
        assert!(
            !text.contains("<script"),
            "{what} carries markup from a name"
        );
        assert!(
            text.contains("&lt;script&gt;"),
            "{what}: the name is not shown"
        );
    }
    assert!(
        stdout.contains("\\u{1b}"),
        "the terminal shows the escape escaped"
    );
    assert!(Path::new(&html.join("index.html")).exists());
}
