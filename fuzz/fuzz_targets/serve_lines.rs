//! Arbitrary request lines fed to the `selc serve` request handler in process:
//! exactly one well-formed response per line, never a panic, and the state after
//! an error response unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selc::protocol::{Control, Session};

fuzz_target!(|data: &[u8]| {
    let mut session = Session::new();
    for line in data.split(|&b| b == b'\n') {
        let before = session.model().map(|m| m.snapshot().clone());
        let mut out = Vec::new();
        let control = session
            .write_reply(line, &mut out)
            .expect("writing to a Vec never fails");
        assert!(!out.contains(&b'\n'), "a response spans more than one line");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("every response is JSON");
        match v.get("ok") {
            Some(serde_json::Value::Bool(true)) => {}
            Some(serde_json::Value::Bool(false)) => {
                let code = v["error"]["code"].as_str().expect("an error has a code");
                assert!(
                    matches!(code, "bad_request" | "invalid_network" | "invalid_event"),
                    "{code}"
                );
                assert!(v["error"]["message"].is_string());
                // R-ATOMIC, and a rejected load keeps the previous case.
                let after = session.model().map(|m| m.snapshot().clone());
                assert_eq!(before, after, "state changed by a rejected request");
            }
            _ => panic!("response without a boolean ok: {v}"),
        }
        if control == Control::Exit {
            break;
        }
    }
});
