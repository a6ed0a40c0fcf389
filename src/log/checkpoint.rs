//! Signed checkpoints: the board's commitment to the first `size` events of its log.
//!
//! ```text
//! checkpoint = (size, root = MTH(events[0:size]), σ)
//! σ = Schnorr signature by the board key B on transcript "dauys/checkpoint"
//!     (setup fingerprint, B, size, root)
//! ```
//!
//! Two checkpoints of one board are one history iff a consistency proof links them; a board
//! that signs two inconsistent checkpoints has signed its own misbehaviour.

use rand::CryptoRng;
use serde::{Deserialize, Serialize};

use super::merkle::Hash;
use crate::crypto::group::{Element, Fingerprint, SecretScalar};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    #[serde(with = "hex_hash")]
    pub root: Hash,
    pub signature: SchnorrProof,
    pub size: u64,
}

impl Checkpoint {
    pub fn sign<R: CryptoRng + ?Sized>(
        setup: &Fingerprint,
        board: &SecretScalar,
        size: u64,
        root: Hash,
        rng: &mut R,
    ) -> Self {
        let key = board.public();
        let signature = SchnorrProof::prove(transcript::checkpoint(setup, &key, size, &root), board, rng);
        Checkpoint { root, signature, size }
    }

    pub fn verify(&self, setup: &Fingerprint, board_key: &Element) -> Result<()> {
        self.signature.verify(transcript::checkpoint(setup, board_key, self.size, &self.root), board_key).map_err(
            |_| CryptoError::InvalidProof {
                proof: "checkpoint signature",
                reason: format!("checkpoint of size {}", self.size),
            },
        )
    }
}

/// Serde adapter for a 32-byte hash as 64 lowercase hex digits.
pub mod hex_hash {
    use serde::{Deserializer, Serializer};

    use crate::crypto::group::{Hex32, decode_str, hex32};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(Hex32::new(h).as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        decode_str(d, |text| hex32("hash", text).map_err(|e| e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_checkpoints_bind_size_root_key_and_election() {
        let mut rng = rand::rng();
        let board = SecretScalar::random(&mut rng);
        let setup = Fingerprint([4; 32]);
        let cp = Checkpoint::sign(&setup, &board, 10, [9; 32], &mut rng);
        cp.verify(&setup, &board.public()).unwrap();
        assert!(Checkpoint { size: 11, ..cp.clone() }.verify(&setup, &board.public()).is_err());
        assert!(Checkpoint { root: [8; 32], ..cp.clone() }.verify(&setup, &board.public()).is_err());
        assert!(cp.verify(&Fingerprint([5; 32]), &board.public()).is_err());
        assert!(cp.verify(&setup, &SecretScalar::random(&mut rng).public()).is_err());
        let json = serde_json::to_string(&cp).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), cp);
    }
}

/// A witness's co-signature of a checkpoint: "this board showed me this log, consistent with
/// everything it showed me before". A board that shows two histories is caught by comparing
/// co-signed checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cosignature {
    #[serde(with = "hex_hash")]
    pub root: Hash,
    pub signature: SchnorrProof,
    pub size: u64,
    pub witness: Element,
}

impl Cosignature {
    pub fn sign<R: CryptoRng + ?Sized>(
        setup: &Fingerprint,
        board_key: &Element,
        witness: &SecretScalar,
        checkpoint: &Checkpoint,
        rng: &mut R,
    ) -> Self {
        let key = witness.public();
        let t = transcript::witness_cosignature(setup, board_key, &key, checkpoint.size, &checkpoint.root);
        Cosignature {
            root: checkpoint.root,
            signature: SchnorrProof::prove(t, witness, rng),
            size: checkpoint.size,
            witness: key,
        }
    }

    pub fn verify(&self, setup: &Fingerprint, board_key: &Element) -> Result<()> {
        let t = transcript::witness_cosignature(setup, board_key, &self.witness, self.size, &self.root);
        self.signature.verify(t, &self.witness).map_err(|_| CryptoError::InvalidProof {
            proof: "witness co-signature",
            reason: format!("witness {}, size {}", self.witness.to_hex(), self.size),
        })
    }
}

/// What a voter keeps after casting: where the ballot is in the log, and the proof that it is
/// there under a signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub checkpoint: Checkpoint,
    #[serde(with = "hex_hashes")]
    pub inclusion: Vec<Hash>,
    pub index: u64,
    #[serde(with = "hex_hash")]
    pub leaf_hash: Hash,
}

impl Receipt {
    /// The checkpoint is signed by the board and the leaf is included under it.
    pub fn verify(&self, setup: &Fingerprint, board_key: &Element) -> std::result::Result<(), String> {
        self.checkpoint.verify(setup, board_key).map_err(|e| e.to_string())?;
        super::merkle::verify_inclusion(
            self.index,
            self.checkpoint.size,
            &self.leaf_hash,
            &self.inclusion,
            &self.checkpoint.root,
        )
        .map_err(|e| format!("receipt for leaf {}: {e}", self.index))
    }
}

/// Serde adapter for a list of 32-byte hashes.
pub mod hex_hashes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::crypto::group::{hex32, to_hex};

    pub fn serialize<S: Serializer>(list: &[[u8; 32]], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|h| to_hex(h)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
        let texts = <Vec<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        texts.iter().map(|t| hex32("hash", t).map_err(D::Error::custom)).collect()
    }
}
