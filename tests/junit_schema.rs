//! The JUnit file of every report (and so of every claim) is valid against
//! the Ant JUnit schema most CI servers read: `JUnit.xsd` of
//! windyroad/JUnit-Schema. Its constraints are written out here, since no XSD
//! validator is at hand: the elements and their order, the required
//! attributes and only those, and their types.

mod common;

use roxmltree::{Document, Node};

fn token(v: &str) -> bool {
    // xs:token with minLength 1: no leading, trailing or doubled spaces, no
    // tab or newline, not empty.
    !v.is_empty()
        && !v.starts_with(' ')
        && !v.ends_with(' ')
        && !v.contains("  ")
        && !v.contains(['\t', '\n', '\r'])
}

fn int(v: &str) -> bool {
    v.parse::<i32>().is_ok()
}

fn decimal(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let mut parts = v.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("0");
    !v.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.chars().all(|c| c.is_ascii_digit())
}

/// ISO8601_DATETIME_PATTERN: `[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}`.
fn timestamp(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b[i].is_ascii_digit());
    b.len() == 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

type Check = fn(&str) -> bool;

/// `node` has exactly these attributes, each of its type.
fn attributes(node: Node<'_, '_>, required: &[(&str, Check)], optional: &[(&str, Check)]) {
    let tag = node.tag_name().name();
    for (name, ok) in required {
        let v = node
            .attribute(*name)
            .unwrap_or_else(|| panic!("<{tag}> has no {name}"));
        assert!(ok(v), "<{tag} {name}={v:?}> is not of its type");
    }
    for a in node.attributes() {
        let known = required
            .iter()
            .chain(optional)
            .find(|(n, _)| *n == a.name());
        let Some((_, ok)) = known else {
            panic!("<{tag}> has {}, which the schema does not allow", a.name());
        };
        assert!(ok(a.value()), "<{tag} {}={:?}>", a.name(), a.value());
    }
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

fn any(_: &str) -> bool {
    true
}

/// Validate `xml`; returns the properties by name.
fn validate(xml: &str) -> std::collections::HashMap<String, String> {
    let doc = Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    attributes(root, &[], &[]);
    let suites = elements(root);
    assert!(!suites.is_empty());
    let mut props = std::collections::HashMap::new();
    for suite in suites {
        assert_eq!(suite.tag_name().name(), "testsuite");
        // In testsuites: package and id, besides testsuite's own.
        attributes(
            suite,
            &[
                ("package", token),
                ("id", int),
                ("name", token),
                ("timestamp", timestamp),
                ("hostname", token),
                ("tests", int),
                ("failures", int),
                ("errors", int),
                ("time", decimal),
            ],
            &[],
        );
        let kids = elements(suite);
        let names: Vec<&str> = kids.iter().map(|k| k.tag_name().name()).collect();
        // The sequence: properties, testcase*, system-out, system-err.
        assert_eq!(names.first(), Some(&"properties"), "{names:?}");
        assert_eq!(
            &names[names.len() - 2..],
            ["system-out", "system-err"],
            "{names:?}"
        );
        assert!(
            names[1..names.len() - 2].iter().all(|n| *n == "testcase"),
            "{names:?}"
        );
        for p in elements(kids[0]) {
            assert_eq!(p.tag_name().name(), "property");
            attributes(p, &[("name", token), ("value", any)], &[]);
            props.insert(
                p.attribute("name").unwrap().into(),
                p.attribute("value").unwrap().into(),
            );
        }
        let cases = &kids[1..kids.len() - 2];
        let (mut failures, mut errors) = (0, 0);
        for c in cases {
            attributes(
                *c,
                &[("name", token), ("classname", token), ("time", decimal)],
                &[],
            );
            let inner = elements(*c);
            assert!(
                inner.len() <= 1,
                "a testcase holds one failure or error at most"
            );
            for e in inner {
                match e.tag_name().name() {
                    "failure" => failures += 1,
                    "error" => errors += 1,
                    other => panic!("<testcase> holds <{other}>, which the schema does not allow"),
                }
                attributes(e, &[("type", token)], &[("message", any)]);
            }
        }
        for k in &kids[kids.len() - 2..] {
            attributes(*k, &[], &[]);
            assert!(elements(*k).is_empty(), "pre-string");
        }
        let count = |a: &str| suite.attribute(a).unwrap().parse::<usize>().unwrap();
        assert_eq!(count("tests"), cases.len());
        assert_eq!(count("failures"), failures);
        assert_eq!(count("errors"), errors);
    }
    props
}

fn junit_of_run(args: &[&str]) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("selc-junit-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("junit.xml");
    let mut all = vec![
        "verify",
        "--junit",
        file.to_str().unwrap(),
        "--save-failures",
    ];
    let saved = dir.join("failures");
    all.push(saved.to_str().unwrap());
    all.extend_from_slice(args);
    let out = common::selc(&all);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let _ = std::fs::remove_dir_all(&dir);
    text
}

#[test]
fn the_junit_of_a_compliant_run_is_valid_and_carries_the_runs_facts() {
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let xml = junit_of_run(&[
        "--impl", &serve, "--cases", "40", "--seed", "7", "--scope", "1x1",
    ]);
    let props = validate(&xml);
    assert_eq!(props["selc.seed"], "7");
    assert_eq!(props["selc.version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(props["selc.scope"], "1x1");
    assert_eq!(props["selc.model_digest"], selc::digest::model());
    assert_eq!(props["selc.compliant"], "true");
}

#[test]
fn the_junit_of_a_failing_run_is_valid_with_typed_failures() {
    let broken = common::python_example("broken_r_restart.py");
    let xml = junit_of_run(&["--impl", &broken, "--cases", "200", "--no-shrink"]);
    assert!(xml.contains("<failure type=\"rule_broken\""), "{xml}");
    let props = validate(&xml);
    assert_eq!(props["selc.compliant"], "false");
}

#[test]
fn the_junit_of_a_run_that_cannot_start_is_valid_with_an_error() {
    let xml = junit_of_run(&["--impl", "/nonexistent/selc-impl", "--cases", "5"]);
    assert!(xml.contains("<error type=\"harness\""), "{xml}");
    validate(&xml);
}

#[test]
fn the_validator_refuses_what_the_schema_refuses() {
    let good = junit_of_run(&[
        "--impl",
        &format!("{} serve", env!("CARGO_BIN_EXE_selc")),
        "--cases",
        "5",
        "--scope",
        "1x1",
    ]);
    validate(&good);
    for (from, to) in [
        (" hostname=\"", " hostnam=\""),
        ("<testcase classname", "<testcase skipped=\"1\" classname"),
        (" time=\"0\"", " time=\"zero\""),
        ("<system-err></system-err>", ""),
        ("<properties>", "<properties><bogus/>"),
    ] {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        let r = std::panic::catch_unwind(|| validate(&bad));
        assert!(r.is_err(), "accepted with {from:?} -> {to:?}");
    }
    let stamp = good.find("timestamp=\"").unwrap() + 11;
    let bad = format!(
        "{}2026-1-01T00:00:00Z{}",
        &good[..stamp],
        &good[stamp + 19..]
    );
    assert!(std::panic::catch_unwind(|| validate(&bad)).is_err());
}
