//! The election layer: manifest, counting rules, credentials, ballots, tally, record. Pure
//! library code (no I/O beyond what a caller passes in), so the observers' verifier can use
//! it without the board's server or database. The role code, which the verifier never needs,
//! has modules of its own: [`citizen_ca`] (the synthetic CA and the keys it issues),
//! [`registrar`] (the voter roll) and [`trustee`] (ceremony, shuffle, decryption).

pub mod ballot;
pub mod citizen_ca;
pub mod counting;
pub mod credential;
pub mod encoded;
pub mod manifest;
pub mod params;
pub mod pseudonym;
pub mod registrar;
pub mod registration;
pub mod report;
pub mod result_data;
pub mod tally;
pub mod trustee;
pub mod unlinking;

use thiserror::Error;

use crate::crypto::CryptoError;

/// Everything that can go wrong in the election layer, naming what and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ElectionError {
    /// The manifest is malformed or breaks a rule; `field` is its JSON path.
    #[error("manifest {field}: {reason}")]
    Manifest { field: String, reason: String },
    /// A voter's choices do not fit the manifest.
    #[error("choice: {0}")]
    Choice(String),
    /// The voter roll is malformed at `line` (1-based; 0 for the roll as a whole).
    #[error("roll line {line}: {reason}")]
    Roll { line: usize, reason: String },
    /// The voter roll has bad lines: every one, with its (1-based) number and why.
    #[error("the roll has {} bad line(s):{}", .0.len(), .0.iter().map(|(l, r)| format!("\n  roll line {l}: {r}")).collect::<String>())]
    RollLines(Vec<(usize, String)>),
    /// A credential string or list is malformed.
    #[error("credential: {0}")]
    Credential(String),
    /// A roll, registration or shuffle is malformed or does not verify.
    #[error("registration: {0}")]
    Registration(String),
    /// A ballot is malformed or does not verify.
    #[error("ballot {0}")]
    Ballot(String),
    /// A trustee's step cannot be taken.
    #[error("trustee: {0}")]
    Trustee(String),
    /// The tally, a decryption or a result is malformed or does not verify.
    #[error("tally: {0}")]
    Tally(String),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}
