//! A trustee's side of the election: its secrets, and each step of the key ceremony and of
//! the decryption, taking and producing only public messages.
//!
//! ```text
//! new        identity key pair (its public key goes in   → identity key (public, in the manifest)
//!            the manifest) and transport key pair        → TransportKey (public), signed by
//!                                                            the identity key
//! deal       random polynomial of degree t − 1           → Dealing (public, shares encrypted)
//! receive    check every dealing, decrypt and check the  → complaints (public), shares kept
//!            shares dealt to me
//! ready      s_j = Σ_{i∈QUAL} s_{i,j}, checked by VK_j;  → Ready (public): a rehearsal
//!            a proof of knowledge of s_j, bound to K, and a commitment to my lot seed
//! shuffle    a fresh exponent and permutation, erased    → CredentialShuffle (public): the
//!            once the list is raised, permuted, proved      credential list, unlinked
//! decrypt    the same s_j, on a tally I checked          → TrusteeDecryption (public), revealing
//!                                                            the lot seed
//! ```
//!
//! Every public message but the transport key is signed with the transport secret
//! ([`SeatSigned`]); before it deals or receives, the trustee refuses a board whose transport
//! key or dealing in its own seat is not its own.
//!
//! The secrets persist between steps in the trustee's own file (see [`TrusteeSecrets::to_json`]);
//! the CLI keeps it with mode 0600.

use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::ElectionError;
use super::counting::lot_commitment;
use super::credential::CredentialList;
use super::params::ElectionParams;
use super::tally::{EncryptedTally, TrusteeDecryption};
use super::unlinking::CredentialShuffle;
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex32, scalar_from_hex};
use crate::crypto::schnorr::SchnorrProof;
use crate::crypto::shuffle::ShuffleContext;
use crate::crypto::shuffle::prove::shuffle;
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::threshold::dkg::{
    CeremonyOutcome, Complaint, Dealing, Polynomial, Ready, ShareFault, TransportKey, TransportSecret, combine_shares,
};
use crate::crypto::threshold::signed::SeatSigned;
use crate::crypto::transcript;

/// Everything secret a trustee holds.
pub struct TrusteeSecrets {
    pub index: u32,
    /// The long-term key whose public key the manifest names for this seat.
    identity: SecretScalar,
    transport: TransportSecret,
    polynomial: Option<Polynomial>,
    /// Shares received and checked, by dealer.
    received: Vec<(u32, SecretScalar)>,
    /// The seed this trustee committed to in its ready event and reveals when it decrypts.
    lot_seed: Zeroizing<[u8; 32]>,
}

/// The file form: hex scalars. Only ever written to a private file; every string is cleared
/// when the value is dropped.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretsFile {
    identity: String,
    index: u32,
    /// Absent in files written before lot seeds existed: one is drawn when the file is read.
    #[serde(default)]
    lot_seed: Option<String>,
    polynomial: Option<Vec<String>>,
    received: Vec<(u32, String)>,
    transport: String,
}

impl Drop for SecretsFile {
    fn drop(&mut self) {
        self.identity.zeroize();
        self.lot_seed.zeroize();
        self.polynomial.zeroize();
        for (_, s) in &mut self.received {
            s.zeroize();
        }
        self.transport.zeroize();
    }
}

/// A secret's 64 hex digits, built in a zeroized stack buffer and copied once into a string of
/// exactly that size (no growing string leaves partial copies behind).
fn hex_secret(s: &SecretScalar) -> String {
    secret_hex(s.expose().as_bytes())
}

fn secret_hex(bytes: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = Zeroizing::new([0u8; 64]);
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[(b >> 4) as usize];
        pair[1] = DIGITS[(b & 15) as usize];
    }
    String::from(std::str::from_utf8(buf.as_ref()).expect("hex digits are ASCII"))
}

fn parse_secret(field: &str, text: &str) -> Result<SecretScalar, ElectionError> {
    Ok(SecretScalar::new(scalar_from_hex(field, text)?))
}

impl TrusteeSecrets {
    pub fn new<R: CryptoRng + ?Sized>(index: u32, rng: &mut R) -> Self {
        TrusteeSecrets {
            index,
            identity: SecretScalar::random(rng),
            transport: TransportSecret::generate(index, rng),
            polynomial: None,
            received: vec![],
            lot_seed: random_seed(rng),
        }
    }

