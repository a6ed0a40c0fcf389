//! The bulletin board as a running service's storage: the election's log in SQLite, every
//! append validated first, signed checkpoints, receipts, and the export of the record.
//!
//! This is the impure side of the log (files, a database); the observers' verifier does not
//! depend on it. What the board stores, and nothing else: the events (which hold no
//! identities), their leaf hashes, its signed checkpoints, witnesses' co-signatures, and
//! what it derives from the events (the Merkle tree's nodes, digests and credentials already
//! on the log, counts), so that it never has to replay them.

pub mod auth;
pub mod check;
pub mod client;
pub mod desk;
pub mod guard;
pub mod listen;
pub mod lock;
pub mod reader;
pub mod schema;
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
    /// Another process is the board's writer.
    #[error("the board in {dir} has another writer ({holder}): send this step to that server, or stop it first")]
    Busy { dir: String, holder: String },
    /// A size or index outside the log.
    #[error("{0}")]
    Range(String),
    #[error("{0}")]
    Io(String),
}

impl From<rusqlite::types::FromSqlError> for BoardError {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        BoardError::Storage { path: "election.db".into(), reason: e.to_string() }
    }
}

impl From<rusqlite::Error> for BoardError {
    fn from(e: rusqlite::Error) -> Self {
        BoardError::Storage { path: "election.db".into(), reason: e.to_string() }
    }
}
