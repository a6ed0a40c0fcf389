//! What a log's events establish, event by event, and whether the next one is admissible.
//!
//! The board applies every event here before it appends it; a rejected event changes
//! nothing. Replaying a stored log rebuilds the state (optionally without re-verifying the
//! proofs the board verified when it appended them).
//!
//! What grows with the number of ballots lives in key sets and maps ([`super::keys`]), which
//! the board keeps in its database: everything a `cast` or `spoiled` event changes is there or
//! in the counters `cast` and `spoiled`, so that the board rebuilds the rest by replaying only
//! the other events (`LogState::key_indexes` names them; a new per-ballot set must be one).
//!
//! What this state checks of each event, beyond its place in the order:
//!
//! | event | checks |
//! | --- | --- |
//! | setup | the manifest is valid and names every trustee's identity key |
//! | transport_key | trustee number in range, not posted before, proof of knowledge, signed by the seat's identity key, not another trustee's key |
//! | dealing | the dealer posted a transport key, has not dealt, the dealing's public checks (coefficient and ephemeral proofs), signed by the dealer's transport key, no commitment of another dealer's |
//! | complaint | dealer and recipient posted, a valid proof of the revealed secret (so only the recipient can complain), signed by the recipient's transport key, not a repeat |
//! | ready | bound to the ceremony's current joint key, a valid proof of the trustee's key share, signed by its transport key, not a repeat for the same keys |
//! | open | joint key and verification keys equal the ceremony's outcome recomputed from the log; every trustee ready for it (or, with `quorum`, at least t); credential list sorted and distinct |
//! | cast | right election, credential listed, shape, proofs, signature; not a duplicate; not a challenged ballot; revote policy |
//! | spoiled | the opening re-encrypts to the ciphertexts with marks that fit the manifest; ciphertext digests strictly ascending (one run before close) |
//! | close | nothing; the log's root at close is kept for the lots |
//! | tally | the number of counted ballots and the shape (the sums are checked by who holds the ballots: board and verifier) |
//! | decryption | trustee in range, not posted before, every share's proof, signed by its transport key, the lot seed revealed iff the trustee's ready counted, matching its commitment |
//! | result | at least t decryptions; every count `m` satisfies `m·g = β − Σλ_i·D_i`; every outcome recomputed with the lots' seed |

use std::collections::BTreeMap;

use thiserror::Error;

use super::event::{Event, Open, Phase, Setup};
use super::keys::{KeyIndex, KeyMap, KeySet};
use super::merkle::{Frontier, Hash};
use crate::crypto::elgamal::message_point;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::dkg::{Complaint, Dealing, Ready, TransportKey, outcome, qualify, shared_commitment};
use crate::crypto::threshold::signed::SeatSigned;
use crate::election::ElectionError;
use crate::election::counting::{self, lot_commitment};
use crate::election::credential::CredentialList;
use crate::election::manifest::RevotePolicy;
use crate::election::params::{ElectionParams, StyleList};
use crate::election::tally::{ElectionResult, EncryptedTally, TrusteeDecryption, combine_decryptions};

/// Why an event is not admissible.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind} event at index {index} rejected: {reason}")]
pub struct Rejection {
    pub kind: &'static str,
    pub index: u64,
    pub reason: String,
}

/// Whether to re-verify proofs when applying an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Full,
    /// Replaying a log this process (or a trusted one) already verified event by event.
    Trusted,
}

