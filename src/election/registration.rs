//! Registration: the roll's pseudonyms, the citizens' signed registrations of their own
//! credentials, and the authenticator that says whose signature counts.
//!
//! ```text
//! roll          the sorted pseudonyms P of every eligible citizen, and the CA's key
//! certificate   CA signs  "dauys/citizen-certificate/v1" ‖ citizen key ‖ SHA-256(salt ‖ IIN)
//! registration  citizen signs  "dauys/registration/v1" ‖ F_s ‖ P ‖ enc(X) [‖ utf8(style)]
//!               X = x·g; the style (the ballot style of the citizen's precinct) only in an
//!               election of more than one style
//! desk request  citizen signs  "dauys/desk-request/v1" ‖ F_s     (to ask the desk for P)
//! ```
//!
//! The voter makes `x` on its own machine; the registrar sees only `X`, checks the roll entry
//! and the citizen's signature, and posts the registration (`specs/record.md` §11.6,
//! `specs/protocol.md` §14).
//!
//! This module is what checking a roll, a certificate or a registration needs. The synthetic
//! CA's issuing of keys and certificates, and a citizen's signing of its registration, are
//! role code in `src/election/citizen_ca.rs`.

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::ElectionError;
use crate::crypto::group::{Element, Fingerprint, hex_bytes32};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;

/// The domain of a certificate's signed message.
pub const CERTIFICATE_LABEL: &[u8] = b"dauys/citizen-certificate/v1";
/// The domain of a registration's signed message.
pub const REGISTRATION_LABEL: &[u8] = b"dauys/registration/v1";
/// The domain of the commitment to an IIN.
pub const IDENTITY_LABEL: &[u8] = b"dauys/identity-commitment/v1";
/// The domain of a citizen's request to the registrar's desk for its pseudonym.
pub const DESK_REQUEST_LABEL: &[u8] = b"dauys/desk-request/v1";

pub(super) fn error(what: impl Into<String>) -> ElectionError {
    ElectionError::Registration(what.into())
}

/// Serde adapter for a 64-byte Ed25519 signature in hex.
pub mod hex_bytes64 {
    use serde::{Deserializer, Serializer};

    use crate::crypto::group::{decode_str, hex_array, to_hex};

    pub fn serialize<S: Serializer>(b: &[u8; 64], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_hex(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 64], D::Error> {
        decode_str(deserializer, |text| hex_array("signature", text).map_err(|e| e.to_string()))
    }
}

/// The `roll` event: every eligible citizen's pseudonym, strictly ascending, and the key of
/// the authority that certifies citizens' signing keys; with several ballot styles, each
/// pseudonym's style (its precinct's: public, it is the district).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roll {
    #[serde(with = "hex_bytes32")]
    pub ca_key: [u8; 32],
    pub count: u64,
    pub pseudonyms: Vec<Pseudonym>,
    /// With several ballot styles: `styles[i]` is the style (its index in the manifest's
    /// `ballot_styles`) of `pseudonyms[i]`. Empty, and omitted, with one style. One byte each
    /// (at most [`MAX_STYLES`](crate::election::manifest::MAX_STYLES) = 256 styles), so that a
    /// parsed roll takes no more memory than its line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub styles: Vec<u8>,
}

/// A roll pseudonym (see [`super::pseudonym`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pseudonym(#[serde(with = "hex_bytes32")] pub [u8; 32]);

impl Roll {
    /// The event's own rules: pseudonyms strictly ascending (so distinct), the count theirs,
    /// the CA key a valid Ed25519 key.
    pub fn check(&self) -> Result<(), ElectionError> {
        if self.pseudonyms.is_empty() {
            return Err(error("the roll is empty"));
        }
        if self.count != self.pseudonyms.len() as u64 {
            return Err(error(format!("the roll says {} pseudonyms but lists {}", self.count, self.pseudonyms.len())));
        }
        if let Some(i) = self.pseudonyms.windows(2).position(|w| w[0] >= w[1]) {
            return Err(error(format!("roll pseudonyms {i} and {} are repeated or out of order", i + 1)));
        }
        VerifyingKey::from_bytes(&self.ca_key).map_err(|_| error("the roll's CA key is not an Ed25519 key"))?;
        Ok(())
    }

