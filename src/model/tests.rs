//! One focused test per rule ID, through the model's public API. Each would fail
//! if its rule broke; the golden scenarios cover the same rules end to end.

use serde_json::{json, Value};

use super::*;

fn lic(key: &str, kind: &str, sid: &str, count: u64) -> Value {
    json!({"key": key, "kind": kind, "sid": sid, "count": count})
}

fn primary(needs: Value, licenses: Vec<Value>) -> Value {
    json!({"name": "p", "role": "primary", "sid": "P", "release": "9.1",
           "needs": needs, "licenses": licenses})
}

fn expansion(name: &str, sid: &str, needs: Value) -> Value {
    json!({"name": name, "role": "expansion", "sid": sid, "release": "9.1", "needs": needs,
           "licenses": [lic(&format!("SE-{sid}"), "server_edition", sid, 1)]})
}

fn se_p() -> Value {
    lic("SE-P", "server_edition", "P", 1)
}

fn load(systems: Vec<Value>) -> Model {
    Model::load(&json!({ "systems": systems }), "network").expect("valid network")
}

fn apply(m: &mut Model, e: Value) -> Snapshot {
    m.apply_json(&e, "event").expect("valid event").clone()
}

fn sys<'a>(s: &'a Snapshot, name: &str) -> &'a SystemSnapshot {
    s.systems.iter().find(|x| &*x.name == name).expect("system")
}

fn pu(s: &SystemSnapshot) -> u64 {
    s.in_effect.get(Kind::PowerUser)
}

fn reasons(s: &Snapshot) -> Vec<(String, Reason)> {
    s.diagnostics
        .iter()
        .map(|d| (d.key.clone(), d.reason))
        .collect()
}

#[test]
fn r_unsupported() {
    let m = load(vec![primary(
        json!({}),
        vec![se_p(), lic("T", "teleworker", "X", 1)],
    )]);
    assert_eq!(
        reasons(m.snapshot()),
        [("T".into(), Reason::UnsupportedKind)]
    );
}

#[test]
fn r_sid() {
    let m = load(vec![primary(
        json!({"power_user": 5}),
        vec![se_p(), lic("A", "power_user", "p", 5)],
    )]);
    assert_eq!(reasons(m.snapshot()), [("A".into(), Reason::WrongSid)]);
    assert!(m.snapshot().pool.is_empty());
}

#[test]
fn r_place() {
    let mut sec = expansion("s", "S", json!({}));
    sec["role"] = json!("secondary");
    sec["licenses"].as_array_mut().unwrap().extend([
        lic("V", "voicemail_channel", "S", 2),
        lic("O", "office_worker", "S", 2),
    ]);
    let mut e = expansion("e", "E", json!({}));
    e["licenses"]
        .as_array_mut()
        .unwrap()
        .push(lic("V2", "voicemail_channel", "E", 2));
    let m = load(vec![primary(json!({}), vec![se_p()]), sec, e]);
    assert_eq!(
        reasons(m.snapshot()),
        [
            ("O".into(), Reason::Misplaced),
            ("V2".into(), Reason::Misplaced)
        ]
    );
}

#[test]
fn r_release() {
    let mut p = primary(json!({}), vec![se_p()]);
    p["release"] = json!("9.2");
    let m = load(vec![p.clone()]);
    assert_eq!(
        reasons(m.snapshot()),
        [("SE-P".into(), Reason::IncompatibleRelease)]
    );
    p["release"] = json!("6.0");
    assert!(reasons(load(vec![p]).snapshot()).is_empty());
}

#[test]
fn r_duplicate() {
    let m = load(vec![primary(
        json!({"power_user": 100}),
        vec![
            se_p(),
            lic("A", "power_user", "P", 5),
            lic("A", "power_user", "P", 7),
        ],
    )]);
    assert_eq!(m.snapshot().pool, Counts::from([(Kind::PowerUser, 5)]));
    assert_eq!(reasons(m.snapshot()), [("A".into(), Reason::DuplicateKey)]);
    // An earlier copy that fails R-SID does not claim the key.
    let m = load(vec![primary(
        json!({"power_user": 100}),
        vec![
            se_p(),
            lic("A", "power_user", "X", 5),
            lic("A", "power_user", "P", 7),
        ],
    )]);
    assert_eq!(m.snapshot().pool, Counts::from([(Kind::PowerUser, 7)]));
}

#[test]
fn r_host() {
    let m = load(vec![primary(
        json!({"power_user": 1}),
        vec![lic("A", "power_user", "P", 5)],
    )]);
    assert_eq!(
        reasons(m.snapshot()),
        [("A".into(), Reason::HostUnlicensed)]
    );
    assert!(m.snapshot().pool.is_empty());
}

