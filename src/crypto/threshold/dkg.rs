//! The key ceremony: dealerless t-of-n key generation (joint Feldman, Pedersen 1991).
//!
//! Every message is public: trustees post them on the board, and anyone can check them.
//!
//! ```text
//! round 0  trustee i: transport key E_i = e_i·g with a Schnorr proof of knowledge
//! round 1  trustee i (dealer): random f_i(X) = a_{i,0} + a_{i,1}·X + … + a_{i,t−1}·X^{t−1}
//!          commitments C_{i,k} = a_{i,k}·g, each with a Schnorr proof of knowledge
//!          for every trustee j: s_{i,j} = f_i(j), encrypted to E_j:
//!              r ←$ Z_ℓ,  R = r·g,  S = r·E_j,  key = KDF(setup, i, j, R, E_j, S)
//!              ct = ChaCha20-Poly1305(key, nonce = 0, s_{i,j})      (key is used once)
//! round 2  trustee j decrypts each s_{i,j} and checks it against the commitments:
//!              s_{i,j}·g = Σ_k j^k · C_{i,k}
//!          on failure it publishes a complaint: S = e_j·R with a proof log_g E_j = log_R S,
//!          which lets anyone decrypt the share and judge who is at fault.
//! result   QUAL = dealers with a valid dealing and no upheld complaint (at least t of them)
//!          joint key        K    = Σ_{i∈QUAL} C_{i,0}
//!          verification key VK_j = Σ_{i∈QUAL} Σ_k j^k · C_{i,k}   (= s_j·g)
//!          secret share     s_j  = Σ_{i∈QUAL} s_{i,j}             (held by trustee j only)
//! ```
//!
//! The joint key of joint Feldman can be biased by a dishonest dealer that withholds
//! (Gennaro et al. 1999); Gennaro et al. (CT-RSA 2003) show that ElGamal encryption stays
//! secure with such a key, which is all dauys uses it for.

use std::collections::{BTreeMap, BTreeSet};

use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::ThresholdParams;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::dleq::ChaumPedersenProof;
use crate::crypto::group::{Element, Fingerprint, SecretScalar, mul_g, scalar_from_bytes};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

/// Bytes of an encrypted share: a 32-byte scalar and a 16-byte Poly1305 tag.
pub const ENCRYPTED_SHARE_LEN: usize = 48;

/// A trustee's published share-transport key, with a proof that it knows the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportKey {
    pub key: Element,
    pub proof: SchnorrProof,
    pub trustee: u32,
}

/// A trustee's secret transport key.
pub struct TransportSecret {
    pub trustee: u32,
    secret: SecretScalar,
}

impl TransportSecret {
    pub fn generate<R: CryptoRng + ?Sized>(trustee: u32, rng: &mut R) -> Self {
        TransportSecret { trustee, secret: SecretScalar::random(rng) }
    }

    pub fn from_secret(trustee: u32, secret: SecretScalar) -> Self {
        TransportSecret { trustee, secret }
    }

    pub fn secret(&self) -> &SecretScalar {
        &self.secret
    }

    /// The public message of round 0.
    pub fn publish<R: CryptoRng + ?Sized>(&self, setup: &Fingerprint, rng: &mut R) -> TransportKey {
        let key = self.secret.public();
        let proof = SchnorrProof::prove(transcript::transport_key_pok(setup, self.trustee, &key), &self.secret, rng);
        TransportKey { trustee: self.trustee, key, proof }
    }
}

impl TransportKey {
    pub fn verify(&self, setup: &Fingerprint) -> Result<()> {
        if self.key == Element::identity() {
            return Err(CryptoError::Parameter(format!("trustee {}'s transport key is the identity", self.trustee)));
        }
        self.proof.verify(transcript::transport_key_pok(setup, self.trustee, &self.key), &self.key).map_err(|_| {
            CryptoError::InvalidProof {
                proof: "transport key proof of knowledge",
                reason: format!("trustee {}", self.trustee),
            }
        })
    }
}

/// One share `s_{i,j}` encrypted to its recipient's transport key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedShare {
    #[serde(with = "hex_bytes")]
    pub ciphertext: Vec<u8>,
    pub ephemeral: Element,
    pub recipient: u32,
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::crypto::group::{hex_array, to_hex};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_hex(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let bytes: [u8; super::ENCRYPTED_SHARE_LEN] = hex_array("ciphertext", &text).map_err(D::Error::custom)?;
        Ok(bytes.to_vec())
    }
}

