//! The events of an election's log, and the order they may come in.
//!
//! Every event is one leaf of the Merkle tree; its leaf data is its canonical JSON, one line:
//! `{"kind":"…","payload":…}` with keys sorted and no whitespace. The log of a whole election:
//!
//! ```text
//! setup                       manifest and board key                 exactly once, first
//! transport_key, dealing,     the trustees' key ceremony             any number, before open
//!   complaint
//! ready                       a trustee proves it holds its share    before open
//! roll                        the roll's pseudonyms, the CA's key    at most once, before open
//! registration                a citizen registers a credential      after the roll
//! registration_close          registration closes                    once, after the roll
//! shuffle                     a trustee shuffles the credentials     after registration_close
//! open                        joint key, verification keys           exactly once
//!                             (credential list: the last shuffle's
//!                             output; without a roll, in open):
//!                             voting opens
//! cast                        ballots                                while voting is open
//! spoiled                     the challenged ballots, held back by   one run, just before close
//!                             the board, in ciphertext-digest order
//! close                       voting closes                          exactly once
//! tally                       the encrypted totals                   exactly once, after close
//! decryption                  one trustee's shares with proofs       after the tally
//! result                      counts and outcomes                    exactly once, last
//! ```

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::merkle::{Hash, leaf_hash};
use crate::crypto::group::Element;
use crate::crypto::threshold::dkg::{Complaint, Dealing, Ready, TransportKey};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::election::credential::CredentialList;
use crate::election::manifest::Manifest;
use crate::election::params::ElectionParams;
use crate::election::registration::{Registration, Roll};
use crate::election::tally::{ElectionResult, EncryptedTally, TrusteeDecryption};
use crate::election::unlinking::CredentialShuffle;

/// The election's start: what is decided, and the key that signs the board's checkpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    pub board_key: Element,
    pub manifest: Manifest,
}

/// The outcome of the key ceremony and the registration: voting opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// The credential list, under base `g`, for an election of one ballot style without a
    /// roll. Omitted after registration and shuffles: the list is then the last shuffle's
    /// output and its base `h_final` (not published twice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<CredentialList>,
    pub joint_key: Element,
    /// The operator opened with only a quorum (at least t) of the trustees ready, not all n.
    /// Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quorum: bool,
    /// For an election of several ballot styles without a roll: one credential list per
    /// style, under base `g`, in the order of the manifest's styles (in place of
    /// `credentials`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_credentials: Option<Vec<CredentialList>>,
    pub verification_keys: Vec<Element>,
}

impl Open {
    /// The lists this event carries, one per style of `manifest` (`None` if it carries none):
    /// `credentials` for one style, `style_credentials` for several, never both.
    pub fn lists(&self, manifest: &Manifest) -> Result<Option<Vec<CredentialList>>, crate::election::ElectionError> {
        use crate::election::ElectionError;
        let styles = manifest.styles().len();
        match (&self.credentials, &self.style_credentials) {
            (None, None) => Ok(None),
            (Some(list), None) if styles == 1 => Ok(Some(vec![list.clone()])),
            (None, Some(lists)) if styles > 1 && lists.len() == styles => Ok(Some(lists.clone())),
            (None, Some(lists)) if styles > 1 => Err(ElectionError::Credential(format!(
                "the open event lists credentials for {} ballot styles, the manifest has {styles}",
                lists.len()
            ))),
            _ => Err(ElectionError::Credential(format!(
                "the open event's credentials must be `credentials` for an election of one ballot style and \
                 `style_credentials` for several (this one has {styles})"
            ))),
        }
    }

