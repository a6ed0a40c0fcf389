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
//!              a Schnorr proof of knowledge of r, bound to (i, j, R, E_j, ct)
//! round 2  trustee j checks the whole dealing (every proof), then decrypts s_{i,j} and
//!          checks it against the commitments:  s_{i,j}·g = Σ_k j^k · C_{i,k}
//!          on failure it publishes a complaint: S = e_j·R with a proof log_g E_j = log_R S,
//!          which lets anyone decrypt the share and judge who is at fault.
//! ready    trustee j proves knowledge of s_j for VK_j, bound to the joint key (a rehearsal)
//! result   QUAL = dealers with a valid dealing and no upheld complaint (at least t of them)
//!          joint key        K    = Σ_{i∈QUAL} C_{i,0}
//!          verification key VK_j = Σ_{i∈QUAL} Σ_k j^k · C_{i,k}   (= s_j·g)
//!          secret share     s_j  = Σ_{i∈QUAL} s_{i,j}             (held by trustee j only)
//! ```
//!
//! Why the ephemeral proof: a complaint reveals `S = e_j·R`. Without it, a dealer could set
//! its `R` to another dealer's ephemeral for the same recipient (or that point plus `δ·g`)
//! and let the honest recipient's complaint decrypt the other dealer's share for it. With
//! it, the dealer knows `r` and `S = r·E_j` is something it could compute itself.
//!
//! The joint key's distribution can be biased by dealers who decide, after seeing the
//! others' messages, whether their own dealing counts (Gennaro et al. 1999);
//! `specs/protocol.md` §7.7 says why that does not weaken encryption under `K`.

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
use super::signed::SeatSigned;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::dleq::ChaumPedersenProof;
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex_bytes32, mul_g, scalar_from_bytes};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::transcript;
use crate::crypto::{CryptoError, Result};

/// Bytes of an encrypted share: a 32-byte scalar and a 16-byte Poly1305 tag.
pub const ENCRYPTED_SHARE_LEN: usize = 48;

/// A trustee's published share-transport key, with a proof that it knows the secret and the
/// seat holder's signature by its identity key (the manifest's `trustees.identities[i − 1]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportKey {
    pub key: Element,
    pub proof: SchnorrProof,
    /// Schnorr signature by `I_i` under `transport-key-signature(F_s, i, E_i, I_i)`; required
    /// by the log and the verifier, `None` only so that its absence gets a clear error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SchnorrProof>,
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

    /// The public message of round 0, signed by the seat's identity key.
    pub fn publish<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        identity: &SecretScalar,
        rng: &mut R,
    ) -> TransportKey {
        let key = self.secret.public();
        let proof = SchnorrProof::prove(transcript::transport_key_pok(setup, self.trustee, &key), &self.secret, rng);
        let t = transcript::transport_key_signature(setup, self.trustee, &key, &identity.public());
        let signature = Some(SchnorrProof::prove(t, identity, rng));
        TransportKey { trustee: self.trustee, key, proof, signature }
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

    /// Adds the identity signature's equation to `batch`, for the seat's identity key
    /// `identity`; an error if there is none.
    pub fn add_signature_to_batch(
        &self,
        setup: &Fingerprint,
        identity: &Element,
        batch: &mut BatchVerifier,
    ) -> Result<()> {
        let signature = self.signature.as_ref().ok_or_else(|| CryptoError::InvalidProof {
            proof: "transport key signature",
            reason: format!("trustee {}'s transport key is not signed by its identity key", self.trustee),
        })?;
        let t = transcript::transport_key_signature(setup, self.trustee, &self.key, identity);
        signature.add_to_batch(t, identity, batch);
        Ok(())
    }

    /// Checks that the holder of seat `trustee`'s identity key `identity` signed this key.
    pub fn verify_signature(&self, setup: &Fingerprint, identity: &Element) -> Result<()> {
        let mut batch = BatchVerifier::new();
        self.add_signature_to_batch(setup, identity, &mut batch)?;
        batch.verify().map_err(|_| CryptoError::InvalidProof {
            proof: "transport key signature",
            reason: format!("trustee {}'s transport key is not signed by the identity key of its seat", self.trustee),
        })
    }
}

