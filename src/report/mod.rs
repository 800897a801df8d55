//! Reports of what selc found. No rule lives here, and no format derives a
//! result: [`record`] holds the report of a `selc verify` run as a type
//! ([`record::Report`], with [`record::RunInfo`] and what the verdict rests
//! on), and every format renders it: [`terminal`] (text for people), [`junit`],
//! [`html`] (self-contained pages), JSON (serde, by [`mod@write`]). [`rerun`]
//! gives the command lines that rerun a run or replay a failure, [`escape`]
//! the escaping of identifiers for markup and terminals, [`merge`] shard
//! reports into the whole run's, [`text`] the text of `selc run`, and
//! [`mod@write`] writes every output asked for.

pub mod diff;
pub mod escape;
pub mod html;
pub mod junit;
pub mod merge;
pub mod observe;
pub mod record;
pub mod rerun;
pub mod terminal;
pub mod text;
pub mod write;