    /// The election's parameters: with the credential lists and base `g` in the open event,
    /// or (none in it) each style's last shuffle's output and base (`last_shuffles[s]`; `None`
    /// for a style nobody registered in).
    pub fn params(
        self,
        manifest: Manifest,
        last_shuffles: Vec<Option<CredentialShuffle>>,
    ) -> Result<ElectionParams, crate::election::ElectionError> {
        use crate::election::ElectionError;
        use crate::election::params::StyleList;
        let g = Element::generator();
        let lists = match (self.lists(&manifest)?, last_shuffles.iter().any(Option::is_some)) {
            (Some(lists), false) => lists.into_iter().map(|credentials| StyleList { credentials, base: g }).collect(),
            (None, true) => {
                let mut lists: Vec<StyleList> = last_shuffles
                    .into_iter()
                    .map(|s| match s {
                        Some(s) => StyleList { credentials: s.output, base: s.new_base },
                        None => StyleList { credentials: CredentialList::default(), base: g },
                    })
                    .collect();
                lists.resize(manifest.styles().len(), StyleList { credentials: CredentialList::default(), base: g });
                lists
            }
            (Some(_), true) => {
                return Err(ElectionError::Credential(
                    "the open event carries a credential list although shuffles made it".into(),
                ));
            }
            (None, false) => {
                return Err(ElectionError::Credential("no credential list: neither in open nor shuffled".into()));
            }
        };
        ElectionParams::with_lists(manifest, self.joint_key, self.verification_keys, lists)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Setup(Box<Setup>),
    TransportKey(TransportKey),
    Dealing(Dealing),
    Complaint(Complaint),
    Ready(Ready),
    Roll(Box<Roll>),
    Registration(Box<Registration>),
    RegistrationClose,
    Shuffle(Box<CredentialShuffle>),
    Open(Box<Open>),
    Cast(Box<Ballot>),
    Spoiled(Box<SpoiledBallot>),
    Close,
    Tally(EncryptedTally),
    Decryption(TrusteeDecryption),
    Result(ElectionResult),
}

/// A cast ballot's ciphertexts per contest of its style, and the style's id.
pub type CastCiphertexts = (String, Vec<Vec<crate::crypto::elgamal::Ciphertext>>);

/// A cast event's leaf read for its style and ciphertexts only, per contest: what the tally
/// sums. Proofs and signature are skipped without decoding (a third of the points of an
/// 8-option ballot), so this is only for leaves already checked in full (the board's log, the
/// verifier's second pass over superseded ballots).
pub fn cast_ciphertexts(leaf: &str) -> Result<CastCiphertexts, String> {
    #[derive(Deserialize)]
    struct Leaf {
        kind: String,
        payload: Payload,
    }
    #[derive(Deserialize)]
    struct Payload {
        contests: Vec<Contest>,
        style: String,
    }
    #[derive(Deserialize)]
    struct Contest {
        ciphertexts: Vec<crate::crypto::elgamal::Ciphertext>,
    }
    let leaf: Leaf = serde_json::from_str(leaf).map_err(|e| e.to_string())?;
    if leaf.kind != "cast" {
        return Err(format!("a {} event is not a cast ballot", leaf.kind));
    }
    Ok((leaf.payload.style, leaf.payload.contests.into_iter().map(|c| c.ciphertexts).collect()))
}

/// Every event kind, as the envelope names it.
pub const KINDS: [&str; 16] = [
    "setup",
    "transport_key",
    "dealing",
    "complaint",
    "ready",
    "roll",
    "registration",
    "registration_close",
    "shuffle",
    "open",
    "cast",
    "spoiled",
    "close",
    "tally",
    "decryption",
    "result",
];

/// The kind a line's first bytes name, if they are the canonical beginning of an event:
/// `{"kind":"KIND"` followed by `,` or `}` (the envelope's keys are sorted, so `kind` comes
/// first in every canonical line). `None` for anything else, which is never canonical.
pub fn kind_of_line(start: &[u8]) -> Option<&'static str> {
    let rest = start.strip_prefix(br#"{"kind":""#)?;
    KINDS.into_iter().find(|k| {
        rest.strip_prefix(k.as_bytes())
            .and_then(|r| r.strip_prefix(b"\""))
            .is_some_and(|r| matches!(r.first(), Some(b',' | b'}')))
    })
}

impl Event {
    /// The leaf data: canonical JSON.
    pub fn to_leaf(&self) -> String {
        serde_json::to_string(self).expect("events always serialize")
    }

    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(self.to_leaf().as_bytes())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Event::Setup(_) => "setup",
            Event::TransportKey(_) => "transport_key",
            Event::Dealing(_) => "dealing",
            Event::Complaint(_) => "complaint",
            Event::Ready(_) => "ready",
            Event::Roll(_) => "roll",
            Event::Registration(_) => "registration",
            Event::RegistrationClose => "registration_close",
            Event::Shuffle(_) => "shuffle",
            Event::Open(_) => "open",
            Event::Cast(_) => "cast",
            Event::Spoiled(_) => "spoiled",
            Event::Close => "close",
            Event::Tally(_) => "tally",
            Event::Decryption(_) => "decryption",
            Event::Result(_) => "result",
        }
    }
}