    /// Its styles for a manifest of `styles` ballot styles: one per pseudonym, each one of the
    /// manifest's, where there are several; none where there is one.
    pub fn check_styles(&self, styles: usize) -> Result<(), ElectionError> {
        match (styles, self.styles.len()) {
            (0, _) => Err(error("the manifest has no ballot style")),
            (1, 0) => Ok(()),
            (1, _) => Err(error("the roll gives styles; this election has one ballot style, named by none")),
            (_, n) if n != self.pseudonyms.len() => Err(error(format!(
                "the roll gives {n} styles for {} pseudonyms; this election has {styles} ballot styles, one per pseudonym",
                self.pseudonyms.len()
            ))),
            _ => match self.styles.iter().position(|&s| s as usize >= styles) {
                Some(i) => Err(error(format!(
                    "roll entry {i}: style {}, the manifest has {styles} (0 to {})",
                    self.styles[i],
                    styles - 1
                ))),
                None => Ok(()),
            },
        }
    }

    /// The roll of `entries` (pseudonym, style index) under `ca_key`, sorted by pseudonym;
    /// styles are listed only where the manifest has several (`styles` > 1).
    pub fn of_entries(ca_key: [u8; 32], mut entries: Vec<(Pseudonym, usize)>, styles: usize) -> Roll {
        entries.sort_unstable();
        let styled = if styles > 1 {
            entries.iter().map(|e| u8::try_from(e.1).expect("at most 256 styles (Manifest::validate)")).collect()
        } else {
            Vec::new()
        };
        Roll {
            ca_key,
            count: entries.len() as u64,
            pseudonyms: entries.into_iter().map(|e| e.0).collect(),
            styles: styled,
        }
    }

    pub fn contains(&self, pseudonym: &Pseudonym) -> bool {
        self.pseudonyms.binary_search(pseudonym).is_ok()
    }

    /// The style (index) of a pseudonym on the roll: 0 for every pseudonym with one style.
    pub fn style_of(&self, pseudonym: &Pseudonym) -> Option<usize> {
        let i = self.pseudonyms.binary_search(pseudonym).ok()?;
        Some(self.styles.get(i).map_or(0, |&s| s as usize))
    }
}

/// A citizen's certificate from the (synthetic) national CA: the CA's signature over the
/// citizen's key and a hiding commitment to the citizen's IIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// `SHA-256("dauys/identity-commitment/v1" ‖ salt ‖ IIN)`, salt 32 random bytes.
    #[serde(with = "hex_bytes32")]
    pub identity: [u8; 32],
    #[serde(with = "hex_bytes64")]
    pub signature: [u8; 64],
}

/// The citizen as a registration names it: its signing key and its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citizen {
    pub certificate: Certificate,
    #[serde(with = "hex_bytes32")]
    pub key: [u8; 32],
}

/// The `registration` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub citizen: Citizen,
    /// `X = x·g`, the voter's public credential before the shuffles.
    pub credential: Element,
    /// The voter's proof that it knows `x` with `X = x·g`, under `credential-pok(F_s, P, X)`.
    pub proof: SchnorrProof,
    pub pseudonym: Pseudonym,
    /// The citizen's Ed25519 signature over [`registration_message_in`].
    #[serde(with = "hex_bytes64")]
    pub signature: [u8; 64],
    /// The ballot style of the roll entry's precinct (its id): the list the credential joins.
    /// Present iff the manifest has more than one style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// `"dauys/registration/v1" ‖ F_s ‖ P ‖ enc(X)`: 21 + 96 bytes, every part fixed-length.
pub fn registration_message(setup: &Fingerprint, pseudonym: &Pseudonym, credential: &Element) -> Vec<u8> {
    let mut m = Vec::with_capacity(REGISTRATION_LABEL.len() + 96);
    m.extend_from_slice(REGISTRATION_LABEL);
    m.extend_from_slice(setup.as_bytes());
    m.extend_from_slice(&pseudonym.0);
    m.extend_from_slice(credential.as_bytes());
    m
}

/// [`registration_message`], then the style's id in UTF-8 when there is one: the message of
/// a registration that names a style is longer than 117 bytes, so the two forms never meet.
pub fn registration_message_in(
    setup: &Fingerprint,
    pseudonym: &Pseudonym,
    credential: &Element,
    style: Option<&str>,
) -> Vec<u8> {
    let mut m = registration_message(setup, pseudonym, credential);
    if let Some(style) = style {
        m.extend_from_slice(style.as_bytes());
    }
    m
}

