//! The bulletin board as a running service's storage: the election's log in SQLite, every
//! append validated first, signed checkpoints, receipts, and the export of the record.
//!
//! This is the impure side of the log (files, a database); the observers' verifier does not
//! depend on it. What the board stores, and nothing else: the events (which hold no
//! identities), their leaf hashes, and its signed checkpoints.

pub mod auth;
pub mod client;
pub mod guard;
pub mod listen;
pub mod server;
pub mod staff;
pub mod store;

use thiserror::Error;

use crate::log::state::Rejection;

#[derive(Debug, Error)]
pub enum BoardError {
    /// The event is not admissible; nothing was written.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error("board storage ({path}): {reason}")]
    Storage { path: String, reason: String },
    #[error("{0}")]
    Io(String),
}

impl From<rusqlite::Error> for BoardError {
    fn from(e: rusqlite::Error) -> Self {
        BoardError::Storage { path: "election.db".into(), reason: e.to_string() }
    }
}
