//! The catalogue rendered for people and tools: `selc rules` and `docs/rules.md`.

use std::fmt::Write as _;

use super::catalogue::{Source, RULES};

/// The catalogue as plain text (`selc rules`).
pub fn to_text() -> String {
    let mut out = String::new();
    for r in RULES {
        let _ = writeln!(out, "{:<18} {}", r.id, r.statement);
        if r.source == Source::ReferenceChoice {
            let _ = writeln!(out, "{:<18} (reference choice)", "");
        }
        if let Some(q) = r.quote {
            let _ = writeln!(out, "{:<18} \"{q}\"", "");
        }
    }
    out
}

/// The catalogue as JSON (`selc rules --format json`).
pub fn to_json() -> String {
    serde_json::to_string_pretty(RULES).unwrap_or_default() + "\n"
}

/// The catalogue as Markdown: the content of `docs/rules.md`.
pub fn to_markdown() -> String {
    let mut out = String::from(
        "# The rules selc checks\n\n\
         Generated from `src/rules.rs` by `selc rules --format markdown`; do not edit by hand \
         (a test fails when this file is stale; `SELC_BLESS=1 cargo test` rewrites it).\n\n\
         Source: the product description of the Avaya IP Office R9 Server Edition Upgrade ADI \
         License (material code 302260). *seed* rules come straight from it; a *reference \
         choice* is where the description is silent: the reference model does exactly that, \
         and an implementation checked in `rules` mode may choose otherwise within the stated \
         bounds; *model* rules follow from how the model is specified.\n",
    );
    let mut section = "";
    for r in RULES {
        if r.section != section {
            section = r.section;
            let _ = write!(
                out,
                "\n## {section}\n\n| ID | source | rule |\n| --- | --- | --- |\n"
            );
        }
        let source = match r.source {
            Source::Seed => "seed",
            Source::ReferenceChoice => "reference choice",
            Source::Model => "model",
        };
        let quote = r
            .quote
            .map(|q| format!("<br>*\"{q}\"*"))
            .unwrap_or_default();
        let _ = writeln!(out, "| `{}` | {source} | {}{quote} |", r.id, r.statement);
    }
    out
}