#[derive(Debug, Default)]
pub struct LogState {
    pub phase: Option<Phase>,
    pub setup: Option<Setup>,
    pub setup_fingerprint: Option<Fingerprint>,
    pub transport_keys: BTreeMap<u32, TransportKey>,
    pub dealings: BTreeMap<u32, Dealing>,
    pub complaints: Vec<Complaint>,
    /// Every ready event before open, with the verification key it was checked against.
    pub readies: Vec<(Ready, Element)>,
    /// From open on: the trustees whose ready event counted (bound to the final outcome), with
    /// their lot commitments.
    pub ready: BTreeMap<u32, [u8; 32]>,
    pub params: Option<ElectionParams>,
    /// Digests of every cast ballot: a ballot is accepted once.
    digests: KeySet,
    /// Ciphertext digests of every challenged ballot: none may be cast or posted again.
    spoiled_ciphertexts: KeySet,
    /// Ciphertext digests of every cast ballot: no challenged ballot may repeat one.
    cast_ciphertexts: KeySet,
    /// The last challenged ballot's ciphertext digest (they come in ascending order, all in the
    /// batch of the close: nothing to keep across a reload).
    last_spoiled: Option<[u8; 32]>,
    /// For each credential that cast: the log index of its last cast ballot.
    /// By the credential's encoding (32 bytes, where the decoded point would take 192).
    pub last_cast: KeyMap,
    pub cast: u64,
    pub spoiled: u64,
    pub tally: Option<EncryptedTally>,
    pub decryptions: BTreeMap<u32, TrusteeDecryption>,
    pub result: Option<ElectionResult>,
    pub len: u64,
    /// The Merkle frontier of the events applied (RFC 6962), for the root at close.
    frontier: Frontier,
    /// The Merkle root of the log up to and including the close event: an input of the lots.
    pub close_root: Option<Hash>,
    /// The roll, registrations and shuffles.
    pub registration: super::registration::RegistrationState,
}

impl LogState {
    pub fn new() -> Self {
        LogState::default()
    }

    pub fn phase(&self) -> Phase {
        self.phase.unwrap_or(Phase::Empty)
    }

    /// Ballots that count: one per credential that cast.
    pub fn counted(&self) -> u64 {
        self.last_cast.len() as u64
    }