/// A dealer's public message of round 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dealing {
    /// `C_{i,0} … C_{i,t−1}`.
    pub commitments: Vec<Element>,
    pub dealer: u32,
    /// A proof of knowledge for each commitment, in the same order.
    pub proofs: Vec<SchnorrProof>,
    /// One share for every trustee `1 … n` (the dealer's own included), in order.
    pub shares: Vec<EncryptedShare>,
}

/// A dealer's secret polynomial.
pub struct Polynomial {
    coefficients: Vec<SecretScalar>,
}

impl Polynomial {
    pub fn random<R: CryptoRng + ?Sized>(degree: usize, rng: &mut R) -> Self {
        Polynomial { coefficients: (0..=degree).map(|_| SecretScalar::random(rng)).collect() }
    }

    /// The polynomial with these coefficients, constant term first.
    pub fn from_coefficients(coefficients: Vec<SecretScalar>) -> Self {
        Polynomial { coefficients }
    }

    pub fn coefficients(&self) -> &[SecretScalar] {
        &self.coefficients
    }

    /// `f(x)` by Horner's rule (constant time in the coefficients).
    pub fn evaluate(&self, x: u32) -> SecretScalar {
        let x = Scalar::from(x);
        let mut acc = Scalar::ZERO;
        for a in self.coefficients.iter().rev() {
            acc = acc * x + a.expose();
        }
        let out = SecretScalar::new(acc);
        acc.zeroize();
        out
    }

    /// Round 1: commitments with proofs, and every trustee's share encrypted to its
    /// transport key (`transport_keys` in trustee order `1 … n`, already verified).
    pub fn deal<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        dealer: u32,
        transport_keys: &[TransportKey],
        rng: &mut R,
    ) -> Dealing {
        let commitments: Vec<Element> = self.coefficients.iter().map(SecretScalar::public).collect();
        let proofs = self
            .coefficients
            .iter()
            .zip(&commitments)
            .enumerate()
            .map(|(k, (a, c))| SchnorrProof::prove(transcript::coefficient_pok(setup, dealer, k as u32, c), a, rng))
            .collect();
        let shares = transport_keys
            .iter()
            .map(|tk| {
                let share = self.evaluate(tk.trustee);
                let ephemeral_secret = SecretScalar::random(rng);
                let ephemeral = ephemeral_secret.public();
                let shared = Element::from_point(ephemeral_secret.expose() * tk.key.point());
                let key = transcript::share_encryption_key(setup, dealer, tk.trustee, &ephemeral, &tk.key, &shared);
                let ciphertext = cipher(&key)
                    .encrypt(&Nonce::default(), share.expose().as_bytes().as_slice())
                    .expect("32-byte plaintext");
                EncryptedShare { recipient: tk.trustee, ephemeral, ciphertext }
            })
            .collect();
        Dealing { dealer, commitments, proofs, shares }
    }
}

fn cipher(key: &Zeroizing<[u8; 32]>) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(&Key::from(**key))
}

/// Decrypts a share under the Diffie–Hellman secret `shared`; `None` if it does not
/// authenticate or is not a canonical scalar.
fn open_share(
    setup: &Fingerprint,
    dealer: u32,
    share: &EncryptedShare,
    recipient_key: &Element,
    shared: &Element,
) -> Option<SecretScalar> {
    let key = transcript::share_encryption_key(setup, dealer, share.recipient, &share.ephemeral, recipient_key, shared);
    let plain = Zeroizing::new(cipher(&key).decrypt(&Nonce::default(), share.ciphertext.as_slice()).ok()?);
    let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(plain.as_slice().try_into().ok()?);
    scalar_from_bytes("share", *bytes).ok().map(SecretScalar::new)
}

/// `Σ_k x^k · C_k`: the public image `f(x)·g` of a committed polynomial at `x`.
pub fn commitment_at(commitments: &[Element], x: u32) -> RistrettoPoint {
    let x = Scalar::from(x);
    let mut power = Scalar::ONE;
    let mut scalars = Vec::with_capacity(commitments.len());
    for _ in commitments {
        scalars.push(power);
        power *= x;
    }
    RistrettoPoint::vartime_multiscalar_mul(&scalars, commitments.iter().map(Element::point))
}