/// `"dauys/desk-request/v1" ‖ F_s`: 53 bytes. A certificate is public (every registration
/// carries one), so it shows whose key is certified, not who asks: this signature does, for
/// this election only (`specs/protocol.md` §14.7).
pub fn desk_request_message(setup: &Fingerprint) -> Vec<u8> {
    [DESK_REQUEST_LABEL, setup.as_bytes()].concat()
}

/// `"dauys/citizen-certificate/v1" ‖ citizen key ‖ identity commitment`.
pub fn certificate_message(key: &[u8; 32], identity: &[u8; 32]) -> Vec<u8> {
    [CERTIFICATE_LABEL, key, identity].concat()
}

/// `SHA-256("dauys/identity-commitment/v1" ‖ salt ‖ IIN)`.
pub fn identity_commitment(salt: &[u8; 32], iin: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(IDENTITY_LABEL);
    h.update(salt);
    h.update(iin.as_bytes());
    h.finalize().into()
}

/// Strict Ed25519 verification (RFC 8032 with canonical encodings and no small-order keys).
fn verify_ed25519(key: &[u8; 32], message: &[u8], signature: &[u8; 64], what: &str) -> Result<(), ElectionError> {
    let key = VerifyingKey::from_bytes(key).map_err(|_| error(format!("{what}: the key is not an Ed25519 key")))?;
    if key.is_weak() {
        return Err(error(format!("{what}: the key has small order")));
    }
    key.verify_strict(message, &Signature::from_bytes(signature))
        .map_err(|_| error(format!("{what}: the signature does not verify")))
}

impl Registration {
    /// The voter's proof of knowledge of its credential's secret.
    pub fn check_proof(&self, setup: &Fingerprint) -> Result<(), ElectionError> {
        self.proof
            .verify(transcript::credential_pok(setup, &self.pseudonym.0, &self.credential), &self.credential)
            .map_err(|_| error("the proof of knowledge of the credential's secret does not verify"))
    }

    /// The citizen's signature over `(F_s, P, X[, style])`.
    pub fn check_signature(&self, setup: &Fingerprint) -> Result<(), ElectionError> {
        let message = registration_message_in(setup, &self.pseudonym, &self.credential, self.style.as_deref());
        verify_ed25519(&self.citizen.key, &message, &self.signature, "registration")
    }
}

impl Citizen {
    /// The citizen's signature over [`desk_request_message`]: the requester holds the key.
    pub fn check_desk_request(&self, setup: &Fingerprint, signature: &[u8; 64]) -> Result<(), ElectionError> {
        verify_ed25519(&self.key, &desk_request_message(setup), signature, "desk request")
    }
}

/// What decides whose signature registers a credential. What it can check from the record
/// alone, and what only with the roll (`specs/protocol.md` §14.4).
pub trait Authenticator {
    /// The trust anchor's key, as the roll event publishes it.
    fn anchor(&self) -> [u8; 32];
    /// Public: the citizen's key is certified by the anchor.
    fn check_certificate(&self, citizen: &Citizen) -> Result<(), ElectionError>;
    /// With the private opening the citizen gives the registrar: the certified identity is
    /// `iin`. Nobody without the opening can check it; it rests on the registrar.
    fn check_identity(&self, citizen: &Citizen, opening: &IdentityOpening, iin: &str) -> Result<(), ElectionError>;
}

/// The salt that opens a certificate's identity commitment.
pub struct IdentityOpening(pub Zeroizing<[u8; 32]>);

/// The synthetic national CA's public side: an Ed25519 key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticCa {
    pub key: [u8; 32],
}

impl Authenticator for SyntheticCa {
    fn anchor(&self) -> [u8; 32] {
        self.key
    }

    fn check_certificate(&self, citizen: &Citizen) -> Result<(), ElectionError> {
        let message = certificate_message(&citizen.key, &citizen.certificate.identity);
        verify_ed25519(&self.key, &message, &citizen.certificate.signature, "certificate")
    }

