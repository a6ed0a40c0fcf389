//! The registrar's desk: the one round trip of a citizen's registration
//! (`specs/protocol.md` §14.2 step 3), run by `dauys register --dir` on the operator's machine
//! or by the board process started with `board serve --registrar-key` (`POST /register/…`).
//!
//! ```text
//! 1  citizen → desk   citizen key and certificate, IIN, the certificate's opening (salt),
//!                     the citizen's signature over ("dauys/desk-request/v1", F_s)
//!    desk             registration open; certificate by the roll's CA; opening ↔ IIN;
//!                     signed by the certified key; then P = HMAC(k_P, …, IIN) on the roll
//!                     and not registered → P
//! 2  citizen          X = x·g, proof of knowledge of x, signature over (F_s, P, X[, style])
//!    citizen → desk   the same IIN and opening, and the registration
//!    desk             step 1's checks again, the registration's signature in place of the
//!                     request's; the registration's citizen and P are those → post
//! ```
//!
//! The desk is stateless: step 2 repeats step 1's checks, so that nobody registers under a
//! pseudonym the desk did not give their certified identity. Nothing about the roll entry (its
//! P, on the roll or not, registered or not) is said before the requester has shown, by a
//! signature for this election, that it holds the certified key: a certificate is public and
//! its opening is known to the CA and to every registrar it was shown to (`specs/protocol.md`
//! §14.7). Like the registrar the desk learns IIN ↔ P ↔ X, which the threat model grants the
//! registrar (`specs/protocol.md` §10); it keeps nothing.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::group::{Fingerprint, hex_bytes32};
use crate::election::citizen_ca::CitizenKeys;
use crate::election::pseudonym::PseudonymKey;
use crate::election::registrar::check_iin;
use crate::election::registration::{
    Authenticator, Citizen, IdentityOpening, Pseudonym, Registration, Roll, SyntheticCa, hex_bytes64,
};
use crate::log::event::Phase;
use crate::log::state::LogState;

/// Why the desk refuses, each with a stable code for the HTTP API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("registration is not open: {0}")]
    NotOpen(String),
    #[error("registration closed: no registration is accepted after the registrar closed it")]
    Closed,
    #[error("IIN: {0}")]
    BadIin(String),
    #[error("the certificate is not from the roll's CA: {0}")]
    Certificate(String),
    #[error("the certificate's opening does not match the IIN {0}: this certificate is another citizen's")]
    Identity(String),
    #[error("the request is not signed with the certificate's key for this election ({0}): a certificate is public")]
    Signature(String),
    #[error("IIN {0} is not on the roll")]
    NotOnRoll(String),
    #[error("IIN {0} has registered already: one registration per roll entry")]
    AlreadyRegistered(String),
    #[error("the registration is not the one the desk can post: {0}")]
    Mismatch(String),
    #[error("this registrar key file is for election {key:?}, the board's is {board:?}")]
    WrongElection { key: String, board: String },
}

impl Refusal {
    /// The API's error code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotOpen(_) | Refusal::Closed => "order",
            Refusal::BadIin(_) => "malformed",
            Refusal::Certificate(_) => "certificate",
            Refusal::Identity(_) => "identity",
            Refusal::Signature(_) => "signature",
            Refusal::NotOnRoll(_) => "not_on_roll",
            Refusal::AlreadyRegistered(_) => "already_registered",
            Refusal::Mismatch(_) => "rejected",
            Refusal::WrongElection { .. } => "wrong_election",
        }
    }
}

/// The registrar's key file (`registrar.key`, mode 0600): the pseudonym key `k_P` of one
/// election, and nothing else (no roll, no IIN).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    election_id: String,
    pseudonym_key: String,
}

/// The desk of one election: its id and the registrar's `k_P`.
#[derive(Debug)]
pub struct Desk {
    election_id: String,
    key: PseudonymKey,
}

/// Step 1's request body (`POST /register/pseudonym`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PseudonymRequest {
    pub citizen: Citizen,
    pub iin: String,
    /// The salt that opens the certificate's identity commitment.
    #[serde(with = "hex_bytes32")]
    pub opening: [u8; 32],
    /// The citizen's signature over `"dauys/desk-request/v1" ‖ F_s`: it holds the key.
    #[serde(with = "hex_bytes64")]
    pub signature: [u8; 64],
}

impl PseudonymRequest {
    /// The citizen's request, signed, for the election with setup fingerprint `setup`.
    pub fn new(keys: &CitizenKeys, setup: &Fingerprint, iin: &str) -> Self {
        PseudonymRequest {
            citizen: keys.citizen.clone(),
            iin: iin.to_string(),
            opening: *keys.opening.0,
            signature: keys.sign_desk_request(setup),
        }
    }
}

/// Step 1's answer: the citizen's pseudonym and, with several ballot styles, the id of the
/// style its registration must name (the roll's for that pseudonym, `specs/record.md` §6.9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admitted {
    pub pseudonym: Pseudonym,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// Step 2's request body (`POST /register`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub iin: String,
    #[serde(with = "hex_bytes32")]
    pub opening: [u8; 32],
    pub registration: Registration,
}