    /// The identity public key `I_i`, for the manifest's `trustees.identities[i − 1]`.
    pub fn identity_key(&self) -> Element {
        self.identity.public()
    }

    /// The transport key, signed by the identity key.
    pub fn transport_key<R: CryptoRng + ?Sized>(&self, setup: &Fingerprint, rng: &mut R) -> TransportKey {
        self.transport.publish(setup, &self.identity, rng)
    }

    /// Refuses a board whose transport key in this trustee's seat is not this trustee's: the
    /// board (or whoever) holds the seat, and anything this trustee did there would serve them.
    fn check_own_transport_key(&self, transport_keys: &[TransportKey]) -> Result<(), ElectionError> {
        let mine = self.transport.secret().public();
        match transport_keys.iter().find(|k| k.trustee == self.index) {
            Some(k) if k.key == mine => Ok(()),
            Some(_) => Err(ElectionError::Trustee(format!(
                "trustee {}: the transport key in this trustee's seat is not this trustee's: someone else \
                 holds the seat; refusing to take part (report it to the election's observers)",
                self.index
            ))),
            None => Err(ElectionError::Trustee(format!(
                "trustee {}: no transport key of this trustee's on the board (`dauys trustee init` first)",
                self.index
            ))),
        }
    }

    /// The key that signs this trustee's requests to a running board (`board::auth`): its
    /// transport secret, whose public key the board holds from its transport_key event.
    pub fn signing_key(&self) -> &SecretScalar {
        self.transport.secret()
    }