/// One share `s_{i,j}` encrypted to its recipient's transport key, with the dealer's proof
/// that it knows the ephemeral secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedShare {
    #[serde(with = "hex_bytes")]
    pub ciphertext: Vec<u8>,
    pub ephemeral: Element,
    /// Schnorr proof of knowledge of `r` for `ephemeral = r·g`, under
    /// `ephemeral-pok(F_s, dealer, recipient, ephemeral, E_recipient, ciphertext)`.
    pub proof: SchnorrProof,
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
    /// The dealer's signature by its transport key ([`SeatSigned`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SchnorrProof>,
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
    /// transport key (`transport_keys` in trustee order `1 … n`, already verified), each with
    /// a proof of knowledge of its ephemeral secret.
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
                let mut shared = Element::from_point(ephemeral_secret.expose() * tk.key.point());
                let key = transcript::share_encryption_key(setup, dealer, tk.trustee, &ephemeral, &tk.key, &shared);
                shared.zeroize();
                let ciphertext = cipher(&key)
                    .encrypt(&Nonce::default(), share.expose().as_bytes().as_slice())
                    .expect("32-byte plaintext");
                let t = transcript::ephemeral_pok(setup, dealer, tk.trustee, &ephemeral, &tk.key, &ciphertext);
                let proof = SchnorrProof::prove(t, &ephemeral_secret, rng);
                EncryptedShare { recipient: tk.trustee, ephemeral, proof, ciphertext }
            })
            .collect();
        Dealing { dealer, commitments, proofs, shares, signature: None }
    }
}

fn cipher(key: &Zeroizing<[u8; 32]>) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(&Key::from(**key))
}