#[test]
fn r_se() {
    let m = load(vec![primary(
        json!({}),
        vec![lic("SE", "server_edition", "P", 0)],
    )]);
    assert_eq!(m.snapshot().systems[0].status, Status::Unlicensed);
    let m = load(vec![primary(json!({}), vec![se_p()])]);
    assert_eq!(m.snapshot().systems[0].status, Status::Licensed);
}

#[test]
fn r_portal() {
    let m = load(vec![
        primary(json!({}), vec![se_p()]),
        json!({"name": "x", "role": "one_x_portal"}),
    ]);
    let x = sys(m.snapshot(), "x");
    assert_eq!((x.status, x.link), (Status::Exempt, LinkState::External));
    let mut m2 = m.clone();
    assert!(m2
        .apply_json(&json!({"restart": {"system": "x"}}), "event")
        .is_err());
}

#[test]
fn r_voicenet() {
    let m = load(vec![
        primary(json!({}), vec![se_p()]),
        json!({"name": "e", "role": "expansion", "sid": "E", "release": "9.1"}),
    ]);
    assert!(sys(m.snapshot(), "p").voice_networking);
    assert!(!sys(m.snapshot(), "e").voice_networking);
}

fn two_expansions(pool: u64, p: u64, a: u64, b: u64) -> Model {
    load(vec![
        primary(
            json!({"power_user": p}),
            vec![se_p(), lic("PU", "power_user", "P", pool)],
        ),
        expansion("a", "A", json!({"power_user": a})),
        expansion("b", "B", json!({"power_user": b})),
    ])
}

#[test]
fn r_primary_first() {
    let m = two_expansions(10, 8, 5, 5);
    let s = m.snapshot();
    assert_eq!(
        (pu(sys(s, "p")), pu(sys(s, "a")), pu(sys(s, "b"))),
        (8, 2, 0)
    );
}

#[test]
fn r_no_overgrant() {
    let m = two_expansions(100, 1, 2, 3);
    let s = m.snapshot();
    assert_eq!(
        (pu(sys(s, "p")), pu(sys(s, "a")), pu(sys(s, "b"))),
        (1, 2, 3)
    );
}

#[test]
fn r_capacity() {
    let m = two_expansions(7, 3, 3, 3);
    let s = m.snapshot();
    let total: u64 = s.systems.iter().map(pu).sum();
    assert_eq!(total, 7);
}

#[test]
fn r_work_conserving() {
    let m = two_expansions(10, 0, 6, 6);
    let s = m.snapshot();
    assert_eq!(pu(sys(s, "a")) + pu(sys(s, "b")), 10);
}

#[test]
fn r_order() {
    let mut sec = expansion("s", "S", json!({"power_user": 4}));
    sec["role"] = json!("secondary");
    let m = load(vec![
        expansion("a", "A", json!({"power_user": 4})),
        primary(json!({}), vec![se_p(), lic("PU", "power_user", "P", 6)]),
        sec,
    ]);
    let s = m.snapshot();
    assert_eq!((pu(sys(s, "s")), pu(sys(s, "a"))), (4, 2));
}

#[test]
fn r_grace() {
    let mut m = two_expansions(10, 0, 6, 6);
    apply(&mut m, json!({"advance": {"seconds": 7}}));
    let s = apply(&mut m, json!({"link_down": {"system": "a"}}));
    let a = sys(&s, "a");
    assert_eq!(
        (a.link, a.deadline, pu(a)),
        (LinkState::Grace, Some(7 + GRACE_SECONDS), 6)
    );
    // Needs changing meanwhile do not move what is in effect, and the frozen share
    // is not lent again.
    let s = apply(
        &mut m,
        json!({"set_need": {"system": "a", "kind": "power_user", "count": 1}}),
    );
    assert_eq!((pu(sys(&s, "a")), pu(sys(&s, "b"))), (6, 4));
}

#[test]
fn r_expiry() {
    let mut m = two_expansions(10, 0, 6, 6);
    apply(&mut m, json!({"link_down": {"system": "a"}}));
    let s = apply(&mut m, json!({"advance": {"seconds": GRACE_SECONDS - 1}}));
    assert_eq!(sys(&s, "a").link, LinkState::Grace);
    let s = apply(&mut m, json!({"advance": {"seconds": 1}}));
    let a = sys(&s, "a");
    assert_eq!((a.link, pu(a), a.reserved.len()), (LinkState::Lapsed, 0, 0));
    assert_eq!(a.deadline, Some(GRACE_SECONDS));
    assert_eq!(pu(sys(&s, "b")), 6);
}

