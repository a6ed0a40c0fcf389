//! Threshold decryption of a tally ciphertext `(α, β)`.
//!
//! ```text
//! trustee i   D_i = s_i·α, with a Chaum–Pedersen proof  log_g VK_i = log_α D_i
//! combine     for a set S of at least t trustees:  M = β − Σ_{i∈S} λ_i·D_i  (= m·g)
//! verify      m·g = β − Σ_{i∈S} λ_i·D_i      for the published count m: no discrete log
//! ```

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand::CryptoRng;
use serde::{Deserialize, Serialize};

use super::{ThresholdParams, lagrange_at_zero};
use crate::crypto::batch::{Base, BatchVerifier};
use crate::crypto::dleq::ChaumPedersenProof;
use crate::crypto::elgamal::Ciphertext;
use crate::crypto::group::{Element, Fingerprint, SecretScalar};
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

/// Where a ciphertext sits in the tally: (contest index, option index).
pub type Position = (u32, u32);

/// One trustee's decryption share of one ciphertext, with its proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecryptionShare {
    pub proof: ChaumPedersenProof,
    pub share: Element,
    pub trustee: u32,
}

impl DecryptionShare {
    /// `D_i = s_i·α` with its proof, by trustee `trustee` holding `secret` = `s_i`.
    pub fn create<R: CryptoRng + ?Sized>(
        election: &Fingerprint,
        trustee: u32,
        secret: &SecretScalar,
        position: Position,
        ct: &Ciphertext,
        rng: &mut R,
    ) -> Self {
        let vk = secret.public();
        let share = Element::from_point(secret.expose() * ct.alpha.point());
        let t = transcript::decryption_share(election, trustee, position, ct, &vk, &share);
        let proof = ChaumPedersenProof::prove(t, ct.alpha.point(), secret, rng);
        DecryptionShare { trustee, share, proof }
    }

    /// Adds the proof's equations to `batch` as one item.
    pub fn add_to_batch(
        &self,
        election: &Fingerprint,
        position: Position,
        ct: &Ciphertext,
        verification_key: &Element,
        batch: &mut BatchVerifier,
    ) {
        let t = transcript::decryption_share(election, self.trustee, position, ct, verification_key, &self.share);
        let p = |e: &Element| Base::Point(*e.point());
        self.proof.add_to_batch(t, p(&ct.alpha), p(verification_key), p(&self.share), batch);
    }

    pub fn verify(
        &self,
        election: &Fingerprint,
        position: Position,
        ct: &Ciphertext,
        verification_key: &Element,
    ) -> Result<()> {
        let mut batch = BatchVerifier::new();
        self.add_to_batch(election, position, ct, verification_key, &mut batch);
        batch.verify().map_err(|_| CryptoError::InvalidProof {
            proof: "decryption share proof",
            reason: format!("trustee {}, contest {}, option {}", self.trustee, position.0, position.1),
        })
    }
}

/// `β − Σ λ_i·D_i` over exactly the given shares `(trustee, D_i)`. Without `t` of them the
/// result is meaningless; [`combine`] enforces the threshold.
pub fn interpolate(ct: &Ciphertext, shares: &[(u32, &Element)]) -> Result<RistrettoPoint> {
    let set: Vec<u32> = shares.iter().map(|(i, _)| *i).collect();
    let lambdas = lagrange_at_zero(&set)?;
    let removed = RistrettoPoint::vartime_multiscalar_mul(&lambdas, shares.iter().map(|(_, d)| d.point()));
    Ok(ct.beta.point() - removed)
}

/// `m·g` from at least `t` shares by distinct trustees.
pub fn combine(params: &ThresholdParams, ct: &Ciphertext, shares: &[(u32, &Element)]) -> Result<RistrettoPoint> {
    for (i, _) in shares {
        params.check_index(*i, "trustee")?;
    }
    if shares.len() < params.threshold as usize {
        return Err(CryptoError::Combination(format!(
            "{} share(s), the threshold is {}",
            shares.len(),
            params.threshold
        )));
    }
    interpolate(ct, shares)
}
