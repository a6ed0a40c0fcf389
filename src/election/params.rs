//! The public parameters of an election, fixed before voting opens, and its fingerprint.
//!
//! ```text
//! election fingerprint = SHA-256("dauys/election/v2" ‖ setup fingerprint ‖ K
//!                                ‖ u64_le(n) ‖ VK_1 ‖ … ‖ VK_n
//!                                ‖ h ‖ u64_le(N) ‖ X_1 ‖ … ‖ X_N)
//! ```
//!
//! for the joint key `K`, the trustees' verification keys `VK_i`, the credential base `h`
//! (the last shuffle's, `h_final`; `g` where the list came without shuffles) and the public
//! credentials `X_j = x_j·h` in list order. Every ballot proof and decryption share binds it.

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
    /// `h`: every credential in the list is `x·h`, and ballots are signed under it.
    pub base: Element,
    pub fingerprint: Fingerprint,
}

impl ElectionParams {
    /// An election whose credentials are under base `g`.
    pub fn new(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        credentials: CredentialList,
    ) -> Result<Self, ElectionError> {
        Self::with_base(manifest, joint_key, verification_keys, credentials, Element::generator())
    }

    /// An election whose credentials are under base `base` (`h_final`, after the shuffles).
    pub fn with_base(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        credentials: CredentialList,
        base: Element,
    ) -> Result<Self, ElectionError> {
        if base == Element::identity() {
            return Err(ElectionError::Credential("the credential base is the identity element".into()));
        }
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
        let fingerprint = election_fingerprint(&setup, &joint_key, &verification_keys, &base, &credentials);
        Ok(ElectionParams {
            manifest,
            setup,
            key: EncryptionKey::new(joint_key),
            verification_keys,
            credentials,
            base,
            fingerprint,
        })
    }

    /// A voter's signing key in this election: `x` from the credential, public `x·h`.
    pub fn voter_key(&self, credential: &super::credential::Credential) -> crate::crypto::elgamal::KeyPair {
        let pair = credential.key_pair(&self.manifest.election_id);
        let public = Element::from_point(self.base.point() * pair.secret.expose());
        crate::crypto::elgamal::KeyPair { public, secret: pair.secret }
    }
}

pub fn election_fingerprint(
    setup: &Fingerprint,
    joint_key: &Element,
    verification_keys: &[Element],
    base: &Element,
    credentials: &CredentialList,
) -> Fingerprint {
    let mut h = Sha256::new();
    h.update(b"dauys/election/v2");
    h.update(setup.as_bytes());
    h.update(joint_key.as_bytes());
    h.update((verification_keys.len() as u64).to_le_bytes());
    for vk in verification_keys {
        h.update(vk.as_bytes());
    }
    h.update(base.as_bytes());
    h.update((credentials.len() as u64).to_le_bytes());
    for c in credentials.iter() {
        h.update(c);
    }
    Fingerprint(h.finalize().into())
}
