//! The public parameters of an election, fixed before voting opens, and its fingerprint.
//!
//! ```text
//! election fingerprint = SHA-256("dauys/election/v2" ‖ setup fingerprint ‖ K
//!                                ‖ u64_le(n) ‖ VK_1 ‖ … ‖ VK_n
//!                                ‖ for each ballot style s, in manifest order:
//!                                  h_s ‖ u64_le(N_s) ‖ X_{s,1} ‖ … ‖ X_{s,N_s})
//! ```
//!
//! for the joint key `K`, the trustees' verification keys `VK_i`, and per ballot style its
//! credential base `h_s` (its last shuffle's, `h_final`; `g` where its list came without
//! shuffles) and its public credentials `X_{s,j} = x_j·h_s` in list order. The number of
//! styles is the manifest's (bound by the setup fingerprint), so with one style this is the
//! single-list form. Every ballot proof and decryption share binds it.

use sha2::{Digest, Sha256};

use super::ElectionError;
use super::credential::CredentialList;
use super::manifest::Manifest;
use crate::crypto::elgamal::EncryptionKey;
use crate::crypto::group::{Element, Fingerprint};

/// One ballot style's credentials: a voter's anonymity set is its style's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleList {
    pub credentials: CredentialList,
    /// `h_s`: every credential in the list is `x·h_s`, and its ballots are signed under it.
    pub base: Element,
}

/// Everything public that ballots and the tally depend on.
#[derive(Debug, Clone)]
pub struct ElectionParams {
    pub manifest: Manifest,
    pub setup: Fingerprint,
    pub key: EncryptionKey,
    pub verification_keys: Vec<Element>,
    /// One list per ballot style, in the order of [`Manifest::styles`].
    pub lists: Vec<StyleList>,
    pub fingerprint: Fingerprint,
    /// Per style, the manifest indices of its contests (from the manifest, kept so that a
    /// verifier does not rebuild them for every ballot).
    pub style_contests: Vec<Vec<usize>>,
    /// Where each style's credentials start when the lists are laid end to end.
    offsets: Vec<usize>,
}

impl ElectionParams {
    /// An election of one ballot style whose credentials are under base `g`.
    pub fn new(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        credentials: CredentialList,
    ) -> Result<Self, ElectionError> {
        Self::with_base(manifest, joint_key, verification_keys, credentials, Element::generator())
    }

    /// An election of one ballot style whose credentials are under base `base` (`h_final`,
    /// after the shuffles).
    pub fn with_base(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        credentials: CredentialList,
        base: Element,
    ) -> Result<Self, ElectionError> {
        Self::with_lists(manifest, joint_key, verification_keys, vec![StyleList { credentials, base }])
    }

    /// An election with one credential list per ballot style, in manifest order. No
    /// credential may be in two lists: it would vote once in each style.
    pub fn with_lists(
        manifest: Manifest,
        joint_key: Element,
        verification_keys: Vec<Element>,
        lists: Vec<StyleList>,
    ) -> Result<Self, ElectionError> {
        let styles = manifest.styles();
        if lists.len() != styles.len() {
            return Err(ElectionError::Credential(format!(
                "{} credential lists for {} ballot styles",
                lists.len(),
                styles.len()
            )));
        }
        for (list, style) in lists.iter().zip(&styles) {
            if list.base == Element::identity() {
                return Err(ElectionError::Credential(format!(
                    "style {:?}: the credential base is the identity element",
                    style.id
                )));
            }
        }
        if lists.len() > 1 {
            let mut seen = std::collections::HashMap::new();
            for (s, list) in lists.iter().enumerate() {
                for x in list.credentials.iter() {
                    if let Some(other) = seen.insert(*x, s) {
                        return Err(ElectionError::Credential(format!(
                            "credential {} is in the lists of styles {:?} and {:?}",
                            crate::crypto::group::to_hex(x),
                            styles[other].id,
                            styles[s].id
                        )));
                    }
                }
            }
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
        let style_contests = styles.into_iter().map(|s| s.contests).collect();
        let fingerprint = election_fingerprint(&setup, &joint_key, &verification_keys, &lists);
        let offsets = lists
            .iter()
            .scan(0, |at, l| {
                let start = *at;
                *at += l.credentials.len();
                Some(start)
            })
            .collect();
        Ok(ElectionParams {
            manifest,
            setup,
            key: EncryptionKey::new(joint_key),
            verification_keys,
            lists,
            fingerprint,
            style_contests,
            offsets,
        })
    }

    /// A voter's signing key in style `style` (its index in [`Manifest::styles`]): `x` from
    /// the credential, public `x·h_s`.
    pub fn voter_key_in(
        &self,
        style: usize,
        credential: &super::credential::Credential,
    ) -> crate::crypto::elgamal::KeyPair {
        let pair = credential.key_pair(&self.manifest.election_id);
        let base = self.lists.get(style).map_or(Element::generator(), |l| l.base);
        let public = Element::from_point(base.point() * pair.secret.expose());
        crate::crypto::elgamal::KeyPair { public, secret: pair.secret }
    }

    /// A voter's signing key in the first (for a manifest without styles, the only) style.
    pub fn voter_key(&self, credential: &super::credential::Credential) -> crate::crypto::elgamal::KeyPair {
        self.voter_key_in(0, credential)
    }

    /// The style whose list holds the credential (by index), and its position there.
    pub fn find_credential(&self, credential: &Element) -> Option<(usize, usize)> {
        self.lists.iter().enumerate().find_map(|(s, l)| l.credentials.position(credential).map(|p| (s, p)))
    }

    /// The credentials of every style together.
    pub fn credential_count(&self) -> usize {
        self.lists.iter().map(|l| l.credentials.len()).sum()
    }

    /// Where each style's credentials start when every list is laid end to end (one slot per
    /// credential of the election).
    pub fn list_offsets(&self) -> &[usize] {
        &self.offsets
    }
}

pub fn election_fingerprint(
    setup: &Fingerprint,
    joint_key: &Element,
    verification_keys: &[Element],
    lists: &[StyleList],
) -> Fingerprint {
    let mut h = Sha256::new();
    h.update(b"dauys/election/v2");
    h.update(setup.as_bytes());
    h.update(joint_key.as_bytes());
    h.update((verification_keys.len() as u64).to_le_bytes());
    for vk in verification_keys {
        h.update(vk.as_bytes());
    }
    for list in lists {
        h.update(list.base.as_bytes());
        h.update((list.credentials.len() as u64).to_le_bytes());
        for c in list.credentials.iter() {
            h.update(c);
        }
    }
    Fingerprint(h.finalize().into())
}
