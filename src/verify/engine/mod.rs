//! The verification pass over a record: streamed in chunks, ballots verified in batches on
//! every core, every check run to the end and reported separately.
//!
//! Memory per ballot is small and fixed: the first 16 bytes of its digest and of its
//! ciphertext digest (duplicates, checks 3.6 and 4.2; a match of the truncated digests is
//! confirmed on the full digests at the end, see `ballots.rs`) and, per credential, the index
//! of its last ballot, in an array beside the credential list. The tally check sums every
//! cast ballot in the first pass, then re-reads only the superseded ones (re-votes) and
//! subtracts them.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use super::checks::{Check, CheckOutcome};
use crate::crypto::CryptoError;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::elgamal::message_point;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::dkg::{Complaint, Dealing, Ready, TransportKey, outcome, qualify};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::election::counting;
use crate::election::manifest::{Manifest, RevotePolicy};
use crate::election::params::ElectionParams;
use crate::election::tally::{
    ElectionResult, EncryptedTally, TallyAccumulator, TrusteeDecryption, combine_decryptions,
};
use crate::log::checkpoint::{Checkpoint, Receipt};
use crate::log::event::{Event, Phase, Setup};
use crate::log::merkle::{Frontier, Hash, leaf_hash};
use crate::log::record::{self, RecordError, RecordHeader};

/// Lines read and parsed together.
const CHUNK: usize = 4096;
/// The first 16 bytes of a SHA-256 digest.
type Digest16 = [u8; 16];

fn digest16(digest: &[u8; 32]) -> Digest16 {
    #[cfg(test)]
    if COLLIDE.with(std::cell::Cell::get) {
        return [0; 16];
    }
    digest[..16].try_into().expect("16 of 32 bytes")
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
const NO_BALLOT: u64 = u64::MAX;

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
}

pub struct Report {
    pub checks: Vec<CheckOutcome>,
    pub summary: Summary,
}

impl Report {
    pub fn valid(&self) -> bool {
        self.checks.iter().all(CheckOutcome::passed)
    }

    pub fn outcome(&self, check: Check) -> Option<&CheckOutcome> {
        self.checks.iter().find(|c| c.check == check)
    }

    pub fn failed(&self) -> Vec<Check> {
        self.checks.iter().filter(|c| !c.passed()).map(|c| c.check).collect()
    }
}

/// What one ballot's checks found (computed in parallel).
#[derive(Default)]
struct BallotVerdict {
    election: bool,
    credential: bool,
    shape: Option<String>,
    signature: bool,
    options: bool,
    sum: bool,
    /// The ballot's digest and ciphertext digest, computed with its proofs (in parallel).
    digests: ([u8; 32], [u8; 32]),
}

struct Pending {
    index: u64,
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
    setup: Option<(Setup, Fingerprint)>,
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
    /// Per credential, in the credential list's order: the index of its last cast ballot
    /// ([`NO_BALLOT`] if none), 8 bytes a voter.
    last_cast: Vec<u64>,
    /// How many credentials have a cast ballot.
    counted: u64,
    superseded: Vec<u64>,
    cast: u64,
    spoiled: u64,
    all_cast: Option<TallyAccumulator>,
    tally: Option<EncryptedTally>,
    decryptions: BTreeMap<u32, TrusteeDecryption>,
    result: Option<ElectionResult>,
    pending: Vec<Pending>,
    /// The receipt's leaf, if it was seen: (index, leaf hash as stored, was a cast ballot).
    receipt_leaf: Option<(u64, Hash, Option<Element>)>,
    /// The roll, registrations and shuffles (checks 1.8, 1.9).
    registration: registration::State,
}

