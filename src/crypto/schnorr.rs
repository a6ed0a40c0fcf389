//! Schnorr proofs of knowledge of a discrete logarithm, and Schnorr signatures.
//!
//! Both are the same sigma protocol; they differ only in the transcript (see
//! [`transcript`](super::transcript)): a signature's transcript absorbs the message, a proof
//! of knowledge's the position of the key it is about.
//!
//! ```text
//! statement   X = x·g
//! prover      k ←$ Z_ℓ,  R = k·g,  c = H(transcript ‖ R),  z = k + c·x
//! proof       (R, z)                                        64 bytes
//! verifier    z·g − R − c·X = 0
//! ```
//!
//! The commitment `R` is carried (rather than the challenge `c`) so that proofs can be
//! verified in batches; for Schnorr both forms are the same size.

use curve25519_dalek::scalar::Scalar;
use rand::CryptoRng;
use serde::{Deserialize, Serialize};

use super::Result;
use super::batch::{Base, BatchVerifier, Item};
use super::group::{Element, SecretScalar, hex_scalar};
use super::transcript::ChallengeTranscript;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchnorrProof {
    pub commitment: Element,
    #[serde(with = "hex_scalar")]
    pub response: Scalar,
}

impl SchnorrProof {
    /// The binary form: `R ‖ z`, 64 bytes.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(self.commitment.as_bytes());
        out[32..].copy_from_slice(self.response.as_bytes());
        out
    }

    /// Proves knowledge of `secret` = log_g of the statement's key.
    pub fn prove<R: CryptoRng + ?Sized>(
        mut transcript: ChallengeTranscript,
        secret: &SecretScalar,
        rng: &mut R,
    ) -> Self {
        let k = SecretScalar::random(rng);
        let commitment = k.public();
        transcript.commit(&commitment);
        let c = transcript.challenge();
        SchnorrProof { commitment, response: k.expose() + c * secret.expose() }
    }

    /// Proves knowledge of `secret` = log_base of the statement's key, for a base other than
    /// `g` (a ballot's signature under the credential base `h`): `R = k·h`, `z = k + c·x`.
    pub fn prove_with_base<R: CryptoRng + ?Sized>(
        mut transcript: ChallengeTranscript,
        secret: &SecretScalar,
        base: &Element,
        rng: &mut R,
    ) -> Self {
        let k = SecretScalar::random(rng);
        let commitment = Element::from_point(base.point() * k.expose());
        transcript.commit(&commitment);
        let c = transcript.challenge();
        SchnorrProof { commitment, response: k.expose() + c * secret.expose() }
    }

    /// Adds `z·h − R − c·X = 0` to an item, `h` given as a batch base (shared where many
    /// proofs have it: the credential base of every ballot).
    pub fn add_to_with_base(
        &self,
        mut transcript: ChallengeTranscript,
        public: &Element,
        base: Base,
        item: &mut Item<'_>,
    ) {
        transcript.commit(&self.commitment);
        let c = transcript.challenge();
        let w = item.weight();
        item.term(w * self.response, base);
        item.term(-w, Base::Point(*self.commitment.point()));
        item.term(-w * c, Base::Point(*public.point()));
    }

    /// Adds `z·g − R − c·X = 0` to `batch` as one item.
    pub fn add_to_batch(&self, transcript: ChallengeTranscript, public: &Element, batch: &mut BatchVerifier) {
        self.add_to(transcript, public, &mut batch.item());
    }

    /// Adds `z·g − R − c·X = 0` to an item that may hold other proofs' equations too.
    pub fn add_to(&self, mut transcript: ChallengeTranscript, public: &Element, item: &mut Item<'_>) {
        transcript.commit(&self.commitment);
        let c = transcript.challenge();
        let w = item.weight();
        item.term(w * self.response, Base::G);
        item.term(-w, Base::Point(*self.commitment.point()));
        item.term(-w * c, Base::Point(*public.point()));
    }

    /// Verifies this proof alone.
    pub fn verify(&self, transcript: ChallengeTranscript, public: &Element) -> Result<()> {
        let mut batch = BatchVerifier::new();
        self.add_to_batch(transcript, public, &mut batch);
        batch
            .verify()
            .map_err(|_| super::CryptoError::InvalidProof {
                proof: "Schnorr proof", reason: "z·g ≠ R + c·X".into()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::Fingerprint;
    use crate::crypto::transcript;

    const FP: Fingerprint = Fingerprint([9; 32]);

    #[test]
    fn signature_binds_message_key_and_election() {
        let mut rng = rand::rng();
        let x = SecretScalar::random(&mut rng);
        let cred = x.public();
        let msg = [1u8; 32];
        let sig = SchnorrProof::prove(transcript::ballot_signature(&FP, &msg, &cred), &x, &mut rng);
        assert!(sig.verify(transcript::ballot_signature(&FP, &msg, &cred), &cred).is_ok());
        assert!(sig.verify(transcript::ballot_signature(&FP, &[2; 32], &cred), &cred).is_err());
        assert!(sig.verify(transcript::ballot_signature(&Fingerprint([8; 32]), &msg, &cred), &cred).is_err());
        let other = SecretScalar::random(&mut rng).public();
        assert!(sig.verify(transcript::ballot_signature(&FP, &msg, &other), &other).is_err());
    }

    #[test]
    fn signatures_under_another_base_verify_only_under_it() {
        let mut rng = rand::rng();
        let x = SecretScalar::random(&mut rng);
        let h = SecretScalar::random(&mut rng).public();
        let cred = Element::from_point(h.point() * x.expose());
        let msg = [3u8; 32];
        let t = || transcript::ballot_signature(&FP, &msg, &cred);
        let sig = SchnorrProof::prove_with_base(t(), &x, &h, &mut rng);
        let check = |base: Base, key: &Element| {
            let mut batch = BatchVerifier::with_shared_bases(vec![*h.point()]);
            sig.add_to_with_base(t(), key, base, &mut batch.item());
            batch.verify().is_ok()
        };
        assert!(check(Base::Shared(0), &cred));
        assert!(check(Base::Point(*h.point()), &cred));
        assert!(!check(Base::G, &cred), "not under g");
        assert!(!check(Base::Shared(0), &x.public()), "not for x·g");
    }

    #[test]
    fn every_field_is_checked() {
        let mut rng = rand::rng();
        let x = SecretScalar::random(&mut rng);
        let key = x.public();
        let t = || transcript::coefficient_pok(&FP, 1, 0, &key);
        let proof = SchnorrProof::prove(t(), &x, &mut rng);
        assert!(proof.verify(t(), &key).is_ok());
        let mut bad = proof;
        bad.response += Scalar::ONE;
        assert!(bad.verify(t(), &key).is_err());
        let mut bad = proof;
        bad.commitment = Element::generator();
        assert!(bad.verify(t(), &key).is_err());
        // Moved to another position of the same key.
        assert!(proof.verify(transcript::coefficient_pok(&FP, 2, 0, &key), &key).is_err());
        assert!(proof.verify(transcript::coefficient_pok(&FP, 1, 1, &key), &key).is_err());
    }
}