    /// This trustee's shuffle of the credential list `(base, input)` (the board's current one),
    /// signed by its transport key. The exponent and permutation are erased on return.
    pub fn shuffle<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        base: &Element,
        input: &CredentialList,
        rng: &mut R,
    ) -> Result<CredentialShuffle, ElectionError> {
        CredentialShuffle::make(setup, &self.transport, base, input, rng)
    }

    /// [`TrusteeSecrets::shuffle`] of list `list` (a ballot style's index in the manifest).
    pub fn shuffle_list<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        list: u32,
        base: &Element,
        input: &CredentialList,
        rng: &mut R,
    ) -> Result<CredentialShuffle, ElectionError> {
        CredentialShuffle::make_list(setup, &self.transport, list, base, input, rng)
    }

    /// Round 1: a fresh polynomial (kept) and its dealing.
    pub fn deal<R: CryptoRng + ?Sized>(
        &mut self,
        setup: &Fingerprint,
        params: &ThresholdParams,
        transport_keys: &[TransportKey],
        rng: &mut R,
    ) -> Result<Dealing, ElectionError> {
        if self.polynomial.is_some() {
            return Err(ElectionError::Trustee(format!("trustee {} has dealt already", self.index)));
        }
        self.check_own_transport_key(transport_keys)?;
        let polynomial = Polynomial::random(params.threshold as usize - 1, rng);
        let dealing = polynomial.deal(setup, self.index, transport_keys, rng).sign(setup, self.transport.secret(), rng);
        self.polynomial = Some(polynomial);
        Ok(dealing)
    }

    /// Round 2: checks every dealing, decrypts and checks every share dealt to this trustee;
    /// keeps the good ones and returns complaints about the bad. A dealing that fails its
    /// public checks is skipped without a complaint: its dealer is out of QUAL anyway, and
    /// complaining would reveal `e_j·R` for an `R` nobody proved to know.
    ///
    /// Refuses, posting nothing, a board whose transport key in this trustee's seat is not its
    /// own, whose dealing in this trustee's seat is not the one it made, or whose dealing is
    /// not signed by its dealer's transport key: each means someone else posts in a seat.
    pub fn receive<R: CryptoRng + ?Sized>(
        &mut self,
        setup: &Fingerprint,
        params: &ThresholdParams,
        transport_keys: &[TransportKey],
        dealings: &[Dealing],
        rng: &mut R,
    ) -> Result<Vec<Complaint>, ElectionError> {
        self.check_own_transport_key(transport_keys)?;
        let keys: Vec<_> = transport_keys.iter().map(|k| k.key).collect();
        let own: Option<Vec<Element>> =
            self.polynomial.as_ref().map(|p| p.coefficients().iter().map(SecretScalar::public).collect());
        if dealings.iter().any(|d| d.dealer == self.index && own.as_ref() != Some(&d.commitments)) {
            return Err(ElectionError::Trustee(format!(
                "trustee {}: the dealing in this trustee's seat is not the one it made: someone else dealt in \
                 its name; refusing to take part (report it to the election's observers)",
                self.index
            )));
        }
        for d in dealings {
            let key = d.dealer.checked_sub(1).and_then(|i| keys.get(i as usize));
            if key.is_none_or(|key| d.verify_signature(setup, key).is_err()) {
                return Err(ElectionError::Trustee(format!(
                    "trustee {}: dealer {}'s dealing is not signed by the transport key of its seat; refusing \
                     to take part",
                    self.index, d.dealer
                )));
            }
        }
        let mut complaints = Vec::new();
        for d in dealings {
            if self.received.iter().any(|(dealer, _)| *dealer == d.dealer) {
                continue;
            }
            match d.receive(setup, params, &keys, &self.transport, rng) {
                Ok(share) => self.received.push((d.dealer, share)),
                Err(ShareFault::Complaint(c)) => complaints.push(c.sign(setup, self.transport.secret(), rng)),
                Err(ShareFault::InvalidDealing(_)) => {}
            }
        }
        Ok(complaints)
    }

    /// The commitment to this trustee's lot seed.
    pub fn lot_commitment(&self, setup: &Fingerprint) -> [u8; 32] {
        lot_commitment(setup, self.index, &self.lot_seed)
    }

    /// The rehearsal before voting opens: this trustee's share for the ceremony's current
    /// outcome (checked against its verification key), proved, with its lot commitment.
    pub fn ready<R: CryptoRng + ?Sized>(
        &self,
        setup: &Fingerprint,
        ceremony: &CeremonyOutcome,
        rng: &mut R,
    ) -> Result<Ready, ElectionError> {
        let share = combine_shares(self.index, &self.received, ceremony)?;
        Ok(Ready::create(setup, self.index, &share, ceremony.joint_key, self.lot_commitment(setup), rng).sign(
            setup,
            self.transport.secret(),
            rng,
        ))
    }

    /// Decryption shares of the whole tally, from this trustee's combined share (checked against
    /// its verification key). With `reveal`, the decryption reveals the lot seed (a trustee
    /// whose ready event counted must reveal it; one without must not).
    pub fn decrypt<R: CryptoRng + ?Sized>(
        &self,
        election: &ElectionParams,
        ceremony: &CeremonyOutcome,
        tally: &EncryptedTally,
        reveal: bool,
        rng: &mut R,
    ) -> Result<TrusteeDecryption, ElectionError> {
        if self.received.is_empty() {
            return Err(ElectionError::Trustee(format!(
                "trustee {} never received its shares (`dauys trustee receive`, during the key ceremony), \
                 so it holds no key share and cannot decrypt; any {} other trustees can",
                self.index, election.manifest.trustees.threshold
            )));
        }
        let share = combine_shares(self.index, &self.received, ceremony)?;
        let seed = reveal.then(|| *self.lot_seed);
        let setup = election.manifest.setup_fingerprint();
        Ok(TrusteeDecryption::create(election, self.index, &share, tally, seed, rng).sign(
            &setup,
            self.transport.secret(),
            rng,
        ))
    }

    /// The key file's text (indented JSON), written into one buffer sized in advance so that
    /// no partial copy of a secret is left behind by a reallocation.
    pub fn to_json(&self) -> Zeroizing<String> {
        let file = SecretsFile {
            identity: hex_secret(&self.identity),
            index: self.index,
            lot_seed: Some(secret_hex(&self.lot_seed)),
            polynomial: self.polynomial.as_ref().map(|p| p.coefficients().iter().map(hex_secret).collect()),
            received: self.received.iter().map(|(d, s)| (*d, hex_secret(s))).collect(),
            transport: hex_secret(self.transport.secret()),
        };
        let scalars = 3 + file.polynomial.as_ref().map_or(0, Vec::len) + file.received.len();
        let mut out = Zeroizing::new(Vec::with_capacity(256 + 128 * scalars));
        serde_json::to_writer_pretty(&mut *out, &file).expect("serializes");
        let text = std::mem::take(&mut *out);
        Zeroizing::new(String::from_utf8(text).expect("JSON is UTF-8"))
    }

    pub fn from_json(text: &str) -> Result<Self, ElectionError> {
        let file: SecretsFile =
            serde_json::from_str(text).map_err(|e| ElectionError::Trustee(format!("trustee key file: {e}")))?;
        let polynomial = file
            .polynomial
            .as_ref()
            .map(|cs| cs.iter().map(|c| parse_secret("polynomial", c)).collect::<Result<Vec<_>, _>>())
            .transpose()?
            .map(Polynomial::from_coefficients);
        let received = file
            .received
            .iter()
            .map(|(d, s)| Ok((*d, parse_secret("received share", s)?)))
            .collect::<Result<Vec<_>, ElectionError>>()?;
        let transport = TransportSecret::from_secret(file.index, parse_secret("transport", &file.transport)?);
        let lot_seed = match &file.lot_seed {
            Some(hex) => Zeroizing::new(hex32("lot seed", hex)?),
            None => random_seed(&mut rand::rng()),
        };
        let identity = parse_secret("identity", &file.identity)?;
        Ok(TrusteeSecrets { index: file.index, identity, transport, polynomial, received, lot_seed })
    }
}

