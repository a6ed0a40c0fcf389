//! The `shuffle` event: one trustee's verifiable shuffle of the credential list, which
//! unlinks the registered credentials from the ones ballots are signed with.
//!
//! ```text
//! input   (g, registered credentials in ascending order)        for the first shuffle
//!         (h_{j−1}, the previous shuffle's output)              after
//! output  h_j = s_j·h_{j−1},  the list s_j·X, ascending,  a ShuffleProof (context F_s,
//!         shuffler, list l), and the shuffler's signature by its transport key
//! ```
//!
//! Each ballot style's credentials are a list of their own, shuffled in a chain of their own
//! from `g`: list `l` is the style's index in the manifest, and the event's `list` field
//! (omitted when 0) says which. The proof binds `l`, and the signature covers the proof, so
//! a shuffle of one style's list is no shuffle of another's.
//!
//! The proof is `src/crypto/shuffle/` (`specs/protocol.md` §13); the protocol around it,
//! and why the minimum number of distinct shufflers is what it is, `specs/protocol.md` §14.
//! This module is what checking a shuffle needs; making one (`CredentialShuffle::make`) is
//! the trustee's, in `src/election/trustee.rs`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ElectionError;
use super::credential::CredentialList;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::shuffle::{ShuffleContext, ShuffleProof, ShuffleStep, verify_chain};
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::transcript;

/// The domain of a shuffle event's digest.
pub const SHUFFLE_DIGEST_LABEL: &[u8] = b"dauys/shuffle/v1";

fn error(what: impl Into<String>) -> ElectionError {
    ElectionError::Registration(what.into())
}

/// The `shuffle` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialShuffle {
    /// The list shuffled: its ballot style's index in the manifest (omitted when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub list: u32,
    /// `h_j`.
    pub new_base: Element,
    /// `s_j·X` for every input credential, ascending.
    pub output: CredentialList,
    pub proof: ShuffleProof,
    pub shuffler: u32,
    /// Schnorr signature by the shuffler's transport key over [`CredentialShuffle::digest`].
    pub signature: SchnorrProof,
}

fn is_zero(list: &u32) -> bool {
    *list == 0
}

/// The least number of distinct trustees that must shuffle before voting opens:
/// `max(t, min(2, n))`. Ballot secrecy already assumes fewer than `t` trustees collude, so
/// among `t` distinct shufflers one is honest under the same assumption; and never fewer than
/// two where there are two trustees.
pub fn min_shufflers(params: &ThresholdParams) -> usize {
    (params.threshold as usize).max(2.min(params.trustees as usize))
}

impl CredentialShuffle {
    /// `SHA-256("dauys/shuffle/v1" ‖ LE32(shuffler) ‖ enc(h_j) ‖ LE64(N) ‖ output ‖ proof)`,
    /// the proof in its binary form (`specs/protocol.md` §13.7).
    pub fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(SHUFFLE_DIGEST_LABEL);
        h.update(self.shuffler.to_le_bytes());
        h.update(self.new_base.as_bytes());
        h.update((self.output.len() as u64).to_le_bytes());
        for x in self.output.iter() {
            h.update(x);
        }
        h.update(self.proof.to_bytes());
        h.finalize().into()
    }

    pub fn context(&self, setup: &Fingerprint) -> ShuffleContext {
        ShuffleContext { fingerprint: *setup, shuffler: self.shuffler, list: self.list }
    }

    /// The shuffler's signature, by the transport key it posted in the ceremony.
    pub fn check_signature(&self, setup: &Fingerprint, transport_key: &Element) -> Result<(), ElectionError> {
        self.signature
            .verify(
                transcript::trustee_event_signature(setup, self.shuffler, "shuffle", &self.digest(), transport_key),
                transport_key,
            )
            .map_err(|_| error(format!("shuffler {}'s signature does not verify", self.shuffler)))
    }

    /// The proof, for input `(base, input)`.
    pub fn check_proof(&self, setup: &Fingerprint, base: &Element, input: &[[u8; 32]]) -> Result<(), ElectionError> {
        if self.output.len() != input.len() {
            return Err(error(format!(
                "shuffler {} output {} credentials for {} in its input",
                self.shuffler,
                self.output.len(),
                input.len()
            )));
        }
        self.proof
            .verify(&self.context(setup), base, input, &self.new_base, self.output.as_slice())
            .map_err(|e| error(format!("shuffler {}'s proof: {e}", self.shuffler)))
    }
}

