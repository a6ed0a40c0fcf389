//! The bulletin board's log as data: its events and their legal order, the RFC 6962 Merkle
//! tree over them, and signed checkpoints. Pure library code: the board stores and serves
//! it, the observers' verifier checks it.

pub mod checkpoint;
pub mod event;
pub mod merkle;
pub mod record;
pub mod state;