    /// The key indexes, by the name their owner stores them under: everything that grows with
    /// the number of ballots.
    pub fn key_indexes(&mut self) -> [(&'static str, &mut KeyIndex); 4] {
        [
            ("ballot_digests", self.digests.index_mut()),
            ("cast_ciphertexts", self.cast_ciphertexts.index_mut()),
            ("spoiled_ciphertexts", self.spoiled_ciphertexts.index_mut()),
            ("last_cast", self.last_cast.index_mut()),
        ]
    }

    /// Checks `event` as the next one; on success updates the state, on failure leaves it
    /// unchanged.
    pub fn apply(&mut self, event: &Event, check: Verification) -> Result<(), Rejection> {
        self.apply_hashed(event, &event.leaf_hash(), check)
    }

    /// [`LogState::apply`] for a caller that has the event's leaf hash already (the board).
    pub fn apply_hashed(&mut self, event: &Event, leaf_hash: &Hash, check: Verification) -> Result<(), Rejection> {
        let (kind, index) = (event.kind(), self.len);
        let reject = |reason: String| Rejection { kind, index, reason };
        let next = self.phase().next(event).map_err(|e| reject(e.to_string()))?;
        self.admit(event, check).map_err(reject)?;
        self.phase = Some(next);
        self.len += 1;
        self.frontier.push(*leaf_hash);
        if matches!(event, Event::Close) {
            self.close_root = Some(self.frontier.root());
        }
        Ok(())
    }

    /// Where a board that loaded this state without its ballots (`board::schema::load`) stands
    /// in the log: the tree's right edge, and the root at close if voting closed.
    pub fn resume_at(&mut self, frontier: Frontier, close_root: Option<Hash>) {
        self.frontier = frontier;
        self.close_root = close_root;
    }

    /// Whether a cast ballot has these ciphertexts (by ciphertext digest).
    pub fn was_cast(&self, ciphertext_digest: &[u8; 32]) -> bool {
        self.cast_ciphertexts.contains(ciphertext_digest)
    }

    /// The seed of the lots (`specs/record.md` §8.1): F_e, the root at close, and the lot seeds
    /// revealed by the decryptions so far.
    pub fn lot_seed(&self) -> Result<Fingerprint, String> {
        let params = self.params.as_ref().ok_or("no election parameters")?;
        let root = self.close_root.ok_or("voting has not closed")?;
        let reveals: Vec<(u32, [u8; 32])> =
            self.decryptions.values().filter_map(|d| d.lot_seed.map(|s| (d.trustee, s))).collect();
        Ok(counting::lot_seed(&params.fingerprint, &root, &reveals))
    }

    fn admit(&mut self, event: &Event, check: Verification) -> Result<(), String> {
        let full = check == Verification::Full;
        match event {
            Event::Setup(setup) => {
                setup.manifest.validate().map_err(|e| e.to_string())?;
                setup.manifest.check_identities().map_err(|e| e.to_string())?;
                if setup.board_key == Element::identity() {
                    return Err("the board key is the identity element".into());
                }
                self.setup_fingerprint = Some(setup.manifest.setup_fingerprint());
                self.setup = Some((**setup).clone());
            }
            Event::TransportKey(key) => {
                let (setup, params) = self.ceremony()?;
                params.check_index(key.trustee, "trustee").map_err(|e| e.to_string())?;
                if self.transport_keys.contains_key(&key.trustee) {
                    return Err(format!("trustee {} already posted a transport key", key.trustee));
                }
                if full {
                    key.verify(&setup).map_err(|e| e.to_string())?;
                    let identity = self.setup.as_ref().and_then(|s| s.manifest.identity(key.trustee));
                    key.verify_signature(&setup, identity.ok_or("no identity key for this seat")?)
                        .map_err(|e| e.to_string())?;
                }
                if let Some(other) = self.transport_keys.values().find(|k| k.key == key.key) {
                    return Err(format!(
                        "trustee {}'s transport key is trustee {}'s: one party may not hold two seats",
                        key.trustee, other.trustee
                    ));
                }
                self.transport_keys.insert(key.trustee, key.clone());
            }
            Event::Dealing(dealing) => {
                let (setup, params) = self.ceremony()?;
                if !self.transport_keys.contains_key(&dealing.dealer) {
                    return Err(format!("dealer {} has not posted a transport key", dealing.dealer));
                }
                if self.dealings.contains_key(&dealing.dealer) {
                    return Err(format!("dealer {} already dealt", dealing.dealer));
                }
                if self.transport_keys.len() != params.trustees as usize {
                    return Err("dealings come after every trustee's transport key".into());
                }
                if full {
                    let keys: Vec<Element> = self.transport_keys.values().map(|k| k.key).collect();
                    dealing.verify(&setup, &params, &keys).map_err(|e| e.to_string())?;
                    dealing
                        .verify_signature(&setup, &self.transport_keys[&dealing.dealer].key)
                        .map_err(|e| e.to_string())?;
                }
                if let Some((a, b)) = shared_commitment(self.dealings.values().chain([dealing])) {
                    return Err(format!(
                        "dealers {a} and {b} published the same coefficient commitment: one party may not hold two seats"
                    ));
                }
                self.dealings.insert(dealing.dealer, dealing.clone());
            }
            Event::Complaint(c) => {
                let (Some(dealing), Some(key)) = (self.dealings.get(&c.dealer), self.transport_keys.get(&c.recipient))
                else {
                    return Err(format!("complaint by trustee {} about unknown dealer {}", c.recipient, c.dealer));
                };
                // Only the recipient can prove it holds the Diffie–Hellman secret it reveals, so
                // nobody can pre-empt (and so block) a trustee's real complaint.
                let share = dealing.shares.iter().find(|s| s.recipient == c.recipient);
                match (&c.proof, share) {
                    (Some(proof), Some(share)) if full => {
                        let (setup, _) = self.ceremony()?;
                        let t = crate::crypto::transcript::complaint(
                            &setup,
                            c.dealer,
                            c.recipient,
                            &share.ephemeral,
                            &key.key,
                            &c.shared,
                        );
                        proof
                            .verify(t, &share.ephemeral, &key.key, &c.shared)
                            .map_err(|_| format!("complaint by trustee {}: its proof does not verify", c.recipient))?;
                    }
                    (Some(_), Some(_)) => {}
                    _ => return Err(format!("complaint by trustee {} without evidence", c.recipient)),
                }
                if full {
                    let (setup, _) = self.ceremony()?;
                    c.verify_signature(&setup, &key.key).map_err(|e| e.to_string())?;
                }
                if self.complaints.iter().any(|d| d.dealer == c.dealer && d.recipient == c.recipient) {
                    return Err(format!("trustee {} already complained about dealer {}", c.recipient, c.dealer));
                }
                self.complaints.push(c.clone());
            }
            Event::Ready(ready) => self.ready(ready, full)?,
            Event::Roll(roll) => {
                let manifest = self.setup.as_ref().map(|s| &s.manifest);
                let ca = manifest.and_then(|m| m.citizen_ca);
                let styles =
                    manifest.map(|m| m.styles().iter().map(|s| s.id.to_string()).collect()).unwrap_or_default();
                self.registration.roll(roll, ca.as_ref(), styles)?
            }
            Event::Registration(r) => {
                let (setup, _) = self.ceremony()?;
                self.registration.registration(&setup, r, full)?;
            }
            Event::RegistrationClose => self.registration.close()?,
            Event::Shuffle(shuffle) => {
                let (setup, params) = self.ceremony()?;
                self.registration.shuffle(&setup, &params, &self.transport_keys, shuffle, full)?;
            }
            Event::Open(open) => self.open(open)?,
            Event::Cast(ballot) => {
                let params = self.params.as_ref().ok_or("no election parameters")?;
                if full {
                    ballot.verify(params).map_err(|e| e.to_string())?;
                }
                let digest = ballot.digest();
                if self.digests.contains(&digest) {
                    return Err("this ballot was posted before (replay)".into());
                }
                let ciphertexts = ballot.ciphertext_digest();
                if self.spoiled_ciphertexts.contains(&ciphertexts) {
                    return Err("this ballot was challenged: a challenged ballot is never cast".into());
                }
                if params.manifest.revote == RevotePolicy::Refused
                    && self.last_cast.contains_key(ballot.credential.as_bytes())
                {
                    return Err("this credential has voted and the election refuses revotes".into());
                }
                self.digests.insert(digest);
                self.cast_ciphertexts.insert(ciphertexts);
                self.last_cast.insert(ballot.credential.to_bytes(), self.len);
                self.cast += 1;
            }
            Event::Spoiled(spoiled) => {
                let params = self.params.as_ref().ok_or("no election parameters")?;
                if full {
                    spoiled.check(params).map_err(|e| e.to_string())?;
                }
                let ciphertexts = spoiled.ciphertext_digest();
                if self.cast_ciphertexts.contains(&ciphertexts) {
                    return Err("these ciphertexts were cast as a ballot: a cast ballot cannot be challenged".into());
                }
                if self.spoiled_ciphertexts.contains(&ciphertexts) {
                    return Err("this challenged ballot was posted before".into());
                }
                if self.last_spoiled.is_some_and(|last| ciphertexts <= last) {
                    return Err(
                        "challenged ballots are published in ascending order of their ciphertext digests".into()
                    );
                }
                self.spoiled_ciphertexts.insert(ciphertexts);
                self.last_spoiled = Some(ciphertexts);
                self.spoiled += 1;
            }
            Event::Close => {}
            Event::Tally(tally) => {
                let params = self.params.as_ref().ok_or("no election parameters")?;
                if tally.ballots != self.counted() {
                    return Err(format!("tally of {} ballots, but {} count", tally.ballots, self.counted()));
                }
                let shape_ok = tally.contests.len() == params.manifest.contests.len()
                    && tally.contests.iter().zip(&params.manifest.contests).all(|(t, c)| t.len() == c.options.len());
                if !shape_ok {
                    return Err("the tally's shape does not match the manifest".into());
                }
                tally.check_turnout(&params.manifest).map_err(|e| e.to_string())?;
                self.tally = Some(tally.clone());
            }
            Event::Decryption(d) => {
                let params = self.params.as_ref().ok_or("no election parameters")?;
                let tally = self.tally.as_ref().ok_or("no tally")?;
                if self.decryptions.contains_key(&d.trustee) {
                    return Err(format!("trustee {} already decrypted", d.trustee));
                }
                if full {
                    d.verify(params, tally).map_err(|e| e.to_string())?;
                    let (setup, _) = self.ceremony()?;
                    let key = self.transport_keys.get(&d.trustee).ok_or("no transport key in this seat")?;
                    d.verify_signature(&setup, &key.key).map_err(|e| e.to_string())?;
                }
                self.check_reveal(d.trustee, &d.lot_seed)?;
                self.decryptions.insert(d.trustee, d.clone());
            }
            Event::Result(result) => {
                self.check_result(result)?;
                self.result = Some(result.clone());
            }
        }
        Ok(())
    }

    fn ceremony(&self) -> Result<(Fingerprint, crate::crypto::threshold::ThresholdParams), String> {
        let setup = self.setup.as_ref().ok_or("no setup")?;
        let fingerprint = self.setup_fingerprint.ok_or("no setup")?;
        Ok((fingerprint, setup.manifest.threshold_params().map_err(|e| e.to_string())?))
    }

    /// A trustee's ready event: bound to the ceremony's outcome as the log stands now.
    fn ready(&mut self, ready: &Ready, full: bool) -> Result<(), String> {
        let (setup, params) = self.ceremony()?;
        params.check_index(ready.trustee, "trustee").map_err(|e| e.to_string())?;
        let keys: Vec<TransportKey> = self.transport_keys.values().cloned().collect();
        let dealings: Vec<Dealing> = self.dealings.values().cloned().collect();
        let current = qualify(&setup, &params, &keys, &dealings, &self.complaints, false)
            .map_err(|e| format!("the ceremony has no outcome yet: {e}"))?;
        if ready.joint_key != current.joint_key() {
            return Err(format!(
                "trustee {}'s ready is for another joint key than the ceremony's current one",
                ready.trustee
            ));
        }
        let vk = current.verification_key(ready.trustee);
        if full {
            ready.verify(&setup, &vk).map_err(|e| e.to_string())?;
            let key = self.transport_keys.get(&ready.trustee).ok_or("no transport key in this seat")?;
            ready.verify_signature(&setup, &key.key).map_err(|e| e.to_string())?;
        }
        if self.readies.iter().any(|(r, v)| r.trustee == ready.trustee && r.joint_key == ready.joint_key && *v == vk) {
            return Err(format!("trustee {} is already ready for the ceremony's current keys", ready.trustee));
        }
        self.readies.push((ready.clone(), vk));
        Ok(())
    }

    /// A decryption reveals the lot seed iff its trustee's ready event counted, and the seed
    /// matches the commitment there.
    fn check_reveal(&self, trustee: u32, seed: &Option<[u8; 32]>) -> Result<(), String> {
        let (setup, _) = self.ceremony()?;
        match (self.ready.get(&trustee), seed) {
            (Some(c), Some(seed)) if lot_commitment(&setup, trustee, seed) == *c => Ok(()),
            (Some(_), Some(_)) => {
                Err(format!("trustee {trustee}'s lot seed does not match the commitment in its ready event"))
            }
            (Some(_), None) => Err(format!("trustee {trustee} committed to a lot seed when ready and must reveal it")),
            (None, Some(_)) => Err(format!("trustee {trustee} has no ready event that counted: no lot seed to reveal")),
            (None, None) => Ok(()),
        }
    }

    fn open(&mut self, open: &Open) -> Result<(), String> {
        let (setup_fp, params) = self.ceremony()?;
        let keys: Vec<TransportKey> = self.transport_keys.values().cloned().collect();
        let dealings: Vec<Dealing> = self.dealings.values().cloned().collect();
        let ceremony = outcome(&setup_fp, &params, &keys, &dealings, &self.complaints).map_err(|e| e.to_string())?;
        if open.joint_key == Element::identity() {
            return Err("the joint key is the identity element: ballots would not be secret".into());
        }
        if ceremony.joint_key != open.joint_key || ceremony.verification_keys != open.verification_keys {
            return Err("the joint key or verification keys differ from the ceremony's outcome".into());
        }
        let ready = ready_for(&self.readies, &ceremony.joint_key, &ceremony.verification_keys);
        let missing: Vec<u32> = (1..=params.trustees).filter(|j| !ready.contains_key(j)).collect();
        if !missing.is_empty() && !open.quorum {
            return Err(format!(
                "trustee(s) {missing:?} have not proved possession of their key shares for the final joint key \
                 (no ready event); wait for them, or open with the quorum option ({} of {} ready, t = {})",
                ready.len(),
                params.trustees,
                params.threshold
            ));
        }
        if ready.len() < params.threshold as usize {
            return Err(format!(
                "only {} trustee(s) ready for the final joint key, the threshold is {}: the tally could not be decrypted",
                ready.len(),
                params.threshold
            ));
        }
        let manifest = self.setup.as_ref().expect("ceremony checked").manifest.clone();
        let (vks, joint_key) = (open.verification_keys.clone(), open.joint_key);
        let params = match (open.lists(&manifest), &self.registration.roll) {
            (Err(e), _) => return Err(e.to_string()),
            (Ok(Some(_)), None) if manifest.citizen_ca.is_some() => {
                return Err("the manifest names a citizen CA: voting opens on the registered, shuffled list, \
                            after a roll, not on a list of the open event's"
                    .into());
            }
            (Ok(Some(lists)), None) => {
                for (list, style) in lists.iter().zip(manifest.styles()) {
                    list.check().map_err(|e| format!("style {:?}: {e}", style.id))?;
                }
                if lists.iter().all(CredentialList::is_empty) {
                    return Err("the credential list is empty".into());
                }
                let lists = lists.into_iter().map(|credentials| StyleList { credentials, base: Element::generator() });
                ElectionParams::with_lists(manifest, joint_key, vks, lists.collect())
            }
            (Ok(None), Some(_)) => {
                let lists = self.registration.final_lists(&params)?;
                let lists = lists.into_iter().map(|(base, credentials)| StyleList { credentials, base }).collect();
                ElectionParams::with_lists(manifest, joint_key, vks, lists)
            }
            (Ok(Some(_)), Some(_)) => {
                return Err("after registration the credential list is the last shuffle's, not the open event's".into());
            }
            (Ok(None), None) => return Err("no credential list: no roll, and none in the open event".into()),
        }
        .map_err(|e| e.to_string())?;
        self.params = Some(params);
        self.ready = ready;
        Ok(())
    }

    fn check_result(&self, result: &ElectionResult) -> Result<(), String> {
        let params = self.params.as_ref().ok_or("no election parameters")?;
        let tally = self.tally.as_ref().ok_or("no tally")?;
        let t = params.manifest.trustees.threshold as usize;
        if self.decryptions.len() < t {
            return Err(format!("{} trustee(s) decrypted, the threshold is {t}", self.decryptions.len()));
        }
        let revealing: Vec<u32> =
            self.decryptions.values().filter(|d| d.lot_seed.is_some()).map(|d| d.trustee).collect();
        if revealing.len() < t {
            return Err(format!(
                "only {} decryption(s) reveal a committed lot seed ({revealing:?}); the result needs {t}, so that the \
                 lots rest on a seed from a trustee outside any coalition of {} (a ready trustee decrypts)",
                revealing.len(),
                t - 1
            ));
        }
        let decryptions: Vec<TrusteeDecryption> = self.decryptions.values().take(t).cloned().collect();
        let points = combine_decryptions(params, tally, &decryptions).map_err(|e| e.to_string())?;
        let lots = self.lot_seed()?;
        if result.ballots != tally.ballots || result.contests.len() != params.manifest.contests.len() {
            return Err("the result's shape does not match the tally".into());
        }
        for ((r, contest), points) in result.contests.iter().zip(&params.manifest.contests).zip(&points) {
            if r.id != contest.id || r.counts.len() != points.len() {
                return Err(format!("contest {:?}: shape differs from the manifest", contest.id));
            }
            for (o, (count, point)) in r.counts.iter().zip(points).enumerate() {
                if message_point(*count) != *point {
                    return Err(format!(
                        "contest {:?} option {o}: the count {count} is not what the tally decrypts to",
                        contest.id
                    ));
                }
            }
            if counting::outcome(contest, &r.counts, &lots).map_err(|e| e.to_string())? != r.outcome {
                return Err(format!("contest {:?}: the outcome does not follow from the counts", contest.id));
            }
        }
        Ok(())
    }
}

/// The ready events that count for a ceremony outcome: those bound to its joint key and made
/// for the trustee's verification key, by trustee, with their lot commitments.
pub fn ready_for(
    readies: &[(Ready, Element)],
    joint_key: &Element,
    verification_keys: &[Element],
) -> BTreeMap<u32, [u8; 32]> {
    readies
        .iter()
        .filter(|(r, vk)| {
            r.joint_key == *joint_key
                && r.trustee.checked_sub(1).and_then(|i| verification_keys.get(i as usize)) == Some(vk)
        })
        .map(|(r, _)| (r.trustee, r.lot_commitment))
        .collect()
}

impl From<ElectionError> for Rejection {
    fn from(e: ElectionError) -> Self {
        Rejection { kind: "event", index: 0, reason: e.to_string() }
    }
}
