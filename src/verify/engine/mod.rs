//! The verification pass over a record: streamed in chunks, ballots verified in batches on
//! every core, every check run to the end and reported separately.
//!
//! Memory per ballot is small and fixed: the first 16 bytes of its digest and of its
//! ciphertext digest (duplicates, checks 3.6 and 4.2; a match of the truncated digests is
//! confirmed on the full digests at the end, see `ballots.rs`) and, per credential, the index
//! and truncated leaf hash of its last ballot, in an array beside the credential list. The
//! tally check sums every cast ballot in the first pass, then re-reads only the superseded
//! ones (re-votes) and subtracts them. No line is kept beyond the bound its kind allows
//! (`log::bounds`), and the ceremony keeps one message per trustee (or pair of trustees):
//! `specs/verifier.md` §2 states the memory bound.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use super::checks::{Check, CheckOutcome};
use super::finding::{Arg, Finding, list};
use crate::crypto::CryptoError;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::elgamal::message_point;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::dkg::{Complaint, Dealing, Ready, TransportKey, outcome, qualify};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::election::counting;
use crate::election::manifest::{Manifest, RevotePolicy};
use crate::election::params::ElectionParams;
pub use crate::election::report::Recount;
use crate::election::tally::{
    ElectionResult, EncryptedTally, TallyAccumulator, TrusteeDecryption, combine_decryptions,
};
use crate::log::bounds::LineBounds;
use crate::log::checkpoint::{Checkpoint, Cosignature, Receipt};
use crate::log::event::{Event, Open, Phase, Setup};
use crate::log::merkle::{Frontier, Hash, leaf_hash};
use crate::log::record::{self, EventLine, LineBody, RecordError, RecordHeader};

/// Lines read and parsed together.
const CHUNK: usize = 4096;
/// Bytes of lines read and parsed together (a chunk ends at whichever limit comes first, or
/// after a setup or open event, whose content bounds the lines after it).
pub const CHUNK_BYTES: u64 = 32 << 20;
/// The first 16 bytes of a SHA-256 digest.
type Digest16 = [u8; 16];

fn digest16(digest: &[u8; 32]) -> Digest16 {
    #[cfg(test)]
    if COLLIDE.with(std::cell::Cell::get) {
        return [0; 16];
    }
    digest[..16].try_into().expect("16 of 32 bytes")
}

/// The first 16 bytes of a leaf hash, kept to recognize a line read again (never collided
/// in tests, unlike [`digest16`]).
fn leaf16(leaf: &Hash) -> Digest16 {
    leaf[..16].try_into().expect("16 of 32 bytes")
}

#[cfg(test)]
thread_local! {
    static COLLIDE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tests only: on this thread, every truncated digest is the same, so that every ballot
/// matches every earlier one and only the confirmation on full digests decides.
#[cfg(test)]
pub(crate) fn collide_truncated_digests(on: bool) {
    COLLIDE.with(|c| c.set(on));
}

/// `last_cast` for a credential without a cast ballot.
const NO_BALLOT: (u64, Digest16) = (u64::MAX, [0; 16]);

/// Lines parsed together, their ballots' points decoded in one batch.
const DECODE_LINES: usize = 64;
/// Ballots per batch (one multiscalar multiplication per check kind).
const BATCH: usize = 256;
/// The canonical close event.
const CLOSE_LINE: &str = r#"{"kind":"close"}"#;

mod ballots;
mod board;
mod decode;
mod optional;
mod registration;
mod result;
mod setup;
mod tally;

#[derive(Debug, Default, Clone)]
pub struct Options {
    /// A checkpoint an observer saved during voting.
    pub checkpoint: Option<Checkpoint>,
    /// A voter's receipt.
    pub receipt: Option<Receipt>,
    /// Witness keys whose co-signatures must be in the record, each over a prefix of its log.
    pub witnesses: Vec<Element>,
    /// Called with the bytes of events read so far.
    pub progress: Option<fn(u64)>,
    /// Ballots the observer's own watcher already verified (`specs/verifier.md` §6).
    pub proven: Option<Proven>,
}

/// A prefix of the log that the observer's own watcher (`dauys-verify watch`) has verified:
/// if the record's first `size` events have this Merkle root, they are the events the watcher
/// verified, and the signatures and proofs of their cast ballots (3.3–3.5), registrations
/// (1.8) and shuffles (1.9) are not verified again, except those of the events at `refused`,
/// which failed then and are verified again. Every other check runs on them as usual. A
/// record that does not extend the prefix fails those checks, whose proofs were then not all
/// verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proven {
    pub size: u64,
    pub root: Hash,
    /// The indices of the events (ballots, registrations, shuffles) that failed their checks
    /// then, ascending.
    pub refused: Vec<u64>,
}

