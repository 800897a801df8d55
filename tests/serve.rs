//! `selc serve` as a subprocess: it agrees with the in-process model on every
//! golden scenario, and answers every line of garbage with exactly one line.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;

use serde_json::{json, Value};

use selc::gen::large::XorShift;
use selc::protocol::Answer;
use selc::run::run_scenario;
use selc::scenario::Scenario;

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_selc"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start selc serve");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
        }
    }

    fn ask(&mut self, req: &Value) -> Value {
        writeln!(self.stdin, "{req}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad response {line:?}: {e}"))
    }
}

#[test]
fn serve_agrees_with_run_on_every_golden_scenario() {
    let mut server = Server::start();
    let hello = server.ask(&json!({"op": "hello", "protocol": 1}));
    assert_eq!(hello["ok"], true);
    assert_eq!(hello["protocol"], 1);
    for (path, text) in selc::golden::scenarios() {
        let s = Scenario::from_json_str(text).unwrap();
        let steps = run_scenario(&s).unwrap();
        let requests = std::iter::once(json!({"op": "load", "network": s.network}))
            .chain(s.events.iter().map(|e| json!({"op": "apply", "event": e})));
        let mut last = None;
        for (step, req) in steps.iter().zip(requests) {
            let resp = server.ask(&req);
            match &step.outcome {
                Answer::Snapshot(snap) => {
                    assert_eq!(resp["ok"], true, "{path}: {req} -> {resp}");
                    assert_eq!(resp["snapshot"], snap.to_value(), "{path}: {req}");
                    last = Some(snap.to_value());
                }
                Answer::Rejected { code, .. } => {
                    assert_eq!(resp["ok"], false, "{path}: {req}");
                    assert_eq!(resp["error"]["code"], code.as_str(), "{path}: {req}");
                    assert!(resp["error"]["message"]
                        .as_str()
                        .is_some_and(|m| !m.is_empty()));
                    // R-ATOMIC over the protocol: the state is unchanged.
                    if let Some(last) = &last {
                        let now = server.ask(&json!({"op": "snapshot"}));
                        assert_eq!(&now["snapshot"], last, "{path}: state changed by {req}");
                    }
                }
            }
        }
    }
    assert_eq!(server.ask(&json!({"op": "bye"})), json!({"ok": true}));
    assert!(server.child.wait().unwrap().success());
}

/// A number in `0..n`.
fn pick(rng: &mut XorShift, n: usize) -> usize {
    rng.below(n as u64) as usize
}

fn garbage_lines(n: usize) -> Vec<Vec<u8>> {
    let network = json!({"systems": [
        {"name": "p", "role": "primary", "sid": "P", "release": "9.1",
         "needs": {"power_user": 2},
         "licenses": [{"key": "SE", "kind": "server_edition", "sid": "P", "count": 1},
                      {"key": "PU", "kind": "power_user", "sid": "P", "count": 5}]},
        {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "needs": {"power_user": 9},
         "licenses": [{"key": "SE-E", "kind": "server_edition", "sid": "E", "count": 1}]}]});
    let valid: Vec<String> = vec![
        json!({"op": "hello", "protocol": 1}).to_string(),
        json!({"op": "load", "network": network}).to_string(),
        json!({"op": "apply", "event": {"link_down": {"system": "e"}}}).to_string(),
        json!({"op": "apply", "event": {"advance": {"seconds": 1296000}}}).to_string(),
        json!({"op": "apply", "event": {"set_need": {"system": "p", "kind": "power_user", "count": 4}}}).to_string(),
        json!({"op": "snapshot"}).to_string(),
    ];
    let wrong_types = [
        r#"{"op":"hello","protocol":"1"}"#,
        r#"{"op":"load","network":{"systems":{}}}"#,
        r#"{"op":"load","network":{"systems":[{"name":1}]}}"#,
        r#"{"op":"apply","event":{"advance":{"seconds":"5"}}}"#,
        r#"{"op":"apply","event":{"set_need":{"system":"p","kind":"power_user","count":-1}}}"#,
        r#"{"op":"apply","event":[]}"#,
        r#"{"op":["load"]}"#,
        r#"{"op":"snapshot","extra":null}"#,
        r#"{"op":"apply","event":{"link_up":{"system":null}}}"#,
        r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["#,
    ];
    let mut rng = XorShift(0x5e1c_0001);
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        let line: Vec<u8> = match pick(&mut rng, 5) {
            0 => {
                let len = pick(&mut rng, 200);
                (0..len)
                    .map(|_| rng.next_u64() as u8)
                    .filter(|&b| b != b'\n')
                    .collect()
            }
            1 => {
                let v = &valid[pick(&mut rng, valid.len())];
                v.as_bytes()[..pick(&mut rng, v.len() + 1)].to_vec()
            }
            2 => wrong_types[pick(&mut rng, wrong_types.len())]
                .as_bytes()
                .to_vec(),
            3 => valid[pick(&mut rng, valid.len())].as_bytes().to_vec(),
            _ => {
                // A valid request with one byte flipped.
                let mut v = valid[pick(&mut rng, valid.len())].as_bytes().to_vec();
                let i = pick(&mut rng, v.len());
                v[i] = (rng.next_u64() as u8) | 1;
                v.retain(|&b| b != b'\n');
                v
            }
        };
        lines.push(line);
    }
    // A 10 MB line, and a line of only a carriage return.
    let mut huge = b"{\"op\":\"load\",\"network\":{\"systems\":[".to_vec();
    huge.resize(10 << 20, b' ');
    lines.push(huge);
    lines.push(b"\r".to_vec());
    lines
}

#[test]
fn serve_answers_every_garbage_line_with_exactly_one_line() {
    let lines = garbage_lines(10_000);
    let count = lines.len();
    let mut server = Server::start();
    let mut stdin = server.stdin;
    let writer = thread::spawn(move || {
        for l in &lines {
            stdin.write_all(l).unwrap();
            stdin.write_all(b"\n").unwrap();
        }
        // Dropping stdin is end of input: the server must exit cleanly.
    });
    let mut answered = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if server.stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let v: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("line {answered}: {e}: {line}"));
        match v["ok"] {
            Value::Bool(true) => {}
            Value::Bool(false) => {
                let code = v["error"]["code"].as_str().unwrap();
                assert!(
                    ["bad_request", "invalid_network", "invalid_event"].contains(&code),
                    "{v}"
                );
            }
            _ => panic!("no ok field: {v}"),
        }
        answered += 1;
    }
    writer.join().unwrap();
    assert!(
        server.child.wait().unwrap().success(),
        "serve must exit 0 at end of input"
    );
    assert_eq!(answered, count);
}