#[test]
fn r_restart() {
    let mut m = two_expansions(10, 0, 6, 6);
    let before = apply(&mut m, json!({"restart": {"system": "a"}}));
    assert_eq!(&before, two_expansions(10, 0, 6, 6).snapshot());
    apply(&mut m, json!({"link_down": {"system": "a"}}));
    let s = apply(&mut m, json!({"restart": {"system": "a"}}));
    let a = sys(&s, "a");
    assert_eq!((a.link, pu(a)), (LinkState::Lapsed, 0));
    assert_eq!(a.reserved.get(Kind::PowerUser), 6);
    assert_eq!(pu(sys(&s, "b")), 4);
}

#[test]
fn r_upgrade() {
    let mut m = two_expansions(10, 0, 6, 6);
    apply(&mut m, json!({"link_down": {"system": "a"}}));
    let s = apply(
        &mut m,
        json!({"upgrade": {"system": "a", "release": "9.1"}}),
    );
    assert_eq!(sys(&s, "a").link, LinkState::Lapsed);
    let s = apply(
        &mut m,
        json!({"upgrade": {"system": "b", "release": "10.0"}}),
    );
    assert_eq!(sys(&s, "b").status, Status::Unlicensed);
}

#[test]
fn r_reconnect() {
    let mut m = two_expansions(10, 0, 6, 6);
    apply(&mut m, json!({"link_down": {"system": "a"}}));
    apply(
        &mut m,
        json!({"set_need": {"system": "a", "kind": "power_user", "count": 2}}),
    );
    let s = apply(&mut m, json!({"link_up": {"system": "a"}}));
    let a = sys(&s, "a");
    assert_eq!((a.link, a.deadline, pu(a)), (LinkState::Connected, None, 2));
    assert_eq!(pu(sys(&s, "b")), 6);
}

fn with_voicemail(sec_licenses: Vec<Value>) -> Model {
    let mut sec = json!({"name": "s", "role": "secondary", "sid": "S", "release": "9.1",
        "voicemail_pro": true, "needs": {"voicemail_channel": 1}, "licenses": sec_licenses});
    sec["link"] = json!("up");
    let mut p = primary(
        json!({"voicemail_channel": 1}),
        vec![se_p(), lic("VC", "voicemail_channel", "P", 2)],
    );
    p["voicemail_pro"] = json!(true);
    load(vec![p, sec])
}

#[test]
fn r_vm_license() {
    let m = with_voicemail(vec![lic("L", "voicemail_channel", "S", 3)]);
    assert_eq!(
        sys(m.snapshot(), "s").voicemail,
        Some(Voicemail {
            running: false,
            channels: 0
        })
    );
}

#[test]
fn r_vm_default() {
    let m = with_voicemail(vec![
        lic("SE-S", "server_edition", "S", 1),
        lic("L", "voicemail_channel", "S", 3),
    ]);
    let vm = |n| {
        sys(m.snapshot(), n)
            .voicemail
            .map(|v| (v.running, v.channels))
    };
    assert_eq!(vm("p"), Some((true, 3)));
    assert_eq!(vm("s"), Some((true, 6)));
}

#[test]
fn r_vm_failover() {
    for (local, want) in [(3, (true, 3)), (0, (false, 0))] {
        let mut m = with_voicemail(vec![
            lic("SE-S", "server_edition", "S", 1),
            lic("L", "voicemail_channel", "S", local),
        ]);
        let s = apply(&mut m, json!({"link_down": {"system": "s"}}));
        let vm = sys(&s, "s").voicemail.map(|v| (v.running, v.channels));
        assert_eq!(vm, Some(want), "local {local}");
    }
}

#[test]
fn r_atomic() {
    let mut m = two_expansions(10, 0, 6, 6);
    let before = m.snapshot().clone();
    for bad in [
        json!({"link_down": {"system": "p"}}),
        json!({"remove_license": {"system": "a", "key": "nope"}}),
        json!({"set_need": {"system": "a", "kind": "ccc", "count": 1}}),
        json!({"add_license": {"system": "a", "license": {"key": "k", "kind": "ccc", "sid": "", "count": 1}}}),
        json!({"advance": {"seconds": 1}, "link_up": {"system": "a"}}),
    ] {
        let e = m.apply_json(&bad, "event").unwrap_err();
        assert!(matches!(e, ModelError::InvalidEvent(_)), "{bad}");
        assert_eq!(m.snapshot(), &before, "{bad}");
    }
}