impl Proven {
    /// Whether the ballot at `index` is one whose proofs need not be verified again (if the
    /// prefix turns out to be the record's).
    fn covers(&self, index: u64) -> bool {
        index < self.size && self.refused.binary_search(&index).is_err()
    }
}

#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub manifest: Option<Manifest>,
    pub events: u64,
    pub cast: u64,
    pub counted: u64,
    pub superseded: u64,
    pub spoiled: u64,
    pub decrypted_by: Vec<u32>,
    pub result: Option<ElectionResult>,
    pub fingerprint: Option<Fingerprint>,
    /// Where the published result and the record disagree, what the record gives.
    pub recount: Recount,
    /// The counted ballots per ballot style, as the verifier recounted them (empty with one
    /// style, or without a tally).
    pub turnout: Vec<u64>,
    /// The cast ballots refused by 3.1–3.5 or 3.8 (each counted once).
    pub refused: u64,
    /// The cast ballots whose signature or a proof failed (3.3–3.5), and the registrations
    /// (1.8) and shuffles (1.9) that failed, by index, ascending: what a watcher keeps as
    /// [`Proven::refused`].
    pub proof_failures: Vec<u64>,
}

pub struct Report {
    pub checks: Vec<CheckOutcome>,
    pub summary: Summary,
}

/// What the record as a whole comes to (`specs/verifier.md` §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed.
    Valid,
    /// At least one check failed (whatever else is missing).
    Invalid,
    /// No check failed, and some could not run because the record stops before their inputs
    /// (exported while voting was open, before the tally or the result): everything up to
    /// its last event checks out.
    Incomplete,
}

impl Verdict {
    /// The exit status of `dauys-verify` (2 is an unreadable record).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::Incomplete => 3,
        }
    }
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        if self.checks.iter().any(CheckOutcome::failed) {
            Verdict::Invalid
        } else if self.checks.iter().all(CheckOutcome::passed) {
            Verdict::Valid
        } else {
            Verdict::Incomplete
        }
    }

    pub fn valid(&self) -> bool {
        self.verdict() == Verdict::Valid
    }

    pub fn outcome(&self, check: Check) -> Option<&CheckOutcome> {
        self.checks.iter().find(|c| c.check == check)
    }

    /// The checks that failed.
    pub fn failed(&self) -> Vec<Check> {
        self.checks.iter().filter(|c| c.failed()).map(|c| c.check).collect()
    }

    /// The checks that did not run (and found no failure).
    pub fn not_run(&self) -> Vec<Check> {
        self.checks.iter().filter(|c| c.not_run.is_some() && !c.failed()).map(|c| c.check).collect()
    }

    /// The index of the record's last event, if it has any.
    pub fn last_event(&self) -> Option<u64> {
        self.summary.events.checked_sub(1)
    }
}

/// What one ballot's checks found (computed in parallel).
#[derive(Default)]
struct BallotVerdict {
    election: bool,
    credential: bool,
    /// Why the ballot's style is not its credential's, or its contests not exactly the
    /// style's (3.8).
    style_fault: Option<Finding>,
    /// The ballot's style (its index), when 3.8 passed.
    style: usize,
    shape: Option<String>,
    signature: bool,
    options: bool,
    sum: bool,
    /// The ballot's digest and ciphertext digest, computed with its proofs (in parallel).
    digests: ([u8; 32], [u8; 32]),
}

struct Pending {
    index: u64,
    /// The line's leaf hash: the second pass checks that it reads the same line again.
    leaf: Hash,
    ballot: Ballot,
}