impl Desk {
    pub fn new(election_id: &str, key: PseudonymKey) -> Desk {
        Desk { election_id: election_id.to_string(), key }
    }

    pub fn election_id(&self) -> &str {
        &self.election_id
    }

    /// `P` for an IIN of this election (the registrar posting the roll).
    pub fn pseudonym(&self, iin: &str) -> Pseudonym {
        Pseudonym(self.key.pseudonym(&self.election_id, iin))
    }

    pub fn to_file(&self) -> Zeroizing<String> {
        let id = serde_json::to_string(&self.election_id).expect("serializes");
        Zeroizing::new(format!("{{\"election_id\":{id},\"pseudonym_key\":\"{}\"}}", self.key.to_hex().as_str()))
    }

    pub fn from_file(text: &str) -> Result<Desk, String> {
        let file: KeyFile = serde_json::from_str(text).map_err(|e| format!("not a registrar key file: {e}"))?;
        let hex = Zeroizing::new(file.pseudonym_key);
        let key = PseudonymKey::from_hex(&hex).map_err(|e| e.to_string())?;
        Ok(Desk { election_id: file.election_id, key })
    }

    /// Refuses a board of another election.
    pub fn check_election(&self, state: &LogState) -> Result<(), Refusal> {
        let board = state.setup.as_ref().map_or("", |s| s.manifest.election_id.as_str());
        if board != self.election_id {
            return Err(Refusal::WrongElection { key: self.election_id.clone(), board: board.to_string() });
        }
        Ok(())
    }

    /// Step 1: the citizen's pseudonym and, where the manifest has several ballot styles, the
    /// style its roll entry gives (which the citizen then signs), after every check the desk
    /// can make.
    pub fn admit(&self, state: &LogState, request: &PseudonymRequest) -> Result<Admitted, Refusal> {
        let (roll, setup) = self.identify(state, &request.citizen, &request.iin, &request.opening)?;
        request
            .citizen
            .check_desk_request(&setup, &request.signature)
            .map_err(|e| Refusal::Signature(e.to_string()))?;
        let pseudonym = self.entry(state, roll, &request.iin)?;
        let styles = state.registration.styles();
        let style =
            (styles.len() > 1).then(|| roll.style_of(&pseudonym).and_then(|s| styles.get(s).cloned())).flatten();
        Ok(Admitted { pseudonym, style })
    }

    /// Step 2: step 1's checks again, and the registration is this citizen's, under the
    /// pseudonym step 1 gave. Its signature over (F_s, P, X[, style]) stands for step 1's; the log then
    /// checks it again, with the proof.
    pub fn check(&self, state: &LogState, request: &RegisterRequest) -> Result<(), Refusal> {
        let r = &request.registration;
        let (roll, setup) = self.identify(state, &r.citizen, &request.iin, &request.opening)?;
        r.check_signature(&setup).map_err(|e| Refusal::Signature(e.to_string()))?;
        let p = self.entry(state, roll, &request.iin)?;
        if r.pseudonym != p {
            return Err(Refusal::Mismatch("its pseudonym is not the one of the IIN".into()));
        }
        Ok(())
    }

    /// Who the certificate says asks: the board's election, registration open, the IIN's
    /// form, the certificate under the roll's CA key (the manifest's `citizen_ca`), its
    /// opening to the IIN. Nothing here depends on the roll's entries.
    fn identify<'s>(
        &self,
        state: &'s LogState,
        citizen: &Citizen,
        iin: &str,
        opening: &[u8; 32],
    ) -> Result<(&'s Roll, Fingerprint), Refusal> {
        self.check_election(state)?;
        match state.phase() {
            Phase::Registration => {}
            Phase::Empty | Phase::Ceremony => {
                return Err(Refusal::NotOpen("the registrar has not posted the roll (`dauys registrar roll`)".into()));
            }
            Phase::Shuffling | Phase::Voting | Phase::Challenges | Phase::Closed | Phase::Decrypting | Phase::Done => {
                return Err(Refusal::Closed);
            }
        }
        let roll = state.registration.roll.as_ref().ok_or_else(|| Refusal::NotOpen("no roll".into()))?;
        let setup = state.setup_fingerprint.ok_or_else(|| Refusal::NotOpen("no setup".into()))?;
        check_iin(iin).map_err(Refusal::BadIin)?;
        let ca = SyntheticCa { key: roll.ca_key };
        ca.check_certificate(citizen).map_err(|e| Refusal::Certificate(e.to_string()))?;
        ca.check_identity(citizen, &IdentityOpening(Zeroizing::new(*opening)), iin)
            .map_err(|_| Refusal::Identity(iin.to_string()))?;
        Ok((roll, setup))
    }

    /// The IIN's roll entry, said only to whoever proved it holds the certified key.
    fn entry(&self, state: &LogState, roll: &Roll, iin: &str) -> Result<Pseudonym, Refusal> {
        let p = self.pseudonym(iin);
        if !roll.contains(&p) {
            return Err(Refusal::NotOnRoll(iin.to_string()));
        }
        if state.registration.is_registered(&p) {
            return Err(Refusal::AlreadyRegistered(iin.to_string()));
        }
        Ok(p)
    }
}

