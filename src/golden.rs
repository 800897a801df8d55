//! The golden and regression scenarios shipped with selc, embedded in the binary
//! at build time so that `selc run` (and later `selc verify`) work from any
//! directory.

include!(concat!(env!("OUT_DIR"), "/golden.rs"));

/// Every embedded scenario as `(path relative to the crate root, text)`, sorted by path.
pub fn scenarios() -> &'static [(&'static str, &'static str)] {
    GOLDEN
}
