//! The observer's verifier: every check of an election record, numbered, each with its
//! outcome. It depends only on the pure library (`crypto`, `election`, `log`): no server, no
//! database, so the code an observer must trust stays small.
//!
//! `specs/verifier.md` describes every check; `dauys-verify` (src/bin) prints the report.

pub mod before_decrypting;
pub mod bound;
pub mod checks;
pub mod engine;
pub mod finding;
pub mod html;
pub mod report;

pub use checks::Check;
pub use engine::{Options, Proven, Report, Summary, Verdict, verify};
pub use finding::Finding;

/// `dauys-verify`'s exit status for a record that cannot be read.
pub const EXIT_UNREADABLE: u8 = 2;