/// Where in its life an election's log is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Empty,
    Ceremony,
    /// The roll is posted; citizens register (the key ceremony may go on).
    Registration,
    /// Registration closed; trustees shuffle the credentials (the key ceremony may go on).
    Shuffling,
    Voting,
    /// The challenged ballots are being published, just before close.
    Challenges,
    Closed,
    Decrypting,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a {kind} event is not allowed {phase}")]
pub struct OrderError {
    pub kind: &'static str,
    pub phase: &'static str,
}

impl Phase {
    fn describe(self) -> &'static str {
        match self {
            Phase::Empty => "before setup",
            Phase::Ceremony => "during the key ceremony",
            Phase::Registration => "while registration is open",
            Phase::Shuffling => "after registration closed and before voting opens",
            Phase::Voting => "while voting is open",
            Phase::Challenges => "once the challenged ballots are being published, before close",
            Phase::Closed => "after voting closed and before the tally",
            Phase::Decrypting => "after the tally",
            Phase::Done => "after the result",
        }
    }

    /// The phase after `event`, or why it may not come now.
    pub fn next(self, event: &Event) -> Result<Phase, OrderError> {
        self.after(event.kind())
    }

    /// The phase after an event of `kind` (one of [`KINDS`]), or why it may not come now.
    pub fn after(self, kind: &'static str) -> Result<Phase, OrderError> {
        use Phase as P;
        let ceremony = matches!(kind, "transport_key" | "dealing" | "complaint" | "ready");
        let next = match (self, kind) {
            (P::Empty, "setup") => P::Ceremony,
            (P::Ceremony | P::Registration | P::Shuffling, _) if ceremony => self,
            (P::Ceremony, "roll") => P::Registration,
            (P::Registration, "registration") => P::Registration,
            (P::Registration, "registration_close") => P::Shuffling,
            (P::Shuffling, "shuffle") => P::Shuffling,
            (P::Ceremony | P::Shuffling, "open") => P::Voting,
            (P::Voting, "cast") => P::Voting,
            (P::Voting | P::Challenges, "spoiled") => P::Challenges,
            (P::Voting | P::Challenges, "close") => P::Closed,
            (P::Closed, "tally") => P::Decrypting,
            (P::Decrypting, "decryption") => P::Decrypting,
            (P::Decrypting, "result") => P::Done,
            _ => return Err(OrderError { kind, phase: self.describe() }),
        };
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_enforced() {
        let tally = Event::Tally(EncryptedTally { ballots: 0, contests: vec![], turnout: vec![] });
        let result = Event::Result(ElectionResult { ballots: 0, contests: vec![] });
        assert_eq!(Phase::Voting.next(&Event::Close), Ok(Phase::Closed));
        assert_eq!(Phase::Closed.next(&tally), Ok(Phase::Decrypting));
        assert_eq!(Phase::Decrypting.next(&result), Ok(Phase::Done));
        let err = Phase::Closed.next(&Event::Close).unwrap_err();
        assert_eq!(err.to_string(), "a close event is not allowed after voting closed and before the tally");
        assert!(Phase::Empty.next(&Event::Close).is_err());
        assert!(Phase::Voting.next(&tally).is_err());
        assert!(Phase::Done.next(&result).is_err());
        assert!(Phase::Ceremony.next(&Event::Close).is_err());
        // Registration: roll, registrations, close, shuffles, open; the ceremony alongside.
        assert_eq!(Phase::Registration.next(&Event::RegistrationClose), Ok(Phase::Shuffling));
        assert!(Phase::Ceremony.next(&Event::RegistrationClose).is_err(), "no close without a roll");
        assert!(Phase::Shuffling.next(&Event::RegistrationClose).is_err(), "closes once");
        assert_eq!(
            Phase::Shuffling.next(&Event::Close),
            Err(OrderError { kind: "close", phase: "after registration closed and before voting opens" })
        );
        // Challenged ballots come in one run, right before close: no ballot after them.
        let spoiled = Event::Spoiled(Box::new(crate::election::ballot::SpoiledBallot {
            contests: vec![],
            opening: crate::election::ballot::Opening { contests: vec![] },
            style: "all".into(),
        }));
        assert_eq!(Phase::Voting.next(&spoiled), Ok(Phase::Challenges));
        assert_eq!(Phase::Challenges.next(&spoiled), Ok(Phase::Challenges));
        assert_eq!(Phase::Challenges.next(&Event::Close), Ok(Phase::Closed));
        assert!(Phase::Closed.next(&spoiled).is_err());
        let cast_after = "a cast event is not allowed once the challenged ballots are being published, before close";
        let ballot = crate::election::ballot::Ballot {
            contests: vec![],
            credential: Element::generator(),
            election: crate::crypto::group::Fingerprint([0; 32]),
            signature: crate::crypto::schnorr::SchnorrProof {
                commitment: Element::generator(),
                response: curve25519_dalek::scalar::Scalar::ZERO,
            },
            style: "all".into(),
        };
        assert_eq!(Phase::Challenges.next(&Event::Cast(Box::new(ballot))).unwrap_err().to_string(), cast_after);
    }

    #[test]
    fn the_tally_view_reads_only_cast_ballots() {
        let g = Element::generator().to_hex();
        let ct = format!(r#"{{"alpha":"{g}","beta":"{g}"}}"#);
        let cast = format!(
            r#"{{"kind":"cast","payload":{{"contests":[{{"ciphertexts":[{ct},{ct}],"sum_proof":{{}}}}],"style":"d7"}}}}"#
        );
        let (style, contests) = cast_ciphertexts(&cast).unwrap();
        assert_eq!(style, "d7");
        assert_eq!(contests.len(), 1);
        assert_eq!(contests[0].len(), 2);
        assert_eq!(contests[0][1].beta, Element::generator());
        assert!(cast_ciphertexts(r#"{"kind":"close"}"#).is_err());
        assert!(cast_ciphertexts(&cast.replace("cast", "spoiled")).unwrap_err().contains("spoiled"));
        assert!(cast_ciphertexts(&cast.replace(&g[..4], "zzzz")).is_err(), "points are still decoded strictly");
    }

    #[test]
    fn leaves_are_canonical_json() {
        assert_eq!(Event::Close.to_leaf(), r#"{"kind":"close"}"#);
        let tally = Event::Tally(EncryptedTally { ballots: 3, contests: vec![vec![]], turnout: vec![] });
        let leaf = tally.to_leaf();
        assert_eq!(leaf, r#"{"kind":"tally","payload":{"ballots":3,"contests":[[]]}}"#);
        let back: Event = serde_json::from_str(&leaf).unwrap();
        assert_eq!(back, tally);
        for extra in
            [r#"{"kind":"close","extra":1}"#, r#"{"kind":"tally","payload":{"ballots":3,"contests":[],"x":0}}"#]
        {
            assert!(serde_json::from_str::<Event>(extra).is_err(), "{extra}");
        }
    }
}
