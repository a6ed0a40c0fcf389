//! Chaum–Pedersen proofs of equal discrete logarithms, plain and disjunctive.
//!
//! The general statement, over the generator `g` and a second base `H`, with public points
//! `X`, `Y` and public integer offsets `o_0 … o_{n−1}`:
//!
//! ```text
//!     ∃ j, x:   X = x·g   and   Y − o_j·g = x·H
//! ```
//!
//! * n = 1, o = (0): the plain Chaum–Pedersen proof `log_g X = log_H Y` (decryption shares:
//!   `H = α`, `X = VK_i`, `Y = D_i`; complaints: `H = R`, `X = E_j`, `Y = S`).
//! * o = [lo, …, hi], `H = K`, `X = α`, `Y = β`: the ciphertext `(α, β)` encrypts some
//!   `m ∈ [lo, hi]` (see [`range`](super::range)).
//!
//! Prover, knowing the true branch `k` and `x` (Cramer–Damgård–Schoenmakers OR-composition):
//!
//! ```text
//! for j ≠ k:  c_j, z_j ←$ Z_ℓ,   A_j = z_j·g − c_j·X,   B_j = z_j·H − c_j·(Y − o_j·g)
//! for j = k:  w ←$ Z_ℓ,          A_k = w·g,             B_k = w·H
//! c = H(transcript ‖ A_0 ‖ B_0 ‖ … ‖ A_{n−1} ‖ B_{n−1})
//! c_k = c − Σ_{j≠k} c_j,   z_k = w + c_k·x
//! ```
//!
//! Since `X = x·g` and `Y = x·H + o_k·g`, a simulated branch is also
//!
//! ```text
//!     A_j = (z_j − c_j·x)·g,   B_j = (z_j − c_j·x)·H + c_j·(o_j − o_k)·g
//! ```
//!
//! so every branch, true or simulated, is `A_j = u_j·g`, `B_j = u_j·H + v_j·g` with
//! `(u_k, v_k) = (w, 0)`: three fixed-base multiplications (tables for `g` and the election
//! key) instead of two variable-base ones per simulated branch. The prover computes every
//! branch the same way and selects its scalars in constant time, so its timing does not
//! depend on `k` (which is the vote).
//!
//! Proof: `(A_j, B_j)` for all j, `c_0 … c_{n−2}`, `z_0 … z_{n−1}`. The verifier sets
//! `c_{n−1} = c − Σ_{j<n−1} c_j` and checks, for every j,
//!
//! ```text
//!     z_j·g − A_j − c_j·X = 0
//!     z_j·H − B_j − c_j·Y + c_j·o_j·g = 0
//! ```
//!
//! The commitments are carried so that these equations can join a batch (see
//! `specs/protocol.md` §6 for the measurements behind that choice).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::batch::{Base, BatchVerifier, Item};
use super::group::{Element, SecretScalar, hex_scalar, hex_scalars, mul_g, random_scalar};
use super::transcript::ChallengeTranscript;
use super::{CryptoError, Result};

/// The public part of a (disjunctive) equal-discrete-log statement, for the verifier.
pub struct DleqStatement<'a> {
    /// The second base `H`.
    pub h: Base,
    pub x: Base,
    pub y: Base,
    pub offsets: &'a [u64],
}

/// What the prover needs: multiplication by `H` (a table where `H` is the election key), the
/// statement's offsets and the witness. The points `X = x·g` and `Y = x·H + o_k·g` follow
/// from these.
pub struct DleqWitness<'a, F: Fn(&Scalar) -> RistrettoPoint> {
    pub h_mul: F,
    pub offsets: &'a [u64],
    /// Index of the true branch. Secret.
    pub branch: usize,
    /// `x` with `X = x·g`. Secret.
    pub secret: &'a Scalar,
}

/// A disjunctive proof in its carried form: all commitments, all challenges but the last,
/// all responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisjunctiveProof {
    #[serde(with = "hex_scalars")]
    pub challenges: Vec<Scalar>,
    pub commitments: Vec<(Element, Element)>,
    #[serde(with = "hex_scalars")]
    pub responses: Vec<Scalar>,
}