impl Engine<'_> {
    fn check(&mut self, c: Check) -> &mut CheckOutcome {
        self.checks.entry(c).or_insert_with(|| CheckOutcome::new(c))
    }

    fn timed<T>(&mut self, c: Check, f: impl FnOnce(&mut Self) -> T) -> T {
        let start = Instant::now();
        let out = f(self);
        *self.timers.entry(c).or_default() += start.elapsed().as_secs_f64();
        out
    }

    /// One event, in order (ballots are queued and verified in batches).
    fn event(&mut self, index: u64, event: Event) {
        match self.phase.next(&event) {
            Ok(next) => self.phase = next,
            Err(e) => self.check(Check::EventOrder).fail(format!("event {index}: {e}")),
        }
        self.check(Check::EventOrder).count += 1;
        match event {
            Event::Setup(setup) => {
                let repeated = self.setup.is_some();
                let c = self.check(Check::Setup);
                c.count += 1;
                if let Err(e) = setup.manifest.validate() {
                    c.fail(format!("event {index}: {e}"));
                }
                if setup.board_key == Element::identity() {
                    c.fail("the board key is the identity element");
                }
                if repeated {
                    c.fail(format!("event {index}: a second setup"));
                } else {
                    let fp = setup.manifest.setup_fingerprint();
                    self.setup = Some((*setup, fp));
                }
            }
            Event::TransportKey(k) => self.transport_keys.push(k),
            Event::Dealing(d) => {
                // As the board requires: dealings are encrypted to every trustee's key, so they
                // come after all of them.
                let n = self.setup.as_ref().map_or(0, |(s, _)| s.manifest.trustees.count as usize);
                if self.transport_keys.len() < n {
                    self.check(Check::EventOrder).fail(format!(
                        "event {index}: dealer {}'s dealing before every trustee's transport key",
                        d.dealer
                    ));
                }
                let fault = self.timed(Check::Dealings, |e| e.dealing_fault(&d));
                self.dealings.push(d);
                self.dealing_faults.push(fault);
            }
            Event::Complaint(c) => {
                if !self.dealings.iter().any(|d| d.dealer == c.dealer) {
                    self.check(Check::EventOrder)
                        .fail(format!("event {index}: a complaint before dealer {}'s dealing", c.dealer));
                }
                self.complaints.push(c);
            }
            Event::Ready(r) => self.timed(Check::KeyShares, |e| e.ready(index, r)),
            Event::Roll(roll) => self.timed(Check::Registrations, |e| e.roll(index, *roll)),
            Event::Registration(r) => self.timed(Check::Registrations, |e| e.registration(index, *r)),
            Event::RegistrationClose => self.registration_close(index),
            Event::Shuffle(s) => self.timed(Check::Shuffles, |e| e.shuffle(index, *s)),
            Event::Open(open) => self.timed(Check::JointKey, |e| e.open(index, *open)),
            Event::Cast(ballot) => self.pending.push(Pending { index, ballot: *ballot }),
            Event::Spoiled(s) => self.pending_spoiled.push((index, *s)),
            Event::Close => {}
            Event::Tally(t) => {
                if self.tally.is_some() {
                    self.check(Check::TallySum).fail(format!("event {index}: a second tally"));
                } else {
                    self.tally = Some(t);
                }
            }
            Event::Decryption(d) => self.timed(Check::DecryptionProofs, |e| e.decryption(index, d)),
            Event::Result(r) => {
                if self.result.is_some() {
                    self.check(Check::ResultComplete).fail(format!("event {index}: a second result"));
                } else {
                    self.result = Some(r);
                }
            }
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

/// The setup event, if the record's first line is one (for checks that need the board key
/// before the pass).
fn setup_of(dir: &Path) -> Option<(Setup, ())> {
    let (_, line) = record::events(dir).ok()?.next()?.ok()?;
    match serde_json::from_str::<Event>(&line).ok()? {
        Event::Setup(s) => Some((*s, ())),
        _ => None,
    }
}

/// Verifies the record in `dir`. An error means the record could not be read at all.
pub fn verify(dir: &Path, options: &Options) -> Result<Report, RecordError> {
    let header: RecordHeader = record::read_header(dir)?;
    let with_form = record::checkpoints_with_form(dir)?;
    // As written, checkpoints grow strictly, and the last is the header's.
    let mut order_problems = Vec::new();
    for pair in with_form.windows(2) {
        if pair[1].0.size <= pair[0].0.size {
            order_problems
                .push(format!("checkpoints of size {} then {}: sizes must increase", pair[0].0.size, pair[1].0.size));
        }
    }
    match with_form.last() {
        Some((last, _)) if (last.size, last.root) != (header.checkpoint.size, header.checkpoint.root) => {
            order_problems.push(format!("the last checkpoint (size {}) is not the header's", last.size))
        }
        None if header.size > 0 => order_problems.push("no checkpoints, yet the log has events".into()),
        _ => {}
    }
    let mut non_canonical: Vec<String> = with_form
        .iter()
        .enumerate()
        .filter(|(_, (_, canonical))| !canonical)
        .map(|(i, _)| format!("{} line {}: not in canonical form", record::CHECKPOINTS_FILE, i + 1))
        .collect();
    if !record::header_is_canonical(dir, &header) {
        non_canonical.push(format!("{}: not in canonical form", record::HEADER_FILE));
    }
    let mut checkpoints: Vec<(Checkpoint, Check)> =
        with_form.into_iter().map(|(c, _)| (c, Check::CheckpointConsistency)).collect();
    if let Some(c) = &options.checkpoint {
        checkpoints.push((c.clone(), Check::ObserverCheckpoint));
    }
    if let Some(r) = &options.receipt {
        checkpoints.push((r.checkpoint.clone(), Check::Receipt));
    }
    let mut witness_outcome = CheckOutcome::new(Check::Witnesses);
    if !options.witnesses.is_empty() {
        let cosignatures = record::cosignatures(dir)?;
        let setup = setup_of(dir);
        for w in &options.witnesses {
            let mine: Vec<_> = cosignatures.iter().filter(|c| c.witness == *w).collect();
            if mine.is_empty() {
                witness_outcome.fail(format!("witness {} co-signed no checkpoint of this record", w.to_hex()));
            }
            for c in mine {
                // Counted once, when its root is compared with the streamed log.
                if let Some((s, _)) = &setup {
                    if c.verify(&s.manifest.setup_fingerprint(), &s.board_key).is_err() {
                        witness_outcome.fail(format!(
                            "witness {}'s co-signature of size {} does not verify",
                            w.to_hex(),
                            c.size
                        ));
                    }
                }
                // Its root must be the log's at its size: compared while streaming.
                let as_checkpoint = Checkpoint { root: c.root, signature: c.signature, size: c.size };
                checkpoints.push((as_checkpoint, Check::Witnesses));
            }
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
        setup: None,
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
        superseded: vec![],
        cast: 0,
        spoiled: 0,
        all_cast: None,
        tally: None,
        decryptions: BTreeMap::new(),
        result: None,
        pending: vec![],
        registration: Default::default(),
        receipt_leaf: None,
    };
    for problem in non_canonical {
        e.check(Check::RecordWellFormed).fail(problem);
    }
    for problem in order_problems {
        e.check(Check::CheckpointConsistency).fail(problem);
    }
    if let Some(c) = &options.checkpoint {
        let mut outcome = CheckOutcome::new(Check::ObserverCheckpoint);
        if let Some((setup, _)) = setup_of(dir) {
            let t = crate::crypto::transcript::checkpoint(
                &setup.manifest.setup_fingerprint(),
                &setup.board_key,
                c.size,
                &c.root,
            );
            if c.signature.verify(t, &setup.board_key).is_err() {
                outcome.fail("the observer's checkpoint is not signed by this board");
            }
        }
        e.checks.insert(Check::ObserverCheckpoint, outcome);
    }
    if options.receipt.is_some() {
        e.checks.insert(Check::Receipt, CheckOutcome::new(Check::Receipt));
    }
    if !options.witnesses.is_empty() {
        e.checks.insert(Check::Witnesses, witness_outcome);
    }

    // Pass 1: every event, in chunks.
    let mut lines = record::events(dir)?;
    let mut bytes = 0u64;
    loop {
        let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK);
        for item in lines.by_ref().take(CHUNK) {
            chunk.push(item?);
        }
        if chunk.is_empty() {
            break;
        }
        let start = Instant::now();
        let hashes: Vec<Hash> = chunk.par_iter().map(|(_, line)| leaf_hash(line.as_bytes())).collect();
        for ((index, line), hash) in chunk.iter().zip(hashes) {
            bytes += line.len() as u64 + 1;
            e.frontier.push(hash);
            // The root at close seeds the lots (a close line is exactly its canonical form;
            // any other is not a valid close, and 1.1 says so).
            if line == CLOSE_LINE && e.close_root.is_none() {
                e.close_root = Some(e.frontier.root());
            }
            if let Some(r) = &options.receipt {
                if r.index == *index {
                    e.receipt_leaf = Some((*index, hash, None));
                }
            }
            e.checkpoints_at_size();
        }
        *e.timers.entry(Check::CheckpointConsistency).or_default() += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let parsed: Vec<Result<Event, String>> =
            chunk.par_chunks(DECODE_LINES).flat_map_iter(decode::parse_lines).collect();
        *e.timers.entry(Check::RecordWellFormed).or_default() += start.elapsed().as_secs_f64();
        for ((index, _), event) in chunk.iter().zip(parsed) {
            e.check(Check::RecordWellFormed).count += 1;
            match event {
                Ok(event) => {
                    if let (Some((i, _, cred)), Event::Cast(b)) = (&mut e.receipt_leaf, &event) {
                        if *i == *index {
                            *cred = Some(b.credential);
                        }
                    }
                    e.event(*index, event)
                }
                Err(reason) => e.check(Check::RecordWellFormed).fail(format!("line {}: {reason}", index + 1)),
            }
        }
        e.flush_ballots();
        if let Some(progress) = options.progress {
            progress(bytes);
        }
    }
    e.finish(&header, dir)?;
    Ok(e.report())
}

impl Engine<'_> {
    fn finish(&mut self, header: &RecordHeader, dir: &Path) -> Result<(), RecordError> {
        self.finish_log(header);
        if self.phase == Phase::Empty {
            self.check(Check::Setup).fail("the record has no setup event");
        }
        if self.params.is_none() {
            self.check(Check::JointKey).fail("voting never opened");
        }
        self.finish_duplicates(dir)?;
        self.finish_tally(dir)?;
        self.finish_result();
        self.finish_receipt(header);
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
                decrypted_by: self.decryptions.keys().copied().collect(),
                result: self.result,
                fingerprint: self.params.as_ref().map(|p| p.fingerprint),
            },
        }
    }
}