struct Engine<'a> {
    checks: BTreeMap<Check, CheckOutcome>,
    timers: BTreeMap<Check, f64>,
    options: &'a Options,
    phase: Phase,
    frontier: Frontier,
    /// Every checkpoint to compare with the streamed log, with the check it answers to.
    checkpoints: Vec<(Checkpoint, Check)>,
    next_checkpoint: usize,
    /// Per check of checkpoints (2.4, 7.1): where the log stops matching them.
    divergence: BTreeMap<Check, Divergence>,
    setup: Option<(Setup, Fingerprint)>,
    /// Whether the first setup's manifest is valid: every check that depends on it needs it.
    manifest_valid: bool,
    /// The longest line each kind may take, from what the record has fixed so far.
    bounds: LineBounds,
    /// The index of the first `open` event (only the first is applied).
    opened: Option<u64>,
    /// At most one per trustee (by number), one per dealer and one per (dealer, recipient):
    /// repeats are reported and not kept.
    transport_keys: Vec<TransportKey>,
    dealings: Vec<Dealing>,
    /// Per dealing (same order): why it fails its public checks, if it does.
    dealing_faults: Vec<Option<String>>,
    complaints: Vec<Complaint>,
    /// Ready events that passed (as the board admits them), with the verification key each was
    /// checked against.
    readies: Vec<(Ready, Element)>,
    /// From open on: the trustees whose ready counted, with their lot commitments.
    ready: BTreeMap<u32, [u8; 32]>,
    /// The Merkle root of the log up to and including the close event.
    close_root: Option<Hash>,
    /// The last challenged ballot's ciphertext digest (they come in ascending order).
    last_spoiled: Option<[u8; 32]>,
    /// Shared, not cloned: the credential list can hold millions of entries.
    params: Option<std::sync::Arc<ElectionParams>>,
    /// Truncated digests of the cast ballots that passed their context checks.
    cast_digests: HashSet<Digest16>,
    /// Truncated ciphertext digests of the same ballots, and the full ones of challenged
    /// ballots (few): a challenged ballot is never cast.
    cast_ciphertexts: HashSet<Digest16>,
    spoiled_ciphertexts: HashSet<[u8; 32]>,
    /// Truncated-digest matches, confirmed or dismissed on the full digests at the end.
    digest_matches: Vec<ballots::DigestMatch>,
    /// The first ballot of the first batch verified with the election's parameters: the
    /// ballots before it entered no duplicate set.
    params_from: Option<u64>,
    pending_spoiled: Vec<(u64, SpoiledBallot)>,
    /// Per credential, in the credential list's order: the index and truncated leaf hash of
    /// its ballot that counts ([`NO_BALLOT`] if none), 24 bytes a voter.
    last_cast: Vec<(u64, Digest16)>,
    /// How many credentials have a cast ballot.
    counted: u64,
    recount: Recount,
    /// Ballots summed in the first pass that do not count, by index and truncated leaf hash.
    superseded: Vec<(u64, Digest16)>,
    cast: u64,
    spoiled: u64,
    all_cast: Option<TallyAccumulator>,
    tally: Option<EncryptedTally>,
    /// The counted ballots per style, recounted (5.1).
    turnout: Vec<u64>,
    /// The t lowest-numbered valid decryptions.
    decryptions: BTreeMap<u32, TrusteeDecryption>,
    /// Every trustee with a valid decryption.
    decrypted_by: std::collections::BTreeSet<u32>,
    /// The lot seed revealed in every valid decryption (at most one per trustee), by trustee.
    lot_reveals: BTreeMap<u32, [u8; 32]>,
    /// Decryption events read, valid or not.
    decryption_events: u64,
    result: Option<ElectionResult>,
    pending: Vec<Pending>,
    /// The receipt's leaf, if it was seen: (index, leaf hash as stored, was a cast ballot).
    receipt_leaf: Option<(u64, Hash, Option<Element>)>,
    /// Why the receipt's ballot does not count, if it was refused or failed a check.
    receipt_refused: Option<Finding>,
    /// The roll, registrations and shuffles (checks 1.8, 1.9).
    registration: registration::State,
    /// Whether the log's first `options.proven.size` events have the proven root.
    proven_matched: bool,
    /// The cast ballots refused by 3.1–3.5 or 3.8.
    refused: u64,
    /// The events that failed 3.3–3.5, 1.8 or 1.9, by index.
    proof_failures: Vec<u64>,
    /// The checks of 1.8 and 1.9 whose proofs a proven prefix spared.
    proven_skipped: Vec<Check>,
}

