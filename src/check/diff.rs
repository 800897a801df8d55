//! A field-by-field difference between two JSON values: the form in which every
//! mismatch is reported.

use serde_json::Value;

/// One place where two values differ. `None` means the field is absent on that side.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDiff {
    /// JSON path, e.g. `systems[1].in_effect.power_user`.
    pub path: String,
    /// The expected value there.
    pub expected: Option<Value>,
    /// The actual value there.
    pub actual: Option<Value>,
}

/// Every leaf where `expected` and `actual` differ, in a stable order (object keys
/// sorted, array elements by index).
pub fn diff_values(expected: &Value, actual: &Value) -> Vec<ValueDiff> {
    let mut out = Vec::new();
    walk(String::new(), Some(expected), Some(actual), &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: String, e: Option<&Value>, a: Option<&Value>, out: &mut Vec<ValueDiff>) {
    match (e, a) {
        (Some(Value::Object(eo)), Some(Value::Object(ao))) => {
            let mut keys: Vec<&String> = eo.keys().chain(ao.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                walk(join(&path, k), eo.get(k), ao.get(k), out);
            }
        }
        (Some(Value::Array(ea)), Some(Value::Array(aa))) => {
            for i in 0..ea.len().max(aa.len()) {
                walk(format!("{path}[{i}]"), ea.get(i), aa.get(i), out);
            }
        }
        (e, a) if e != a => out.push(ValueDiff {
            path: if path.is_empty() { ".".into() } else { path },
            expected: e.cloned(),
            actual: a.cloned(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_leaves_missing_and_extra() {
        let d = diff_values(
            &json!({"a": {"x": 1, "y": [1, 2]}, "b": 1}),
            &json!({"a": {"x": 2, "y": [1]}, "c": 1}),
        );
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["a.x", "a.y[1]", "b", "c"]);
        assert_eq!(d[2].actual, None);
        assert_eq!(d[3].expected, None);
        assert!(diff_values(&json!({"a": [1]}), &json!({"a": [1]})).is_empty());
    }
}