/// Making a `shuffle` event is the shuffler's (a trustee's) alone: it is here, with the
/// trustee's other steps, and not in [`super::unlinking`], which holds what checking one needs.
impl CredentialShuffle {
    /// Shuffles `(base, input)` as trustee `transport.trustee` and signs the result (list 0:
    /// the only one of an election without ballot styles).
    pub fn make<R: CryptoRng + ?Sized>(
        setup: &Fingerprint,
        transport: &TransportSecret,
        base: &Element,
        input: &CredentialList,
        rng: &mut R,
    ) -> Result<Self, ElectionError> {
        Self::make_list(setup, transport, 0, base, input, rng)
    }

    /// Shuffles list `list` (a ballot style's) from `(base, input)` and signs the result.
    pub fn make_list<R: CryptoRng + ?Sized>(
        setup: &Fingerprint,
        transport: &TransportSecret,
        list: u32,
        base: &Element,
        input: &CredentialList,
        rng: &mut R,
    ) -> Result<Self, ElectionError> {
        let context = ShuffleContext { fingerprint: *setup, shuffler: transport.trustee, list };
        let done = shuffle(&context, base, input.as_slice(), rng)?;
        let output = CredentialList::from_encodings(done.output)?;
        let mut event = CredentialShuffle {
            list,
            new_base: done.new_base,
            output,
            proof: done.proof,
            shuffler: transport.trustee,
            signature: SchnorrProof { commitment: Element::identity(), response: Default::default() },
        };
        let key = transport.secret().public();
        event.signature = SchnorrProof::prove(
            transcript::trustee_event_signature(setup, event.shuffler, "shuffle", &event.digest(), &key),
            transport.secret(),
            rng,
        );
        Ok(event)
    }
}

fn random_seed<R: CryptoRng + ?Sized>(rng: &mut R) -> Zeroizing<[u8; 32]> {
    let mut seed = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(seed.as_mut());
    seed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_round_trips_and_keeps_the_lot_seed() {
        let mut rng = rand::rng();
        let setup = Fingerprint([3; 32]);
        let t = TrusteeSecrets::new(2, &mut rng);
        let text = t.to_json();
        let back = TrusteeSecrets::from_json(&text).unwrap();
        assert_eq!(back.index, 2);
        assert_eq!(back.lot_commitment(&setup), t.lot_commitment(&setup));
        assert_eq!(back.to_json().as_str(), text.as_str());
        // A file from before lot seeds: one is drawn, and kept once the file is rewritten.
        let old: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut old = old.as_object().unwrap().clone();
        old.remove("lot_seed");
        let old = TrusteeSecrets::from_json(&serde_json::to_string(&old).unwrap()).unwrap();
        assert_ne!(old.lot_commitment(&setup), t.lot_commitment(&setup));
        assert!(TrusteeSecrets::from_json(&text.replace("\"index\"", "\"extra\": 1, \"index\"")).is_err());
        let secret = SecretScalar::random(&mut rng);
        assert_eq!(hex_secret(&secret), crate::crypto::group::to_hex(secret.expose().as_bytes()));
    }
}