impl Dealing {
    /// Public checks of a dealing: its shape and every proof of knowledge (batched).
    pub fn verify(&self, setup: &Fingerprint, params: &ThresholdParams) -> Result<()> {
        let bad = |reason: String| CryptoError::BadShare { dealer: self.dealer, recipient: 0, reason };
        params.check_index(self.dealer, "dealer")?;
        let t = params.threshold as usize;
        if self.commitments.len() != t || self.proofs.len() != t {
            return Err(bad(format!(
                "expected {t} commitments and proofs, found {} and {}",
                self.commitments.len(),
                self.proofs.len()
            )));
        }
        let recipients: Vec<u32> = self.shares.iter().map(|s| s.recipient).collect();
        if recipients != (1..=params.trustees).collect::<Vec<_>>() {
            return Err(bad(format!(
                "shares must go to trustees 1..={} in order, found {recipients:?}",
                params.trustees
            )));
        }
        if let Some(s) = self.shares.iter().find(|s| s.ciphertext.len() != ENCRYPTED_SHARE_LEN) {
            return Err(bad(format!("share for trustee {} is not {ENCRYPTED_SHARE_LEN} bytes", s.recipient)));
        }
        let mut batch = BatchVerifier::new();
        for (k, (c, proof)) in self.commitments.iter().zip(&self.proofs).enumerate() {
            proof.add_to_batch(transcript::coefficient_pok(setup, self.dealer, k as u32, c), c, &mut batch);
        }
        match batch.verify() {
            Ok(()) => Ok(()),
            Err(CryptoError::BatchFailed { failed }) => Err(CryptoError::InvalidProof {
                proof: "coefficient proof of knowledge",
                reason: format!("dealer {}, coefficient(s) {failed:?}", self.dealer),
            }),
            Err(e) => Err(e),
        }
    }

    /// Round 2, for the recipient: decrypts its share and checks it against the commitments.
    /// On failure returns a complaint to publish instead.
    pub fn receive<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        me: &TransportSecret,
        rng: &mut R,
    ) -> std::result::Result<SecretScalar, Box<Complaint>> {
        let share = self.shares.iter().find(|s| s.recipient == me.trustee);
        let my_key = me.secret.public();
        let Some(share) = share else {
            // A dealing without our share fails its public check; nothing to reveal.
            return Err(Box::new(Complaint::missing(self.dealer, me.trustee)));
        };
        let shared = Element::from_point(me.secret.expose() * share.ephemeral.point());
        match open_share(setup, self.dealer, share, &my_key, &shared) {
            Some(s) if mul_g(s.expose()) == commitment_at(&self.commitments, me.trustee) => Ok(s),
            _ => {
                let t = transcript::complaint(setup, self.dealer, me.trustee, &share.ephemeral, &my_key, &shared);
                let proof = ChaumPedersenProof::prove(t, share.ephemeral.point(), &me.secret, rng);
                Err(Box::new(Complaint { dealer: self.dealer, recipient: me.trustee, shared, proof: Some(proof) }))
            }
        }
    }
}

/// A recipient's public accusation that a dealer's share to it is bad, with the evidence to
/// judge it: the revealed Diffie–Hellman secret and a proof that it is the right one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub dealer: u32,
    /// `None` only when the dealing has no share for the recipient at all.
    pub proof: Option<ChaumPedersenProof>,
    pub recipient: u32,
    pub shared: Element,
}

/// Who a judged complaint blames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The share is bad: the dealer is disqualified.
    DealerAtFault,
    /// The share is good or the evidence is false: the complaint is dismissed.
    Dismissed,
}

impl Complaint {
    fn missing(dealer: u32, recipient: u32) -> Self {
        Complaint { dealer, recipient, shared: Element::identity(), proof: None }
    }