/// The registrar's key file as a board process serves the desk from it: read when the process
/// starts if it exists, else at the first request after it appears (the registrar makes it
/// with the roll, while the board already runs).
pub struct DeskFile {
    path: PathBuf,
    desk: OnceLock<Arc<Desk>>,
}

impl DeskFile {
    /// Reads the file now if it exists (a bad file is refused here, not at a citizen's request).
    pub fn open(path: PathBuf) -> Result<DeskFile, String> {
        let file = DeskFile { path, desk: OnceLock::new() };
        if file.path.exists() {
            file.load()?;
        }
        Ok(file)
    }

    fn load(&self) -> Result<Arc<Desk>, String> {
        if let Some(desk) = self.desk.get() {
            return Ok(desk.clone());
        }
        let text =
            Zeroizing::new(std::fs::read_to_string(&self.path).map_err(|e| format!("{}: {e}", self.path.display()))?);
        let desk = Desk::from_file(&text).map_err(|e| format!("{}: {e}", self.path.display()))?;
        Ok(self.desk.get_or_init(|| Arc::new(desk)).clone())
    }

    /// The desk, or why it cannot serve yet.
    pub fn desk(&self) -> Result<Arc<Desk>, Refusal> {
        self.load().map_err(|e| {
            Refusal::NotOpen(format!("the registrar's key file is not readable yet ({e}): the roll comes first"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::group::SecretScalar;
    use crate::election::citizen_ca::SyntheticCaIssuer;
    use crate::election::manifest::tests::sample;
    use crate::election::registration::Roll;
    use crate::log::event::{Event, Setup};
    use crate::log::state::Verification;

    #[test]
    fn key_files_round_trip_and_the_desk_refuses_another_election_and_every_misfit() {
        let mut rng = rand::rng();
        let ca = SyntheticCaIssuer::generate(&mut rng);
        let mut manifest = sample();
        manifest.citizen_ca = Some(ca.public().key);
        let desk = Desk::new(&manifest.election_id, PseudonymKey::generate(&mut rng));
        let back = Desk::from_file(&desk.to_file()).unwrap();
        assert_eq!((back.election_id(), back.pseudonym("1")), (desk.election_id(), desk.pseudonym("1")));
        assert!(Desk::from_file("{}").unwrap_err().contains("not a registrar key file"));
        let mut state = LogState::new();
        let setup = Setup { board_key: SecretScalar::random(&mut rng).public(), manifest: manifest.clone() };
        state.apply(&Event::Setup(Box::new(setup)), Verification::Trusted).unwrap();
        let iin = crate::election::registrar::random_iin(&mut rng);
        let citizen = ca.issue(&iin, &mut rng);
        let fs = state.setup_fingerprint.unwrap();
        let ask = PseudonymRequest::new(&citizen, &fs, &iin);
        let before = desk.admit(&state, &ask).unwrap_err();
        assert!(before.to_string().contains("has not posted the roll"), "{before}");
        let roll =
            Roll { styles: Vec::new(), ca_key: ca.public().key, count: 1, pseudonyms: vec![desk.pseudonym(&iin)] };
        state.apply(&Event::Roll(Box::new(roll)), Verification::Trusted).unwrap();
        assert_eq!(desk.admit(&state, &ask).unwrap(), Admitted { pseudonym: desk.pseudonym(&iin), style: None });
        let other = Desk::new("another-election", PseudonymKey::generate(&mut rng));
        let refused = other.admit(&state, &ask).unwrap_err();
        assert_eq!(refused.code(), "wrong_election", "{refused}");
        // The same IIN under another key: not on the roll.
        let stranger = Desk::new(&manifest.election_id, PseudonymKey::generate(&mut rng));
        assert_eq!(stranger.admit(&state, &ask).unwrap_err().code(), "not_on_roll");
        // Signed for another election, or by another certified key: nothing about the entry.
        let elsewhere = PseudonymRequest::new(&citizen, &crate::crypto::group::Fingerprint([9; 32]), &iin);
        assert_eq!(desk.admit(&state, &elsewhere).unwrap_err().code(), "signature");
        let mut borrowed = ask.clone();
        borrowed.signature = ca.issue(&iin, &mut rng).sign_desk_request(&fs);
        assert_eq!(desk.admit(&state, &borrowed).unwrap_err().code(), "signature");
        let mut salt = ask.clone();
        salt.opening[0] ^= 1;
        assert_eq!(desk.admit(&state, &salt).unwrap_err().code(), "identity");
    }
}