impl Engine<'_> {
    /// Whether the event at `index` is in the proven prefix and did not fail there: its
    /// proofs are not verified again (noted under `check`, in case the prefix is not the
    /// record's).
    fn proven_covers(&mut self, index: u64, check: Check) -> bool {
        let covers = self.options.proven.as_ref().is_some_and(|p| p.covers(index));
        if covers && !self.proven_skipped.contains(&check) {
            self.proven_skipped.push(check);
        }
        covers
    }

    fn check(&mut self, c: Check) -> &mut CheckOutcome {
        self.checks.entry(c).or_insert_with(|| CheckOutcome::new(c))
    }

    fn timed<T>(&mut self, c: Check, f: impl FnOnce(&mut Self) -> T) -> T {
        let start = Instant::now();
        let out = f(self);
        *self.timers.entry(c).or_default() += start.elapsed().as_secs_f64();
        out
    }

    /// The number of trustees, from a valid manifest.
    fn trustees(&self) -> Option<u32> {
        match &self.setup {
            Some((s, _)) if self.manifest_valid => Some(s.manifest.trustees.count),
            _ => None,
        }
    }

    /// One event, in order (ballots are queued and verified in batches).
    /// 2.1: the event's kind in the phase machine.
    fn order(&mut self, index: u64, kind: &'static str) {
        match self.phase.after(kind) {
            Ok(next) => self.phase = next,
            Err(e) => {
                let phase = Arg::Message(phase_words(self.phase));
                self.check(Check::EventOrder)
                    .fail(Finding::new("fail-order").event(index).arg("kind", e.kind).arg("phase", phase))
            }
        }
        self.check(Check::EventOrder).count += 1;
    }

    fn event(&mut self, index: u64, leaf: Hash, event: Event) {
        self.order(index, event.kind());
        match event {
            Event::Setup(setup) => {
                let repeated = self.setup.is_some();
                let valid = setup.manifest.validate().and_then(|_| setup.manifest.check_identities());
                let c = self.check(Check::Setup);
                c.count += 1;
                if let Err(e) = &valid {
                    c.fail(Finding::new("fail-manifest").event(index).reason(e));
                }
                if setup.board_key == Element::identity() {
                    c.fail(Finding::new("fail-board-key-identity").event(index));
                }
                if repeated {
                    c.fail(Finding::new("fail-second-setup").event(index));
                } else {
                    self.manifest_valid = valid.is_ok();
                    if self.manifest_valid {
                        self.bounds = LineBounds::for_manifest(&setup.manifest);
                    }
                    let fp = setup.manifest.setup_fingerprint();
                    self.setup = Some((*setup, fp));
                }
            }
            Event::TransportKey(k) => {
                let Some(n) = self.trustees() else { return };
                if !(1..=n).contains(&k.trustee) {
                    self.check(Check::TransportKeys)
                        .fail(Finding::new("fail-not-a-trustee").event(index).trustee(k.trustee).arg("trustees", n));
                } else if self.transport_keys.iter().any(|t| t.trustee == k.trustee) {
                    self.check(Check::TransportKeys)
                        .fail(Finding::new("fail-second-transport-key").event(index).trustee(k.trustee));
                } else {
                    self.transport_keys.push(k);
                }
            }
            Event::Dealing(d) => {
                let Some(n) = self.trustees() else { return };
                // As the board requires: dealings are encrypted to every trustee's key, so they
                // come after all of them.
                if self.transport_keys.len() < n as usize {
                    self.check(Check::EventOrder)
                        .fail(Finding::new("fail-dealing-early").event(index).arg("dealer", d.dealer));
                }
                if !(1..=n).contains(&d.dealer) {
                    self.check(Check::Dealings)
                        .fail(Finding::new("fail-not-a-trustee").event(index).trustee(d.dealer).arg("trustees", n));
                } else if self.dealings.iter().any(|e| e.dealer == d.dealer) {
                    self.check(Check::Dealings)
                        .fail(Finding::new("fail-second-dealing").event(index).arg("dealer", d.dealer));
                } else {
                    let fault = self.timed(Check::Dealings, |e| e.dealing_fault(&d));
                    self.dealings.push(d);
                    self.dealing_faults.push(fault);
                }
            }
            Event::Complaint(c) => {
                let Some(n) = self.trustees() else { return };
                if !self.dealings.iter().any(|d| d.dealer == c.dealer) {
                    self.check(Check::EventOrder)
                        .fail(Finding::new("fail-complaint-early").event(index).arg("dealer", c.dealer));
                }
                let who = |code| Finding::new(code).event(index).trustee(c.recipient).arg("dealer", c.dealer);
                if !(1..=n).contains(&c.dealer) || !(1..=n).contains(&c.recipient) {
                    self.check(Check::Dealings).fail(who("fail-complaint-not-trustees").arg("trustees", n));
                } else if self.complaints.iter().any(|d| (d.dealer, d.recipient) == (c.dealer, c.recipient)) {
                    self.check(Check::Dealings).fail(who("fail-complaint-twice"));
                } else {
                    self.complaints.push(c);
                }
            }
            Event::Ready(r) => {
                if self.trustees().is_some() {
                    self.timed(Check::KeyShares, |e| e.ready(index, r));
                }
            }
            Event::Roll(roll) => self.timed(Check::Registrations, |e| e.roll(index, *roll)),
            Event::Registration(r) => self.timed(Check::Registrations, |e| e.registration(index, *r)),
            Event::RegistrationClose => self.registration_close(index),
            Event::Shuffle(s) => {
                if self.trustees().is_some() {
                    self.timed(Check::Shuffles, |e| e.shuffle(index, *s));
                }
            }
            Event::Open(open) => {
                if self.opened.is_some() {
                    // Out of order (2.1): only the first open fixes the election's parameters.
                    return;
                }
                self.opened = Some(index);
                let n = self.trustees().unwrap_or(crate::crypto::threshold::MAX_TRUSTEES);
                // Every list it holds: a second open is no longer than one as long as this.
                let listed = open
                    .credentials
                    .iter()
                    .chain(open.style_credentials.iter().flatten())
                    .map(|l| l.len() as u64)
                    .sum();
                self.bounds = self.bounds.clone().with_credentials(listed, u64::from(n));
                if self.manifest_valid {
                    self.timed(Check::JointKey, |e| e.open(*open));
                } else {
                    self.credential_list(&open);
                }
            }
            Event::Cast(ballot) => self.pending.push(Pending { index, leaf, ballot: *ballot }),
            Event::Spoiled(s) => self.pending_spoiled.push((index, *s)),
            Event::Close => {}
            Event::Tally(t) => {
                if self.tally.is_some() {
                    self.check(Check::TallySum).fail(Finding::new("fail-second-tally").event(index));
                } else {
                    self.tally = Some(t);
                }
            }
            Event::Decryption(d) => {
                self.decryption_events += 1;
                self.timed(Check::DecryptionProofs, |e| e.decryption(index, d))
            }
            Event::Result(r) => {
                if self.result.is_some() {
                    self.check(Check::ResultComplete).fail(Finding::new("fail-second-result").event(index));
                } else {
                    self.result = Some(r);
                }
            }
        }
    }

    /// Where the record stops, for the reasons of checks it gives no input to.
    /// `why`, with where the record stops: its number of events and its last event's index.
    fn stops(&self, why: Finding) -> Finding {
        let events = self.frontier.len();
        why.arg("events", events).arg("last", events.saturating_sub(1))
    }

    /// Why checks that need the election's parameters (a valid manifest, the open event and
    /// the keys it publishes) did not get them.
    fn no_params(&self) -> Finding {
        if self.setup.is_none() {
            Finding::new("skip-no-setup")
        } else if !self.manifest_valid {
            Finding::new("skip-manifest-invalid")
        } else if self.opened.is_none() {
            self.no_open()
        } else {
            Finding::new("skip-no-params")
        }
    }

    /// Why there is no open event.
    fn no_open(&self) -> Finding {
        if matches!(self.phase, Phase::Empty | Phase::Ceremony) {
            self.stops(Finding::new("skip-not-opened"))
        } else {
            Finding::new("skip-no-open")
        }
    }
}

