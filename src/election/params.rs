//! The public parameters of an election, fixed before voting opens, and its fingerprint.
//!
//! ```text
//! election fingerprint = SHA-256("dauys/election/v1" ‖ setup fingerprint ‖ K
//!                                ‖ u64_le(n) ‖ VK_1 ‖ … ‖ VK_n
//!                                ‖ u64_le(N) ‖ X_1 ‖ … ‖ X_N)
//! ```
//!
//! for the joint key `K`, the trustees' verification keys `VK_i` and the public credentials
//! `X_j` in list order. Every ballot proof and decryption share binds it.

use sha2::{Digest, Sha256};

use super::ElectionError;
use super::credential::CredentialList;
use super::manifest::Manifest;
use crate::crypto::elgamal::EncryptionKey;
use crate::crypto::group::{Element, Fingerprint};

/// Everything public that ballots and the tally depend on.
#[derive(Debug, Clone)]
pub struct ElectionParams {
    pub manifest: Manifest,
    pub setup: Fingerprint,
    pub key: EncryptionKey,
    pub verification_keys: Vec<Element>,
    pub credentials: CredentialList,
    pub fingerprint: Fingerprint,
}

impl ElectionParams {
    pub fn new(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        credentials: CredentialList,
    ) -> Result<Self, ElectionError> {
        if verification_keys.len() != manifest.trustees.count as usize {
            return Err(ElectionError::Manifest {
                field: "trustees.count".into(),
                reason: format!(
                    "{} verification keys for {} trustees",
                    verification_keys.len(),
                    manifest.trustees.count
                ),
            });
        }
        let setup = manifest.setup_fingerprint();
        let fingerprint = election_fingerprint(&setup, &joint_key, &verification_keys, &credentials);
        Ok(ElectionParams {
            manifest,
            setup,
            key: EncryptionKey::new(joint_key),
            verification_keys,
            credentials,
            fingerprint,
        })
    }
}

pub fn election_fingerprint(
    setup: &Fingerprint,
    joint_key: &Element,
    verification_keys: &[Element],
    credentials: &CredentialList,
) -> Fingerprint {
    let mut h = Sha256::new();
    h.update(b"dauys/election/v1");
    h.update(setup.as_bytes());
    h.update(joint_key.as_bytes());
    h.update((verification_keys.len() as u64).to_le_bytes());
    for vk in verification_keys {
        h.update(vk.as_bytes());
    }
    h.update((credentials.len() as u64).to_le_bytes());
    for c in credentials.iter() {
        h.update(c);
    }
    Fingerprint(h.finalize().into())
}
