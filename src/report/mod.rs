//! Human- and machine-readable reports. No rule lives here: reports only format
//! what the model and the checkers found.

pub mod html;
pub mod merge;
pub mod record;
pub mod text;
pub mod verify;