/// Parses one line into an event and checks that it is exactly its canonical form. A line
/// that does not parse is parsed again, tracking paths, to name the field at fault.
fn parse_line(line: &str) -> Result<Event, String> {
    let event: Event = serde_json::from_str(line).map_err(|first| {
        let mut de = serde_json::Deserializer::from_str(line);
        match serde_path_to_error::deserialize::<_, Event>(&mut de) {
            Err(e) => format!("{}: {}", e.path(), e.inner()),
            Ok(_) => first.to_string(),
        }
    })?;
    if !crate::log::is_canonical(&event, line) {
        return Err("not in canonical form (key order, whitespace or escapes differ)".into());
    }
    Ok(event)
}

/// Verifies the record in `dir`. An error means the record could not be read at all.
pub fn verify(dir: &Path, options: &Options) -> Result<Report, RecordError> {
    let (header, header_canonical) = record::read_header_with_form(dir)?;
    let with_form = record::checkpoints_with_form(dir)?;
    // As written, checkpoints grow strictly, and the last is the header's.
    let mut order_problems = Vec::new();
    for pair in with_form.windows(2) {
        if pair[1].0.size <= pair[0].0.size {
            order_problems
                .push(Finding::new("fail-checkpoint-order").arg("size", pair[0].0.size).arg("next", pair[1].0.size));
        }
    }
    match with_form.last() {
        Some((last, _)) if (last.size, last.root) != (header.checkpoint.size, header.checkpoint.root) => {
            order_problems.push(Finding::new("fail-last-checkpoint").arg("size", last.size))
        }
        None if header.size > 0 => order_problems.push(Finding::new("fail-no-checkpoints")),
        _ => {}
    }
    let mut non_canonical: Vec<Finding> = with_form
        .iter()
        .enumerate()
        .filter(|(_, (_, canonical))| !canonical)
        .map(|(i, _)| {
            Finding::new("fail-file-line-not-canonical").arg("file", record::CHECKPOINTS_FILE).arg("line", i + 1)
        })
        .collect();
    if !header_canonical {
        non_canonical.push(Finding::new("fail-file-not-canonical").arg("file", record::HEADER_FILE));
    }
    let mut checkpoints: Vec<(Checkpoint, Check)> =
        with_form.into_iter().map(|(c, _)| (c, Check::CheckpointConsistency)).collect();
    if let Some(c) = &options.checkpoint {
        checkpoints.push((c.clone(), Check::ObserverCheckpoint));
    }
    if let Some(r) = &options.receipt {
        checkpoints.push((r.checkpoint.clone(), Check::Receipt));
    }
    // Co-signatures: each root is compared with the log's while streaming; the signatures
    // (which need the setup) are checked after the pass.
    let mut cosignatures = Vec::new();
    if !options.witnesses.is_empty() {
        cosignatures = record::cosignatures(dir)?;
        cosignatures.retain(|c| options.witnesses.contains(&c.witness));
        for c in &cosignatures {
            let as_checkpoint = Checkpoint { root: c.root, signature: c.signature, size: c.size };
            checkpoints.push((as_checkpoint, Check::Witnesses));
        }
    }
    checkpoints.sort_by_key(|(c, _)| c.size);
    let mut e = Engine {
        checks: Check::ALL.iter().map(|&c| (c, CheckOutcome::new(c))).collect(),
        timers: BTreeMap::new(),
        options,
        phase: Phase::Empty,
        frontier: Frontier::new(),
        checkpoints,
        next_checkpoint: 0,
        divergence: BTreeMap::new(),
        setup: None,
        manifest_valid: false,
        bounds: LineBounds::without_manifest(),
        opened: None,
        transport_keys: vec![],
        dealings: vec![],
        dealing_faults: vec![],
        complaints: vec![],
        readies: vec![],
        ready: BTreeMap::new(),
        close_root: None,
        last_spoiled: None,
        params: None,
        cast_digests: HashSet::new(),
        cast_ciphertexts: HashSet::new(),
        spoiled_ciphertexts: HashSet::new(),
        digest_matches: vec![],
        params_from: None,
        pending_spoiled: vec![],
        last_cast: vec![],
        counted: 0,
        recount: Recount::default(),
        superseded: vec![],
        cast: 0,
        spoiled: 0,
        all_cast: None,
        tally: None,
        turnout: vec![],
        decryptions: BTreeMap::new(),
        decrypted_by: Default::default(),
        lot_reveals: BTreeMap::new(),
        decryption_events: 0,
        result: None,
        pending: vec![],
        registration: Default::default(),
        receipt_leaf: None,
        receipt_refused: None,
        proven_matched: false,
        refused: 0,
        proof_failures: vec![],
        proven_skipped: vec![],
    };
    for problem in non_canonical {
        e.check(Check::RecordWellFormed).fail(problem);
    }
    for problem in order_problems {
        e.check(Check::CheckpointConsistency).fail(problem);
    }
    for (check, wanted) in [
        (Check::ObserverCheckpoint, options.checkpoint.is_some()),
        (Check::Receipt, options.receipt.is_some()),
        (Check::Witnesses, !options.witnesses.is_empty()),
    ] {
        if wanted {
            e.checks.insert(check, CheckOutcome::new(check));
        }
    }
    // Checkpoints of size 0: the root of the empty tree, SHA-256 of nothing.
    e.checkpoints_at_size();

    // Pass 1: every event, in chunks.
    let mut reader = record::EventReader::open(dir)?;
    let mut bytes = 0u64;
    loop {
        let mut chunk: Vec<EventLine> = Vec::new();
        let mut kept = 0u64;
        while chunk.len() < CHUNK && kept < CHUNK_BYTES {
            let Some(line) = reader.next_line(|kind| e.bounds.of(kind))? else { break };
            bytes += line.len + 1;
            if let LineBody::Text(t) = &line.body {
                kept += t.len() as u64;
            }
            // A setup, roll or open event changes the bounds of the lines after it.
            let fixes_bounds = matches!(line.kind, Some("setup" | "roll" | "open"));
            chunk.push(line);
            if fixes_bounds {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let start = Instant::now();
        let hashes: Vec<Hash> = chunk
            .par_iter()
            .map(|line| match &line.body {
                LineBody::Text(text) => leaf_hash(text.as_bytes()),
                LineBody::Oversized { leaf_hash, .. } => *leaf_hash,
            })
            .collect();
        for (line, &hash) in chunk.iter().zip(&hashes) {
            e.frontier.push(hash);
            // The root at close seeds the lots (a close line is exactly its canonical form;
            // any other is not a valid close, and 1.1 says so).
            if matches!(&line.body, LineBody::Text(t) if t == CLOSE_LINE) && e.close_root.is_none() {
                e.close_root = Some(e.frontier.root());
            }
            if let Some(r) = &options.receipt
                && r.index == line.index
            {
                e.receipt_leaf = Some((line.index, hash, None));
            }
            e.checkpoints_at_size();
            if let Some(p) = &options.proven
                && p.size == e.frontier.len()
            {
                e.proven_matched = e.frontier.root() == p.root;
            }
        }
        *e.timers.entry(Check::CheckpointConsistency).or_default() += start.elapsed().as_secs_f64();
        let start = Instant::now();
        // In groups of DECODE_LINES, the points of their cast ballots decoded in one batch.
        let parsed: Vec<Result<Event, String>> =
            chunk.par_chunks(DECODE_LINES).flat_map_iter(decode::parse_lines).collect();
        let lines: Vec<(u64, Option<&'static str>)> = chunk.iter().map(|l| (l.index, l.kind)).collect();
        drop(chunk);
        *e.timers.entry(Check::RecordWellFormed).or_default() += start.elapsed().as_secs_f64();
        for (((index, kind), event), leaf) in lines.into_iter().zip(parsed).zip(hashes) {
            e.check(Check::RecordWellFormed).count += 1;
            match event {
                Ok(event) => {
                    if let (Some((i, _, cred)), Event::Cast(b)) = (&mut e.receipt_leaf, &event)
                        && *i == index
                    {
                        *cred = Some(b.credential);
                    }
                    e.event(index, leaf, event)
                }
                // Not applied: the checks after 1.1 see the log without this line, except that
                // the kind its first bytes name still takes its place in the order (2.1).
                Err(reason) => {
                    e.check(Check::RecordWellFormed)
                        .fail(Finding::new("fail-line").arg("line", index + 1).reason(reason));
                    if let Some(kind) = kind {
                        e.order(index, kind);
                    }
                }
            }
        }
        e.flush_ballots();
        if let Some(progress) = options.progress {
            progress(bytes);
        }
    }
    e.finish(&header, dir, &cosignatures)?;
    Ok(e.report())
}

impl Engine<'_> {
    fn finish(&mut self, header: &RecordHeader, dir: &Path, cosignatures: &[Cosignature]) -> Result<(), RecordError> {
        self.finish_log(header);
        if self.setup.is_none() {
            if self.check(Check::RecordWellFormed).failed() {
                self.check(Check::Setup).skip(Finding::new("skip-no-well-formed-setup"));
            } else {
                self.check(Check::Setup).fail(Finding::new("fail-no-setup"));
            }
        }
        if self.opened.is_none() && self.manifest_valid {
            // The record stops before voting opens: check the ceremony's messages it holds.
            self.ceremony_so_far();
        }
        if self.opened.is_none() {
            let why = self.no_params();
            for c in [Check::TransportKeys, Check::Dealings, Check::JointKey, Check::KeyShares] {
                self.check(c).skip(why.clone());
            }
            let why = self.no_open();
            self.check(Check::CredentialList).skip(why);
        } else if !self.manifest_valid {
            let why = self.no_params();
            for c in [Check::TransportKeys, Check::Dealings, Check::JointKey, Check::KeyShares] {
                self.check(c).skip(why.clone());
            }
        }
        if self.params.is_none() {
            let why = self.no_params();
            // Every check from the ballots on needs the election's parameters.
            let from = Check::ALL.iter().position(|c| *c == Check::BallotElection).expect("a check");
            for &c in &Check::ALL[from..] {
                self.check(c).skip(why.clone());
            }
        }
        self.finish_registration();
        self.finish_duplicates(dir)?;
        self.finish_tally(dir)?;
        self.finish_result();
        self.finish_optional(header, cosignatures);
        self.finish_proven();
        Ok(())
    }

    fn report(self) -> Report {
        let timers = self.timers;
        let checks = self
            .checks
            .into_values()
            .map(|mut c| {
                c.seconds = timers.get(&c.check).copied().unwrap_or(0.0);
                c
            })
            .collect();
        Report {
            checks,
            summary: Summary {
                manifest: self.setup.map(|(s, _)| s.manifest),
                events: self.frontier.len(),
                cast: self.cast,
                counted: self.counted,
                superseded: self.superseded.len() as u64,
                spoiled: self.spoiled,
                decrypted_by: self.decrypted_by.into_iter().collect(),
                result: self.result,
                fingerprint: self.params.as_ref().map(|p| p.fingerprint),
                recount: self.recount,
                turnout: self.turnout,
                refused: self.refused,
                proof_failures: {
                    let mut failures = self.proof_failures;
                    failures.sort_unstable();
                    failures.dedup();
                    failures
                },
            },
        }
    }
}

/// The words for the phase an event came in, for 2.1's failures.
fn phase_words(phase: Phase) -> &'static str {
    match phase {
        Phase::Empty => "phase-empty",
        Phase::Ceremony => "phase-ceremony",
        Phase::Registration => "phase-registration",
        Phase::Shuffling => "phase-shuffling",
        Phase::Voting => "phase-voting",
        Phase::Challenges => "phase-challenges",
        Phase::Closed => "phase-closed",
        Phase::Decrypting => "phase-decrypting",
        Phase::Done => "phase-done",
    }
}

/// Where the streamed log stops matching a check's checkpoints (in size order).
#[derive(Default)]
struct Divergence {
    /// The largest checkpoint size that matched before the first that did not.
    last_match: u64,
    first_mismatch: Option<u64>,
    later_mismatches: u64,
}
