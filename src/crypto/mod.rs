//! The cryptographic core: everything the rest of dauys stands on, with no I/O.
//!
//! | module | job |
//! | --- | --- |
//! | [`group`] | ristretto255 points and scalars, canonical encodings, the JSON text form |
//! | [`elgamal`] | exponential ElGamal: keys, encryption, homomorphic addition |
//! | [`transcript`] | every Fiat–Shamir transcript, in one place |
//! | [`batch`] | random-linear-combination batch verification and failure location |
//! | [`decode`] | decoding many points at once, in AVX-512 IFMA lanes where the CPU has them |
//! | [`schnorr`] | Schnorr proofs of knowledge and Schnorr signatures |
//! | [`dleq`] | (disjunctive) Chaum–Pedersen proofs of equal discrete logarithms |
//! | [`range`] | the range proof that a ciphertext encrypts a value in `[lo, hi]` |
//! | [`threshold`] | dealerless t-of-n key generation and threshold decryption |
//! | [`dlog`] | recovering a small count from `g^m` by baby-step giant-step |
//! | [`shuffle`] | the verifiable shuffle of credentials with a common exponent |
//!
//! The normative description of every equation and hash input is `specs/protocol.md`.

pub mod batch;
pub mod decode;
pub mod dleq;
pub mod dlog;
pub mod elgamal;
pub mod group;
pub mod range;
pub mod schnorr;
pub mod shuffle;
pub mod threshold;
pub mod transcript;

use thiserror::Error;

/// Everything that can go wrong in the cryptographic core. Each variant says what failed
/// and where: the field of an encoding, the proof, the trustee.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// A point, scalar or other encoded value could not be decoded.
    #[error("{field}: {reason}")]
    Encoding { field: String, reason: String },

    /// A single proof failed verification.
    #[error("{proof} does not verify: {reason}")]
    InvalidProof { proof: &'static str, reason: String },

    /// A batch of verification equations failed; the items (in the order they were added)
    /// whose equations do not hold.
    #[error("batch verification failed for item(s) {failed:?}")]
    BatchFailed { failed: Vec<usize> },

    /// A statement or parameter is outside what the protocol allows.
    #[error("invalid parameter: {0}")]
    Parameter(String),

    /// A share that a dealer sent does not match the dealer's public commitments, or
    /// cannot be decrypted.
    #[error("share from trustee {dealer} to trustee {recipient} is bad: {reason}")]
    BadShare { dealer: u32, recipient: u32, reason: String },

    /// Fewer decryption shares than the threshold, or repeated trustees.
    #[error("cannot combine decryption shares: {0}")]
    Combination(String),

    /// The discrete logarithm is not in the searched range.
    #[error("no count in 0..={bound} decrypts to this value")]
    CountOutOfRange { bound: u64 },
}

pub type Result<T> = std::result::Result<T, CryptoError>;