/// Decrypts a share from `dealer` under the Diffie–Hellman secret `shared` (what a recipient
/// computes, and what a complaint reveals); `None` if it does not authenticate or is not a
/// canonical scalar.
pub fn open_share(
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

/// Why a recipient takes no share from a dealing.
#[derive(Debug)]
pub enum ShareFault {
    /// The dealing fails its public checks (a proof, its shape): its dealer is not in QUAL
    /// whatever anyone says, so the recipient reveals nothing and does not complain.
    InvalidDealing(CryptoError),
    /// The dealing is valid but the share to this recipient is bad: publish this complaint.
    Complaint(Box<Complaint>),
}

impl Dealing {
    /// Public checks of a dealing: its shape, every coefficient's proof of knowledge and every
    /// share's ephemeral proof of knowledge (one batch). `transport_keys[j − 1]` is `E_j`.
    pub fn verify(&self, setup: &Fingerprint, params: &ThresholdParams, transport_keys: &[Element]) -> Result<()> {
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
        if transport_keys.len() != params.trustees as usize {
            return Err(bad(format!(
                "{} transport keys known, the ceremony has {} trustees",
                transport_keys.len(),
                params.trustees
            )));
        }
        let mut batch = BatchVerifier::new();
        for (k, (c, proof)) in self.commitments.iter().zip(&self.proofs).enumerate() {
            proof.add_to_batch(transcript::coefficient_pok(setup, self.dealer, k as u32, c), c, &mut batch);
        }
        for (share, key) in self.shares.iter().zip(transport_keys) {
            let t = transcript::ephemeral_pok(
                setup,
                self.dealer,
                share.recipient,
                &share.ephemeral,
                key,
                &share.ciphertext,
            );
            share.proof.add_to_batch(t, &share.ephemeral, &mut batch);
        }
        match batch.verify() {
            Ok(()) => Ok(()),
            Err(CryptoError::BatchFailed { failed }) => {
                let (coefficients, shares): (Vec<usize>, Vec<usize>) = failed.into_iter().partition(|&i| i < t);
                let mut reasons = Vec::new();
                if !coefficients.is_empty() {
                    reasons.push(format!("coefficient proof(s) {coefficients:?}"));
                }
                if !shares.is_empty() {
                    let to: Vec<u32> = shares.iter().map(|&i| self.shares[i - t].recipient).collect();
                    reasons.push(format!("ephemeral proof(s) of the shares to trustee(s) {to:?}"));
                }
                Err(CryptoError::InvalidProof {
                    proof: "dealing's proof of knowledge",
                    reason: format!("dealer {}: {}", self.dealer, reasons.join(" and ")),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Round 2, for the recipient: checks the whole dealing first (a recipient never reveals
    /// `e_j·R` for an `R` whose proof fails), then decrypts its share and checks it against
    /// the commitments. On failure says why: an invalid dealing (nothing to do) or a bad share
    /// (the complaint to publish).
    pub fn receive<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        params: &ThresholdParams,
        transport_keys: &[Element],
        me: &TransportSecret,
        rng: &mut R,
    ) -> std::result::Result<SecretScalar, ShareFault> {
        self.verify(setup, params, transport_keys).map_err(ShareFault::InvalidDealing)?;
        let my_key = me.secret.public();
        if me.trustee.checked_sub(1).and_then(|i| transport_keys.get(i as usize)) != Some(&my_key) {
            return Err(ShareFault::InvalidDealing(CryptoError::Parameter(format!(
                "trustee {}'s transport key on the board is not this trustee's",
                me.trustee
            ))));
        }
        let share =
            self.shares.iter().find(|s| s.recipient == me.trustee).expect("verified: a share for every trustee");
        let mut shared = Element::from_point(me.secret.expose() * share.ephemeral.point());
        match open_share(setup, self.dealer, share, &my_key, &shared) {
            Some(s) if mul_g(s.expose()) == commitment_at(&self.commitments, me.trustee) => {
                shared.zeroize();
                Ok(s)
            }
            _ => {
                let t = transcript::complaint(setup, self.dealer, me.trustee, &share.ephemeral, &my_key, &shared);
                let proof = ChaumPedersenProof::prove(t, share.ephemeral.point(), &me.secret, rng);
                Err(ShareFault::Complaint(Box::new(Complaint {
                    dealer: self.dealer,
                    recipient: me.trustee,
                    shared,
                    proof: Some(proof),
                    signature: None,
                })))
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
    /// The recipient's signature by its transport key ([`SeatSigned`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SchnorrProof>,
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

/// The qualified dealings of a ceremony: what the joint key and the verification keys are
/// computed from.
pub struct Qualified<'a> {
    params: ThresholdParams,
    dealings: BTreeMap<u32, &'a Dealing>,
}

impl Qualified<'_> {
    /// QUAL, ascending.
    pub fn dealers(&self) -> Vec<u32> {
        self.dealings.keys().copied().collect()
    }

    /// `K = Σ_{i∈QUAL} C_{i,0}`.
    pub fn joint_key(&self) -> Element {
        Element::from_point(
            self.dealings.values().fold(RistrettoPoint::identity(), |acc, d| acc + d.commitments[0].point()),
        )
    }

    /// `VK_j = Σ_{i∈QUAL} Σ_k j^k·C_{i,k}`.
    pub fn verification_key(&self, j: u32) -> Element {
        Element::from_point(self.dealings.values().map(|d| commitment_at(&d.commitments, j)).sum())
    }

    pub fn outcome(&self) -> CeremonyOutcome {
        CeremonyOutcome {
            qualified: self.dealers(),
            joint_key: self.joint_key(),
            verification_keys: (1..=self.params.trustees).map(|j| self.verification_key(j)).collect(),
        }
    }
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
    Ok(qualify(setup, params, transport_keys, dealings, complaints, true)?.outcome())
}

/// QUAL from the public messages, as [`outcome`] computes it. With `verify_proofs` false the
/// transport keys' and dealings' proofs are taken as verified (by whoever admitted them to
/// the log); their shapes, the complaints and every other rule are still checked.
///
/// Two trustees with the same transport key, or two valid dealings that share a coefficient
/// commitment, are one party in two seats: the ceremony fails.
pub fn qualify<'a>(
    setup: &Fingerprint,
    params: &ThresholdParams,
    transport_keys: &[TransportKey],
    dealings: &'a [Dealing],
    complaints: &[Complaint],
    verify_proofs: bool,
) -> Result<Qualified<'a>> {
    let numbers: Vec<u32> = transport_keys.iter().map(|k| k.trustee).collect();
    if numbers != (1..=params.trustees).collect::<Vec<_>>() {
        return Err(CryptoError::Parameter(format!(
            "transport keys must be those of trustees 1..={} in order, found {numbers:?}",
            params.trustees
        )));
    }
    let mut keys_seen: BTreeMap<[u8; 32], u32> = BTreeMap::new();
    for k in transport_keys {
        if verify_proofs {
            k.verify(setup)?;
        }
        if let Some(first) = keys_seen.insert(k.key.to_bytes(), k.trustee) {
            return Err(CryptoError::Parameter(format!(
                "trustees {first} and {} published the same transport key: one party in two seats",
                k.trustee
            )));
        }
    }
    let keys: Vec<Element> = transport_keys.iter().map(|k| k.key).collect();
    let mut valid: BTreeMap<u32, &Dealing> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for d in dealings {
        if !seen.insert(d.dealer) {
            return Err(CryptoError::Parameter(format!("dealer {} dealt twice", d.dealer)));
        }
        let ok = if verify_proofs { d.verify(setup, params, &keys).is_ok() } else { d.check_shape(params) };
        if ok {
            valid.insert(d.dealer, d);
        }
    }
    if let Some((a, b)) = shared_commitment(valid.values().copied()) {
        return Err(CryptoError::Parameter(format!(
            "dealers {a} and {b} published the same coefficient commitment: one party in two seats"
        )));
    }
    for c in complaints {
        let Some(k) = c.recipient.checked_sub(1).and_then(|i| transport_keys.get(i as usize)) else { continue };
        if let Some(d) = valid.get(&c.dealer)
            && c.judge(setup, d, &k.key) == Verdict::DealerAtFault
        {
            valid.remove(&c.dealer);
        }
    }
    if valid.len() < params.threshold as usize {
        return Err(CryptoError::Parameter(format!(
            "only {} qualified dealers, fewer than the threshold {}",
            valid.len(),
            params.threshold
        )));
    }
    Ok(Qualified { params: *params, dealings: valid })
}

/// Two dealers (ascending) whose dealings share a coefficient commitment, if any.
pub fn shared_commitment<'a>(dealings: impl Iterator<Item = &'a Dealing>) -> Option<(u32, u32)> {
    let mut owner: std::collections::HashMap<[u8; 32], u32> = std::collections::HashMap::new();
    for d in dealings {
        for c in &d.commitments {
            match owner.insert(c.to_bytes(), d.dealer) {
                Some(other) if other != d.dealer => return Some((other.min(d.dealer), other.max(d.dealer))),
                _ => {}
            }
        }
    }
    None
}

impl Dealing {
    /// The shape of [`Dealing::verify`] without its proofs.
    fn check_shape(&self, params: &ThresholdParams) -> bool {
        let t = params.threshold as usize;
        params.check_index(self.dealer, "dealer").is_ok()
            && self.commitments.len() == t
            && self.proofs.len() == t
            && self.shares.iter().map(|s| s.recipient).eq(1..=params.trustees)
            && self.shares.iter().all(|s| s.ciphertext.len() == ENCRYPTED_SHARE_LEN)
    }
}

/// A trustee's rehearsal, posted before voting opens: a proof that it holds the key share
/// `s_j` of `VK_j`, bound to the joint key `K` it was made for, and its commitment to a lot
/// seed it reveals when it decrypts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ready {
    pub joint_key: Element,
    #[serde(with = "hex_bytes32")]
    pub lot_commitment: [u8; 32],
    /// Schnorr proof of knowledge of `s_j` for `VK_j`, under
    /// `ready(F_s, j, VK_j, K, lot_commitment)`.
    pub proof: SchnorrProof,
    /// The trustee's signature by its transport key ([`SeatSigned`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SchnorrProof>,
    pub trustee: u32,
}

impl Ready {
    /// Trustee `trustee`'s ready message for its combined share (whose public key is `VK_j`).
    pub fn create<R: CryptoRng + ?Sized>(
        setup: &Fingerprint,
        trustee: u32,
        share: &SecretScalar,
        joint_key: Element,
        lot_commitment: [u8; 32],
        rng: &mut R,
    ) -> Self {
        let vk = share.public();
        let t = transcript::ready(setup, trustee, &vk, &joint_key, &lot_commitment);
        Ready { joint_key, lot_commitment, proof: SchnorrProof::prove(t, share, rng), signature: None, trustee }
    }

    /// Checks the proof against `VK_j` (which the verifier takes from the ceremony's outcome).
    pub fn verify(&self, setup: &Fingerprint, verification_key: &Element) -> Result<()> {
        let t = transcript::ready(setup, self.trustee, verification_key, &self.joint_key, &self.lot_commitment);
        self.proof.verify(t, verification_key).map_err(|_| CryptoError::InvalidProof {
            proof: "ready proof of knowledge of the key share",
            reason: format!("trustee {}", self.trustee),
        })
    }
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

macro_rules! seat_signed {
    ($type:ty, $kind:literal, $seat:ident) => {
        impl SeatSigned for $type {
            const KIND: &'static str = $kind;

            fn seat(&self) -> u32 {
                self.$seat
            }

            fn signature(&self) -> Option<&SchnorrProof> {
                self.signature.as_ref()
            }

            fn signature_mut(&mut self) -> &mut Option<SchnorrProof> {
                &mut self.signature
            }
        }
    };
}

seat_signed!(Dealing, "dealing", dealer);
seat_signed!(Complaint, "complaint", recipient);
seat_signed!(Ready, "ready", trustee);
