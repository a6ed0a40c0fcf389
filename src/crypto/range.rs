//! The range proof: a ciphertext `(α, β)` under the election key `K` encrypts some
//! `m ∈ [lo, hi]`.
//!
//! It is the disjunctive Chaum–Pedersen proof of [`dleq`](super::dleq) with `H = K`,
//! `X = α`, `Y = β` and offsets `lo, lo+1, …, hi`: branch `j` claims
//! `α = r·g` and `β − (lo+j)·g = r·K`.
//!
//! Used twice in a ballot: on each option's ciphertext with the option's bounds (`[0, 1]`
//! for a plain option), and on the sum of a contest's ciphertexts with the contest's
//! `[min, max]` number of marks. The bounds always come from the manifest, never from the
//! proof: the verifier derives the number of branches from them and rejects a proof of any
//! other shape.
//!
//! Size: `n = hi − lo + 1` branches cost `2n` points and `2n − 1` scalars, `(4n − 1)·32` bytes
//! (224 bytes for `[0, 1]`, 96 bytes for `[1, 1]`).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand::CryptoRng;
use serde::{Deserialize, Serialize};

use super::batch::{Base, BatchVerifier, Item};
use super::dleq::{DisjunctiveProof, DleqStatement, DleqWitness};
use super::elgamal::{EncryptionKey, message_point};
use super::group::mul_g;
use super::transcript::ChallengeTranscript;
use super::{CryptoError, Result};

/// The widest range a proof may cover; a wider one is refused, so that a manifest cannot make
/// proofs (and their verification) arbitrarily large.
pub const MAX_BRANCHES: u64 = 256;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RangeProof(pub DisjunctiveProof);

fn offsets((lo, hi): (u64, u64)) -> Result<Vec<u64>> {
    if lo > hi || hi - lo >= MAX_BRANCHES {
        return Err(CryptoError::Parameter(format!(
            "range [{lo}, {hi}] must be non-empty and span at most {MAX_BRANCHES} values"
        )));
    }
    Ok((lo..=hi).collect())
}

impl RangeProof {
    /// Proves that `(alpha, beta) = Enc(m; r)` under `key` with `m ∈ [lo, hi]`.
    #[allow(clippy::too_many_arguments)]
    pub fn prove<R: CryptoRng + ?Sized>(
        transcript: ChallengeTranscript,
        key: &EncryptionKey,
        alpha: &RistrettoPoint,
        beta: &RistrettoPoint,
        m: u64,
        r: &Scalar,
        bounds: (u64, u64),
        rng: &mut R,
    ) -> Result<Self> {
        let offsets = offsets(bounds)?;
        if m < bounds.0 || m > bounds.1 {
            return Err(CryptoError::Parameter(format!("value outside [{}, {}]", bounds.0, bounds.1)));
        }
        // The prover never uses the points (see `dleq`): a caller's mismatch would prove
        // another statement, so debug builds check it.
        debug_assert!(mul_g(r) == *alpha && key.mul(r) + message_point(m) == *beta, "(α, β) is not Enc(m; r)");
        let witness = DleqWitness {
            h_mul: |s: &Scalar| key.mul(s),
            offsets: &offsets,
            branch: (m - bounds.0) as usize,
            secret: r,
        };
        Ok(RangeProof(DisjunctiveProof::prove(transcript, &witness, rng)))
    }

    /// Adds the proof's equations to `batch` as one item, after checking that its shape
    /// matches `bounds`. `key`, `alpha` and `beta` are the statement's bases.
    pub fn add_to_batch(
        &self,
        transcript: ChallengeTranscript,
        key: Base,
        alpha: Base,
        beta: Base,
        bounds: (u64, u64),
        batch: &mut BatchVerifier,
    ) -> Result<()> {
        self.0.check_shape(offsets(bounds)?.len(), "range proof")?;
        self.add_to(transcript, key, alpha, beta, bounds, &mut batch.item())
    }

    /// As [`add_to_batch`](Self::add_to_batch), into an item that may hold other proofs'
    /// equations too (all the proofs of one ballot, say). On a shape error nothing is added.
    pub fn add_to(
        &self,
        transcript: ChallengeTranscript,
        key: Base,
        alpha: Base,
        beta: Base,
        bounds: (u64, u64),
        item: &mut Item<'_>,
    ) -> Result<()> {
        let offsets = offsets(bounds)?;
        self.0.check_shape(offsets.len(), "range proof")?;
        self.0.add_to(transcript, &DleqStatement { h: key, x: alpha, y: beta, offsets: &offsets }, item);
        Ok(())
    }

    /// Verifies this proof alone.
    pub fn verify(
        &self,
        transcript: ChallengeTranscript,
        key: &RistrettoPoint,
        alpha: &RistrettoPoint,
        beta: &RistrettoPoint,
        bounds: (u64, u64),
    ) -> Result<()> {
        let mut batch = BatchVerifier::new();
        self.add_to_batch(transcript, Base::Point(*key), Base::Point(*alpha), Base::Point(*beta), bounds, &mut batch)?;
        batch.verify().map_err(|_| CryptoError::InvalidProof {
            proof: "range proof",
            reason: format!("the ciphertext is not shown to encrypt a value in [{}, {}]", bounds.0, bounds.1),
        })
    }
}