#[test]
fn r_total() {
    let mut m = load(vec![primary(
        json!({"power_user": u32::MAX}),
        vec![
            se_p(),
            lic("A", "power_user", "P", u32::MAX.into()),
            lic("B", "power_user", "P", u32::MAX.into()),
        ],
    )]);
    assert_eq!(
        m.snapshot().pool.get(Kind::PowerUser),
        2 * u64::from(u32::MAX)
    );
    let s = apply(&mut m, json!({"advance": {"seconds": u64::MAX}}));
    let s2 = apply(&mut m, json!({"advance": {"seconds": u64::MAX}}));
    assert_eq!((s.now, s2.now), (u64::MAX, u64::MAX));
    for bad in [
        json!(null),
        json!("x"),
        json!([1]),
        json!({"systems": "no"}),
    ] {
        assert!(Model::load(&bad, "network").is_err());
    }
    let e = Model::load(&json!({"systems": []}), "network").unwrap_err();
    assert_eq!(e.message(), "network.systems: no primary");
    assert_eq!(
        e.to_string(),
        "invalid network: network.systems: no primary"
    );
}

#[test]
fn planning_without_snapshots_tracks_deadlines_and_rejections() {
    let mut m = two_expansions(10, 0, 6, 6);
    assert_eq!(m.next_deadline(), None);
    let ev = |v: Value| Event::from_json(&v, "event").unwrap();
    m.apply_unobserved(&ev(json!({"advance": {"seconds": 5}})))
        .unwrap();
    m.apply_unobserved(&ev(json!({"link_down": {"system": "a"}})))
        .unwrap();
    assert_eq!((m.now(), m.next_deadline()), (5, Some(5 + GRACE_SECONDS)));
    assert!(m
        .apply_unobserved(&ev(json!({"link_down": {"system": "p"}})))
        .is_err());
    m.apply_unobserved(&ev(json!({"advance": {"seconds": GRACE_SECONDS}})))
        .unwrap();
    assert_eq!(m.next_deadline(), None);
    let previous = m
        .apply_keeping_previous(&ev(json!({"restart": {"system": "b"}})))
        .unwrap();
    assert_eq!(previous.now, 0, "the snapshot was stale while planning");
    assert_eq!(m.snapshot().now, 5 + GRACE_SECONDS);
}

#[test]
fn r_order_rules_mode_adopts_a_lawful_split() {
    let mut m = two_expansions(10, 0, 6, 6);
    let mut other = m.snapshot().clone();
    // R-ORDER gives a 6, b 4; another lawful split gives a 4, b 6.
    other.systems[1].in_effect.insert(Kind::PowerUser, 4);
    other.systems[2].in_effect.insert(Kind::PowerUser, 6);
    let s = m.adopt_split(&other).unwrap().clone();
    assert_eq!((pu(sys(&s, "a")), pu(sys(&s, "b"))), (4, 6));
    assert_eq!(sys(&s, "b").reserved.get(Kind::PowerUser), 6);
    // Later frozen shares follow the adopted split.
    let s = apply(&mut m, json!({"link_down": {"system": "b"}}));
    assert_eq!(sys(&s, "b").reserved.get(Kind::PowerUser), 6);
    assert_eq!(pu(sys(&s, "a")), 4);
    // Over need or over capacity is refused and changes nothing.
    let before = m.snapshot().clone();
    let mut greedy = before.clone();
    greedy.systems[1].in_effect.insert(Kind::PowerUser, 7);
    assert!(m.adopt_split(&greedy).is_err());
    assert_eq!(m.snapshot(), &before);
}

/// Section 1: an optional field written `null` is not absent: the network is
/// invalid, and the message names the field.
#[test]
fn a_field_written_null_is_an_invalid_network() {
    for field in [
        "licenses",
        "needs",
        "sid",
        "release",
        "link",
        "voicemail_pro",
    ] {
        let mut exp = expansion("e", "E", json!({}));
        exp[field] = Value::Null;
        let net = json!({"systems": [primary(json!({}), vec![se_p()]), exp]});
        let e = Model::load(&net, "network").expect_err(field);
        assert!(
            e.to_string().contains(field) || e.to_string().contains("null"),
            "{field}: {e}"
        );
    }
    let mut portal = json!({"name": "p", "role": "one_x_portal"});
    portal["licenses"] = Value::Null;
    let net = json!({"systems": [primary(json!({}), vec![se_p()]), portal]});
    assert!(Model::load(&net, "network").is_err());
}