impl DisjunctiveProof {
    /// The binary form: `u64_le(n) ‖ A_0 ‖ B_0 ‖ … ‖ A_{n−1} ‖ B_{n−1} ‖ c_0 ‖ … ‖ c_{n−2} ‖ z_0 ‖ … ‖ z_{n−1}`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.commitments.len();
        let mut out = Vec::with_capacity(8 + 32 * (4 * n));
        out.extend_from_slice(&(n as u64).to_le_bytes());
        for (a, b) in &self.commitments {
            out.extend_from_slice(a.as_bytes());
            out.extend_from_slice(b.as_bytes());
        }
        for s in self.challenges.iter().chain(&self.responses) {
            out.extend_from_slice(s.as_bytes());
        }
        out
    }

    pub fn prove<R, F>(mut transcript: ChallengeTranscript, w: &DleqWitness<'_, F>, rng: &mut R) -> Self
    where
        R: CryptoRng + ?Sized,
        F: Fn(&Scalar) -> RistrettoPoint,
    {
        let n = w.offsets.len();
        // Callers (the range proof, Chaum–Pedersen) guarantee these; a violation is a bug.
        assert!(n > 0 && w.branch < n, "a disjunctive proof needs a true branch among its {n} branches");
        let nonce = SecretScalar::random(rng);
        let branch = w.branch as u64;

        // One branch: it is the true one, so nothing about it is secret and nothing needs
        // simulating (Chaum–Pedersen proofs, contest sums with min = max).
        if n == 1 {
            let (real_a, real_b) = (mul_g(nonce.expose()), (w.h_mul)(nonce.expose()));
            let commitments = vec![(Element::from_point(real_a), Element::from_point(real_b))];
            transcript.commit(&commitments[0].0);
            transcript.commit(&commitments[0].1);
            let c = transcript.challenge();
            return DisjunctiveProof {
                commitments,
                challenges: vec![],
                responses: vec![nonce.expose() + c * w.secret],
            };
        }

        // o_k, selected in constant time.
        let mut o_real = Scalar::ZERO;
        for (j, offset) in w.offsets.iter().enumerate() {
            o_real.conditional_assign(&Scalar::from(*offset), (j as u64).ct_eq(&branch));
        }
        let mut sim_c = Vec::with_capacity(n);
        let mut sim_z = Vec::with_capacity(n);
        let mut commitments = Vec::with_capacity(n);
        for (j, offset) in w.offsets.iter().enumerate() {
            let (c, z) = (random_scalar(rng), random_scalar(rng));
            let is_real = (j as u64).ct_eq(&branch);
            // (u, v) = (z − c·x, c·(o_j − o_k)) when simulated, (w, 0) when true.
            let mut u = Scalar::conditional_select(&(z - c * w.secret), nonce.expose(), is_real);
            let mut v = Scalar::conditional_select(&(c * (Scalar::from(*offset) - o_real)), &Scalar::ZERO, is_real);
            let a = mul_g(&u);
            let b = (w.h_mul)(&u) + mul_g(&v);
            u.zeroize();
            v.zeroize();
            commitments.push((Element::from_point(a), Element::from_point(b)));
            sim_c.push(c);
            sim_z.push(z);
        }
        o_real.zeroize();
        for (a, b) in &commitments {
            transcript.commit(a);
            transcript.commit(b);
        }
        let c = transcript.challenge();

        let mut others = Scalar::ZERO;
        for (j, cj) in sim_c.iter().enumerate() {
            others += Scalar::conditional_select(cj, &Scalar::ZERO, (j as u64).ct_eq(&branch));
        }
        let mut c_real = c - others;
        let mut z_real = nonce.expose() + c_real * w.secret;
        for j in 0..n {
            let is_real = (j as u64).ct_eq(&branch);
            sim_c[j].conditional_assign(&c_real, is_real);
            sim_z[j].conditional_assign(&z_real, is_real);
        }
        c_real.zeroize();
        z_real.zeroize();
        sim_c.truncate(n - 1);
        DisjunctiveProof { commitments, challenges: sim_c, responses: sim_z }
    }

    /// Checks the proof's shape against the statement (the number of branches comes from
    /// the statement, never from the proof).
    pub fn check_shape(&self, branches: usize, proof: &'static str) -> Result<()> {
        if branches == 0
            || self.commitments.len() != branches
            || self.responses.len() != branches
            || self.challenges.len() != branches - 1
        {
            return Err(CryptoError::InvalidProof {
                proof,
                reason: format!(
                    "expected {branches} commitment pairs, {} challenges and {branches} responses, found {}, {} and {}",
                    branches.saturating_sub(1),
                    self.commitments.len(),
                    self.challenges.len(),
                    self.responses.len()
                ),
            });
        }
        Ok(())
    }

    /// Adds the proof's `2n` equations to `item`. The shape must have been checked with
    /// [`check_shape`](Self::check_shape).
    pub fn add_to(&self, mut transcript: ChallengeTranscript, s: &DleqStatement<'_>, item: &mut Item<'_>) {
        for (a, b) in &self.commitments {
            transcript.commit(a);
            transcript.commit(b);
        }
        let c = transcript.challenge();
        let last = c - self.challenges.iter().sum::<Scalar>();

        let (mut g, mut h, mut x, mut y) = (Scalar::ZERO, Scalar::ZERO, Scalar::ZERO, Scalar::ZERO);
        for (j, ((a, b), z)) in self.commitments.iter().zip(&self.responses).enumerate() {
            let cj = self.challenges.get(j).unwrap_or(&last);
            let (u, v) = (item.weight(), item.weight());
            // u·(z_j·g − A_j − c_j·X) + v·(z_j·H − B_j − c_j·Y + c_j·o_j·g)
            g += u * z + v * cj * Scalar::from(s.offsets[j]);
            h += v * z;
            x -= u * cj;
            y -= v * cj;
            item.term(-u, Base::Point(*a.point()));
            item.term(-v, Base::Point(*b.point()));
        }
        item.term(g, Base::G);
        item.term(h, s.h);
        item.term(x, s.x);
        item.term(y, s.y);
    }
}