    fn check_identity(&self, citizen: &Citizen, opening: &IdentityOpening, iin: &str) -> Result<(), ElectionError> {
        self.check_certificate(citizen)?;
        if identity_commitment(&opening.0, iin) != citizen.certificate.identity {
            return Err(error("the certificate is not for this IIN"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::SecretScalar;
    use crate::election::citizen_ca::SyntheticCaIssuer;

    const FS: Fingerprint = Fingerprint([7; 32]);

    #[test]
    fn a_registration_verifies_and_binds_election_pseudonym_and_credential() {
        let mut rng = rand::rng();
        let ca = SyntheticCaIssuer::generate(&mut rng);
        let keys = ca.issue("900101300017", &mut rng);
        let x = SecretScalar::random(&mut rng);
        let p = Pseudonym([1; 32]);
        let r = keys.register(&FS, p, &x, &mut rng);
        r.check_signature(&FS).unwrap();
        r.check_proof(&FS).unwrap();
        assert!(r.check_proof(&Fingerprint([8; 32])).is_err());
        // A related credential k·X_b, signed by a citizen who does not know its secret: the
        // proof of knowledge cannot be made (here: the victim's proof, moved).
        let related = Element::from_point(r.credential.point() * curve25519_dalek::scalar::Scalar::from(2u64));
        let stolen = keys.sign(&FS, Pseudonym([2; 32]), related, r.proof);
        stolen.check_signature(&FS).unwrap();
        assert!(stolen.check_proof(&FS).unwrap_err().to_string().contains("proof of knowledge"));
        ca.public().check_certificate(&r.citizen).unwrap();
        assert!(r.check_signature(&Fingerprint([8; 32])).is_err(), "another election");
        let mut moved = r.clone();
        moved.pseudonym = Pseudonym([2; 32]);
        assert!(moved.check_signature(&FS).is_err(), "another roll entry");
        let mut swapped = r.clone();
        swapped.credential = SecretScalar::random(&mut rng).public();
        assert!(swapped.check_signature(&FS).unwrap_err().to_string().contains("does not verify"));
        let mut forged = r.clone();
        forged.signature[3] ^= 1;
        assert!(forged.check_signature(&FS).is_err());
        // A key the CA did not certify, or a certificate from another CA.
        let stranger = SyntheticCaIssuer::generate(&mut rng).issue("900101300017", &mut rng);
        assert!(ca.public().check_certificate(&stranger.citizen).unwrap_err().to_string().contains("certificate"));
        let mut grafted = r.clone();
        grafted.citizen.key = stranger.citizen.key;
        assert!(ca.public().check_certificate(&grafted.citizen).is_err());
    }

    #[test]
    fn the_identity_opens_only_for_the_citizens_iin() {
        let mut rng = rand::rng();
        let ca = SyntheticCaIssuer::generate(&mut rng);
        let keys = ca.issue("900101300017", &mut rng);
        ca.public().check_identity(&keys.citizen, &keys.opening, "900101300017").unwrap();
        assert!(ca.public().check_identity(&keys.citizen, &keys.opening, "900101300018").is_err());
        let other = ca.issue("900101300017", &mut rng);
        assert!(ca.public().check_identity(&keys.citizen, &other.opening, "900101300017").is_err());
    }

    #[test]
    fn rolls_are_sorted_counted_and_keyed() {
        let ca = SyntheticCaIssuer::generate(&mut rand::rng()).public();
        let roll = Roll {
            styles: Vec::new(),
            ca_key: ca.key,
            count: 2,
            pseudonyms: vec![Pseudonym([1; 32]), Pseudonym([2; 32])],
        };
        roll.check().unwrap();
        assert!(roll.contains(&Pseudonym([2; 32])) && !roll.contains(&Pseudonym([3; 32])));
        let mut bad = roll.clone();
        bad.count = 3;
        assert!(bad.check().unwrap_err().to_string().contains("says 3"));
        let mut bad = roll.clone();
        bad.pseudonyms.reverse();
        assert!(bad.check().unwrap_err().to_string().contains("out of order"));
        let mut bad = roll.clone();
        bad.pseudonyms[1] = bad.pseudonyms[0];
        assert!(bad.check().is_err());
        let json = serde_json::to_string(&roll).unwrap();
        assert_eq!(serde_json::from_str::<Roll>(&json).unwrap(), roll);
    }
}
