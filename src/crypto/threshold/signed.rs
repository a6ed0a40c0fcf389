//! Trustee events signed by their seat (`specs/protocol.md` §7.8).
//!
//! The manifest names each trustee's identity key `I_i`, so the setup fingerprint `F_s`
//! binds it. Trustee `i`'s transport key `E_i` carries a Schnorr signature by `I_i`; every
//! other event of trustee `i` (dealing, complaint, ready, decryption) carries a Schnorr
//! signature by `E_i`'s secret `e_i`:
//!
//! ```text
//! digest     d = SHA-256(canonical JSON of the payload without its `signature` field)
//! signature  Schnorr by e_i under trustee-event-signature(F_s, i, kind, d, E_i)
//! ```
//!
//! so that nobody but the holder of seat `i` (not the board, which relays every event) can
//! post an event in seat `i`.

use rand::CryptoRng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::crypto::batch::BatchVerifier;
use crate::crypto::group::{Element, Fingerprint, SecretScalar};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

/// An event that trustee [`SeatSigned::seat`] signs with its transport secret.
pub trait SeatSigned: Serialize + Clone {
    /// The event's kind, as in the log (`dealing`, `complaint`, `ready`, `decryption`).
    const KIND: &'static str;

    /// The trustee whose seat the event is in (a complaint's is its recipient's).
    fn seat(&self) -> u32;

    fn signature(&self) -> Option<&SchnorrProof>;

    fn signature_mut(&mut self) -> &mut Option<SchnorrProof>;

    /// `SHA-256` of the payload's canonical JSON with the `signature` field left out.
    fn unsigned_digest(&self) -> [u8; 32] {
        let mut unsigned = self.clone();
        *unsigned.signature_mut() = None;
        let json = serde_json::to_vec(&unsigned).expect("events always serialize");
        Sha256::digest(&json).into()
    }

    /// The transcript of the signature, for the seat's transport key `key`.
    fn signature_transcript(&self, setup: &Fingerprint, key: &Element) -> transcript::ChallengeTranscript {
        transcript::trustee_event_signature(setup, self.seat(), Self::KIND, &self.unsigned_digest(), key)
    }

    /// Signs the event with the seat's transport secret (replacing any signature).
    fn sign<R: CryptoRng + ?Sized>(mut self, setup: &Fingerprint, transport: &SecretScalar, rng: &mut R) -> Self {
        *self.signature_mut() = None;
        let t = self.signature_transcript(setup, &transport.public());
        *self.signature_mut() = Some(SchnorrProof::prove(t, transport, rng));
        self
    }

    /// Adds the signature's equation to `batch` under the seat's transport key; an error if
    /// there is none.
    fn add_signature_to_batch(&self, setup: &Fingerprint, key: &Element, batch: &mut BatchVerifier) -> Result<()> {
        let signature = self.signature().ok_or_else(|| self.unsigned())?;
        signature.add_to_batch(self.signature_transcript(setup, key), key, batch);
        Ok(())
    }

    /// Checks the signature under the seat's transport key `key`.
    fn verify_signature(&self, setup: &Fingerprint, key: &Element) -> Result<()> {
        let mut batch = BatchVerifier::new();
        self.add_signature_to_batch(setup, key, &mut batch)?;
        batch.verify().map_err(|_| CryptoError::InvalidProof {
            proof: "trustee event signature",
            reason: format!("the {} in trustee {}'s seat is not signed by its transport key", Self::KIND, self.seat()),
        })
    }

    /// The error for an event without a signature.
    fn unsigned(&self) -> CryptoError {
        CryptoError::InvalidProof {
            proof: "trustee event signature",
            reason: format!("the {} in trustee {}'s seat has no signature", Self::KIND, self.seat()),
        }
    }
}