/// The plain Chaum–Pedersen proof `log_g X = log_H Y`: `(A, B, z)`, 96 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChaumPedersenProof {
    pub commitments: (Element, Element),
    #[serde(with = "hex_scalar")]
    pub response: Scalar,
}

impl ChaumPedersenProof {
    /// Proves `X = x·g` and `Y = x·H` for the `x` given (the transcript holds `X` and `Y`;
    /// the prover needs only `H` and `x`).
    pub fn prove<R: CryptoRng + ?Sized>(
        transcript: ChallengeTranscript,
        h: &RistrettoPoint,
        secret: &SecretScalar,
        rng: &mut R,
    ) -> Self {
        let witness = DleqWitness { h_mul: |s: &Scalar| s * h, offsets: &[0], branch: 0, secret: secret.expose() };
        let p = DisjunctiveProof::prove(transcript, &witness, rng);
        ChaumPedersenProof { commitments: p.commitments[0], response: p.responses[0] }
    }

    /// Adds `z·g − A − c·X = 0` and `z·H − B − c·Y = 0` to `batch` as one item.
    pub fn add_to_batch(&self, transcript: ChallengeTranscript, h: Base, x: Base, y: Base, batch: &mut BatchVerifier) {
        self.add_to(transcript, h, x, y, &mut batch.item());
    }

    /// Adds the two equations to an item that may hold other proofs' equations too.
    pub fn add_to(&self, transcript: ChallengeTranscript, h: Base, x: Base, y: Base, item: &mut Item<'_>) {
        let p = DisjunctiveProof {
            commitments: vec![self.commitments],
            challenges: vec![],
            responses: vec![self.response],
        };
        p.add_to(transcript, &DleqStatement { h, x, y, offsets: &[0] }, item);
    }

    pub fn verify(&self, transcript: ChallengeTranscript, h: &Element, x: &Element, y: &Element) -> Result<()> {
        let mut batch = BatchVerifier::new();
        let point = |e: &Element| Base::Point(*e.point());
        self.add_to_batch(transcript, point(h), point(x), point(y), &mut batch);
        batch.verify().map_err(|_| CryptoError::InvalidProof {
            proof: "Chaum–Pedersen proof",
            reason: "the discrete logarithms are not shown equal".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::elgamal::Ciphertext;
    use crate::crypto::group::Fingerprint;
    use crate::crypto::transcript;

    const FP: Fingerprint = Fingerprint([3; 32]);

    struct Share {
        ct: Ciphertext,
        vk: Element,
        d: Element,
        proof: ChaumPedersenProof,
    }

    fn share(trustee: u32, rng: &mut impl CryptoRng) -> Share {
        let s = SecretScalar::random(rng);
        let vk = s.public();
        let ct = Ciphertext { alpha: SecretScalar::random(rng).public(), beta: SecretScalar::random(rng).public() };
        let d = Element::from_point(s.expose() * ct.alpha.point());
        let t = transcript::decryption_share(&FP, trustee, (0, 1), &ct, &vk, &d);
        let proof = ChaumPedersenProof::prove(t, ct.alpha.point(), &s, rng);
        Share { ct, vk, d, proof }
    }

    fn verify(s: &Share, trustee: u32, position: (u32, u32), proof: &ChaumPedersenProof) -> Result<()> {
        let t = transcript::decryption_share(&FP, trustee, position, &s.ct, &s.vk, &s.d);
        proof.verify(t, &s.ct.alpha, &s.vk, &s.d)
    }

    #[test]
    fn complete_and_each_field_checked() {
        let mut rng = rand::rng();
        let s = share(2, &mut rng);
        assert!(verify(&s, 2, (0, 1), &s.proof).is_ok());
        let g = Element::generator();
        for i in 0..3 {
            let mut bad = s.proof;
            match i {
                0 => bad.commitments.0 = g,
                1 => bad.commitments.1 = g,
                _ => bad.response += Scalar::ONE,
            }
            assert!(verify(&s, 2, (0, 1), &bad).is_err(), "field {i}");
        }
        assert!(verify(&s, 3, (0, 1), &s.proof).is_err(), "another trustee");
        assert!(verify(&s, 2, (0, 2), &s.proof).is_err(), "another option");
        assert!(verify(&s, 2, (1, 1), &s.proof).is_err(), "another contest");
    }

    #[test]
    fn wrong_share_is_rejected() {
        let mut rng = rand::rng();
        let mut s = share(1, &mut rng);
        // A share for another secret, with the proof for the original one, under a transcript
        // that binds the wrong share.
        s.d = Element::from_point(s.d.point() + crate::crypto::group::G);
        assert!(verify(&s, 1, (0, 1), &s.proof).is_err());
    }
}