/// Verifies a whole chain of shuffles from `(base, input)` in one combination (faster than
/// one at a time; the error names the shuffler).
pub fn check_chain(
    setup: &Fingerprint,
    base: &Element,
    input: &[[u8; 32]],
    shuffles: &[CredentialShuffle],
) -> Result<(), ElectionError> {
    let mut len = input.len();
    for s in shuffles {
        if s.output.len() != len {
            return Err(error(format!("shuffler {} output {} credentials for {len}", s.shuffler, s.output.len())));
        }
        len = s.output.len();
    }
    let steps: Vec<ShuffleStep<'_>> = shuffles
        .iter()
        .map(|s| ShuffleStep {
            context: s.context(setup),
            new_base: s.new_base,
            output: s.output.as_slice(),
            proof: &s.proof,
        })
        .collect();
    verify_chain(base, input, &steps).map_err(|e| error(format!("shuffle chain: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::SecretScalar;
    use crate::crypto::threshold::dkg::TransportSecret;

    const FS: Fingerprint = Fingerprint([5; 32]);

    fn registered(n: usize) -> (Vec<SecretScalar>, CredentialList) {
        let secrets: Vec<SecretScalar> = (0..n).map(|_| SecretScalar::random(&mut rand::rng())).collect();
        let list = CredentialList::new(secrets.iter().map(SecretScalar::public).collect()).unwrap();
        (secrets, list)
    }

    #[test]
    fn two_shuffles_chain_and_each_voter_finds_x_h_final() {
        let mut rng = rand::rng();
        let (secrets, list) = registered(5);
        let (t1, t2) = (TransportSecret::generate(1, &mut rng), TransportSecret::generate(2, &mut rng));
        let g = Element::generator();
        let a = CredentialShuffle::make(&FS, &t1, &g, &list, &mut rng).unwrap();
        let b = CredentialShuffle::make(&FS, &t2, &a.new_base, &a.output, &mut rng).unwrap();
        a.check_proof(&FS, &g, list.as_slice()).unwrap();
        b.check_proof(&FS, &a.new_base, a.output.as_slice()).unwrap();
        a.check_signature(&FS, &t1.secret().public()).unwrap();
        check_chain(&FS, &g, list.as_slice(), &[a.clone(), b.clone()]).unwrap();
        for x in &secrets {
            let mine = Element::from_point(b.new_base.point() * x.expose());
            assert!(b.output.contains(&mine));
        }
        // Signed by trustee 1's key, not trustee 2's; posted as another shuffler.
        assert!(a.check_signature(&FS, &t2.secret().public()).is_err());
        let mut renamed = a.clone();
        renamed.shuffler = 2;
        assert!(renamed.check_proof(&FS, &g, list.as_slice()).is_err(), "the proof binds the shuffler");
        // Out of order, or skipping the first.
        assert!(check_chain(&FS, &g, list.as_slice(), &[b.clone(), a.clone()]).is_err());
        assert!(check_chain(&FS, &g, list.as_slice(), &[b]).is_err());
        // Another election.
        assert!(a.check_proof(&Fingerprint([6; 32]), &g, list.as_slice()).is_err());
    }

    #[test]
    fn min_shufflers_is_t_and_at_least_two() {
        let p = |n, t| ThresholdParams::new(n, t).unwrap();
        assert_eq!(min_shufflers(&p(5, 3)), 3);
        assert_eq!(min_shufflers(&p(3, 1)), 2);
        assert_eq!(min_shufflers(&p(1, 1)), 1);
    }
}