    /// Judges the complaint from public data alone: the dealing and the recipient's
    /// transport key.
    pub fn judge(&self, setup: &Fingerprint, dealing: &Dealing, recipient_key: &Element) -> Verdict {
        let Some(share) = dealing.shares.iter().find(|s| s.recipient == self.recipient) else {
            return Verdict::DealerAtFault;
        };
        let Some(proof) = &self.proof else {
            return Verdict::Dismissed;
        };
        let t =
            transcript::complaint(setup, self.dealer, self.recipient, &share.ephemeral, recipient_key, &self.shared);
        if proof.verify(t, &share.ephemeral, recipient_key, &self.shared).is_err() {
            return Verdict::Dismissed;
        }
        match open_share(setup, self.dealer, share, recipient_key, &self.shared) {
            Some(s) if mul_g(s.expose()) == commitment_at(&dealing.commitments, self.recipient) => Verdict::Dismissed,
            _ => Verdict::DealerAtFault,
        }
    }
}

/// The public outcome of the ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeremonyOutcome {
    /// Dealers whose dealing counts, ascending.
    pub qualified: Vec<u32>,
    pub joint_key: Element,
    /// `VK_1 … VK_n`, in trustee order.
    pub verification_keys: Vec<Element>,
}

/// Computes the outcome from the public messages: every transport key and dealing is
/// checked, every complaint judged.
///
/// `transport_keys` must be exactly trustees `1 … n`, each once, each with a valid proof.
/// `dealings` may be in any order; a dealer that dealt twice is an error, whatever the
/// dealings' validity. A dealing that fails its public checks is left out of QUAL. A
/// complaint counts only if its recipient is a trustee.
pub fn outcome(
    setup: &Fingerprint,
    params: &ThresholdParams,
    transport_keys: &[TransportKey],
    dealings: &[Dealing],
    complaints: &[Complaint],
) -> Result<CeremonyOutcome> {
    let numbers: Vec<u32> = transport_keys.iter().map(|k| k.trustee).collect();
    if numbers != (1..=params.trustees).collect::<Vec<_>>() {
        return Err(CryptoError::Parameter(format!(
            "transport keys must be those of trustees 1..={} in order, found {numbers:?}",
            params.trustees
        )));
    }
    for k in transport_keys {
        k.verify(setup)?;
    }
    let mut valid: BTreeMap<u32, &Dealing> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for d in dealings {
        if !seen.insert(d.dealer) {
            return Err(CryptoError::Parameter(format!("dealer {} dealt twice", d.dealer)));
        }
        if d.verify(setup, params).is_ok() {
            valid.insert(d.dealer, d);
        }
    }
    for c in complaints {
        let Some(k) = c.recipient.checked_sub(1).and_then(|i| transport_keys.get(i as usize)) else { continue };
        if let Some(d) = valid.get(&c.dealer) {
            if c.judge(setup, d, &k.key) == Verdict::DealerAtFault {
                valid.remove(&c.dealer);
            }
        }
    }
    if valid.len() < params.threshold as usize {
        return Err(CryptoError::Parameter(format!(
            "only {} qualified dealers, fewer than the threshold {}",
            valid.len(),
            params.threshold
        )));
    }
    let joint = valid.values().fold(RistrettoPoint::identity(), |acc, d| acc + d.commitments[0].point());
    let verification_keys = (1..=params.trustees)
        .map(|j| Element::from_point(valid.values().map(|d| commitment_at(&d.commitments, j)).sum()))
        .collect();
    Ok(CeremonyOutcome {
        qualified: valid.keys().copied().collect(),
        joint_key: Element::from_point(joint),
        verification_keys,
    })
}

/// Trustee `j`'s secret share `s_j = Σ_{i∈QUAL} s_{i,j}`, checked against its verification key.
pub fn combine_shares(
    trustee: u32,
    received: &[(u32, SecretScalar)],
    outcome: &CeremonyOutcome,
) -> Result<SecretScalar> {
    let mut sum = Scalar::ZERO;
    for dealer in &outcome.qualified {
        let (_, s) = received.iter().find(|(d, _)| d == dealer).ok_or_else(|| CryptoError::BadShare {
            dealer: *dealer,
            recipient: trustee,
            reason: "no share received from this qualified dealer".into(),
        })?;
        sum += s.expose();
    }
    let share = SecretScalar::new(sum);
    sum.zeroize();
    let expected = trustee.checked_sub(1).and_then(|i| outcome.verification_keys.get(i as usize));
    if expected != Some(&share.public()) {
        return Err(CryptoError::Parameter(format!(
            "trustee {trustee}'s combined share does not match its verification key"
        )));
    }
    Ok(share)
}
