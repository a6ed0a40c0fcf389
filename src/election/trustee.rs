//! A trustee's side of the election: its secrets, and each step of the key ceremony and of
//! the decryption, taking and producing only public messages.
//!
//! ```text
//! new        transport key pair                          → TransportKey (public)
//! deal       random polynomial of degree t − 1           → Dealing (public, shares encrypted)
//! receive    decrypt and check the shares dealt to me    → complaints (public), shares kept
//! decrypt    s_j = Σ_{i∈QUAL} s_{i,j}, checked by VK_j   → TrusteeDecryption (public)
//! ```
//!
//! The secrets persist between steps in the trustee's own file (see [`TrusteeSecrets::to_json`]);
//! the CLI keeps it with mode 0600.

use rand::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::ElectionError;
use super::params::ElectionParams;
use super::tally::{EncryptedTally, TrusteeDecryption};
use crate::crypto::group::{Fingerprint, SecretScalar, scalar_from_hex, to_hex};
use crate::crypto::threshold::ThresholdParams;
use crate::crypto::threshold::dkg::{
    CeremonyOutcome, Complaint, Dealing, Polynomial, TransportKey, TransportSecret, combine_shares,
};

/// Everything secret a trustee holds.
pub struct TrusteeSecrets {
    pub index: u32,
    transport: TransportSecret,
    polynomial: Option<Polynomial>,
    /// Shares received and checked, by dealer.
    received: Vec<(u32, SecretScalar)>,
}

/// The file form: hex scalars. Only ever written to a private file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretsFile {
    index: u32,
    polynomial: Option<Vec<String>>,
    received: Vec<(u32, String)>,
    transport: String,
}

fn hex_secret(s: &SecretScalar) -> String {
    to_hex(s.expose().as_bytes())
}

fn parse_secret(field: &str, text: &str) -> Result<SecretScalar, ElectionError> {
    Ok(SecretScalar::new(scalar_from_hex(field, text)?))
}

impl TrusteeSecrets {
    pub fn new<R: CryptoRng + ?Sized>(index: u32, rng: &mut R) -> Self {
        TrusteeSecrets { index, transport: TransportSecret::generate(index, rng), polynomial: None, received: vec![] }
    }

    pub fn transport_key<R: CryptoRng + ?Sized>(&self, setup: &Fingerprint, rng: &mut R) -> TransportKey {
        self.transport.publish(setup, rng)
    }

    /// The key that signs this trustee's requests to a running board (`board::auth`): its
    /// transport secret, whose public key the board holds from its transport_key event.
    pub fn signing_key(&self) -> &SecretScalar {
        self.transport.secret()
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
        let polynomial = Polynomial::random(params.threshold as usize - 1, rng);
        let dealing = polynomial.deal(setup, self.index, transport_keys, rng);
        self.polynomial = Some(polynomial);
        Ok(dealing)
    }

    /// Round 2: decrypts and checks every share dealt to this trustee; keeps the good ones and
    /// returns complaints about the bad.
    pub fn receive<R: CryptoRng + ?Sized>(
        &mut self,
        setup: &Fingerprint,
        dealings: &[Dealing],
        rng: &mut R,
    ) -> Vec<Complaint> {
        let mut complaints = Vec::new();
        for d in dealings {
            if self.received.iter().any(|(dealer, _)| *dealer == d.dealer) {
                continue;
            }
            match d.receive(setup, &self.transport, rng) {
                Ok(share) => self.received.push((d.dealer, share)),
                Err(c) => complaints.push(*c),
            }
        }
        complaints
    }

    /// Decryption shares of the whole tally, from this trustee's combined share (checked against
    /// its verification key).
    pub fn decrypt<R: CryptoRng + ?Sized>(
        &self,
        election: &ElectionParams,
        ceremony: &CeremonyOutcome,
        tally: &EncryptedTally,
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
        Ok(TrusteeDecryption::create(election, self.index, &share, tally, rng))
    }

    pub fn to_json(&self) -> Zeroizing<String> {
        let file = SecretsFile {
            index: self.index,
            polynomial: self.polynomial.as_ref().map(|p| p.coefficients().iter().map(hex_secret).collect()),
            received: self.received.iter().map(|(d, s)| (*d, hex_secret(s))).collect(),
            transport: hex_secret(self.transport.secret()),
        };
        Zeroizing::new(serde_json::to_string_pretty(&file).expect("serializes"))
    }

    pub fn from_json(text: &str) -> Result<Self, ElectionError> {
        let file: SecretsFile =
            serde_json::from_str(text).map_err(|e| ElectionError::Trustee(format!("trustee key file: {e}")))?;
        let polynomial = file
            .polynomial
            .map(|cs| cs.iter().map(|c| parse_secret("polynomial", c)).collect::<Result<Vec<_>, _>>())
            .transpose()?
            .map(Polynomial::from_coefficients);
        let received = file
            .received
            .iter()
            .map(|(d, s)| Ok((*d, parse_secret("received share", s)?)))
            .collect::<Result<Vec<_>, ElectionError>>()?;
        let transport = TransportSecret::from_secret(file.index, parse_secret("transport", &file.transport)?);
        Ok(TrusteeSecrets { index: file.index, transport, polynomial, received })
    }
}
