//! The verification pass over a record: streamed in chunks, ballots verified in batches on
//! every core, every check run to the end and reported separately.
//!
//! Memory stays flat in the number of ballots: per ballot only its digest (32 bytes) and,
//! per credential, the index of its last ballot are kept. The tally check sums every cast
//! ballot in the first pass, then re-reads only the superseded ones (re-votes) and subtracts
//! them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use super::checks::{Check, CheckOutcome};
use crate::crypto::CryptoError;
use crate::crypto::batch::BatchVerifier;
use crate::crypto::elgamal::message_point;
use crate::crypto::group::{Element, Fingerprint};
use crate::crypto::threshold::dkg::{Complaint, Dealing, TransportKey, outcome};
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
/// Ballots per batch (one multiscalar multiplication per check kind).
const BATCH: usize = 256;

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
    complaints: Vec<Complaint>,
    /// Shared, not cloned: the credential list can hold millions of entries.
    params: Option<std::sync::Arc<ElectionParams>>,
    cast_digests: HashSet<[u8; 32]>,
    /// Ciphertext digests of cast and of challenged ballots (a challenged ballot is never cast).
    cast_ciphertexts: HashSet<[u8; 32]>,
    spoiled_ciphertexts: HashSet<[u8; 32]>,
    pending_spoiled: Vec<(u64, SpoiledBallot)>,
    /// By the credential's encoding (32 bytes, where the decoded point would take 192).
    last_cast: HashMap<[u8; 32], u64>,
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
                self.dealings.push(d);
            }
            Event::Complaint(c) => {
                if !self.dealings.iter().any(|d| d.dealer == c.dealer) {
                    self.check(Check::EventOrder)
                        .fail(format!("event {index}: a complaint before dealer {}'s dealing", c.dealer));
                }
                self.complaints.push(c);
            }
            Event::Open(open) => self.timed(Check::JointKey, |e| e.open(index, &open)),
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

    /// Voting opens: the ceremony is checked and the election's parameters fixed.
    fn open(&mut self, index: u64, open: &crate::log::event::Open) {
        let Some((setup, setup_fp)) = self.setup.clone() else {
            self.check(Check::JointKey).fail(format!("event {index}: voting opens without a setup"));
            return;
        };
        let params = setup.manifest.threshold_params();
        self.transport_keys.sort_by_key(|k| k.trustee);
        // 1.3: transport keys, one per trustee 1..n, each with its proof.
        {
            let mut batch = BatchVerifier::new();
            let numbers: Vec<u32> = self.transport_keys.iter().map(|k| k.trustee).collect();
            let expected: Vec<u32> = (1..=params.trustees).collect();
            let keys = self.transport_keys.clone();
            let c = self.check(Check::TransportKeys);
            c.count = keys.len() as u64;
            if numbers != expected {
                c.fail(format!("transport keys of trustees {numbers:?}, expected {expected:?}"));
            }
            for k in &keys {
                if k.key == Element::identity() {
                    c.fail(format!("trustee {}'s transport key is the identity", k.trustee));
                }
                let t = crate::crypto::transcript::transport_key_pok(&setup_fp, k.trustee, &k.key);
                k.proof.add_to_batch(t, &k.key, &mut batch);
            }
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    c.fail(format!("trustee {}'s proof of knowledge does not verify", keys[i].trustee));
                }
            }
        }
        // 1.4: dealings (public checks), complaints judged, enough qualified dealers.
        let ceremony = outcome(&setup_fp, &params, &self.transport_keys, &self.dealings, &self.complaints);
        {
            let dealings = self.dealings.clone();
            let c = self.check(Check::Dealings);
            c.count = dealings.len() as u64;
            for d in &dealings {
                if let Err(e) = d.verify(&setup_fp, &params) {
                    c.fail(format!("dealer {}: {e}", d.dealer));
                }
            }
            if let Err(e) = &ceremony {
                c.fail(e.to_string());
            }
        }
        // Complaints, as the board admits them: from a trustee, with a valid proof, once.
        let complaints = self.complaints.clone();
        let mut seen = std::collections::HashSet::new();
        for complaint in &complaints {
            let who = format!("complaint by trustee {} about dealer {}", complaint.recipient, complaint.dealer);
            let key = self.transport_keys.iter().find(|k| k.trustee == complaint.recipient).map(|k| k.key);
            let share = self
                .dealings
                .iter()
                .find(|d| d.dealer == complaint.dealer)
                .and_then(|d| d.shares.iter().find(|s| s.recipient == complaint.recipient))
                .map(|s| s.ephemeral);
            let fault = match (key, share, &complaint.proof) {
                (Some(key), Some(ephemeral), Some(proof)) => {
                    let t = crate::crypto::transcript::complaint(
                        &setup_fp,
                        complaint.dealer,
                        complaint.recipient,
                        &ephemeral,
                        &key,
                        &complaint.shared,
                    );
                    proof.verify(t, &ephemeral, &key, &complaint.shared).err().map(|_| "its proof does not verify")
                }
                (Some(_), Some(_), None) => Some("it has no evidence"),
                _ => Some("no such trustee or dealing"),
            };
            if let Some(why) = fault {
                self.check(Check::Dealings).fail(format!("{who}: {why}"));
            }
            if !seen.insert((complaint.dealer, complaint.recipient)) {
                self.check(Check::Dealings).fail(format!("{who}: posted twice"));
            }
        }
        // 1.5: the published keys are the ceremony's.
        if let Ok(ceremony) = &ceremony {
            let c = self.check(Check::JointKey);
            c.count = 1 + open.verification_keys.len() as u64;
            if ceremony.joint_key != open.joint_key {
                c.fail("the joint key is not the sum of the qualified dealers' constant terms");
            }
            if ceremony.verification_keys != open.verification_keys {
                c.fail("the verification keys are not those the commitments imply");
            }
        }
        if open.joint_key == Element::identity() {
            self.check(Check::JointKey).fail("the joint key is the identity element");
        }
        // 1.6: the credential list.
        {
            let c = self.check(Check::CredentialList);
            c.count = open.credentials.len() as u64;
            if let Err(e) = open.credentials.check() {
                c.fail(e.to_string());
            }
            if open.credentials.is_empty() {
                c.fail("the list is empty");
            }
        }
        match ElectionParams::new(
            setup.manifest,
            open.joint_key,
            open.verification_keys.clone(),
            open.credentials.clone(),
        ) {
            Ok(p) => {
                self.all_cast = Some(TallyAccumulator::new(&p.manifest));
                self.params = Some(std::sync::Arc::new(p));
            }
            Err(e) => self.check(Check::JointKey).fail(e.to_string()),
        }
    }

    fn decryption(&mut self, index: u64, d: TrusteeDecryption) {
        let (Some(params), Some(tally)) = (&self.params, &self.tally) else {
            self.check(Check::DecryptionProofs).fail(format!("event {index}: a decryption before the tally"));
            return;
        };
        let mut batch = BatchVerifier::new();
        let shape = d.add_to_batch(params, tally, &mut batch);
        let shares = batch.len() as u64;
        let trustee = d.trustee;
        let verdict = shape.map_err(|e| e.to_string()).and_then(|_| {
            batch.verify().map_err(|e| match e {
                CryptoError::BatchFailed { failed } => {
                    format!("{} share proof(s) fail, first at share {}", failed.len(), failed[0])
                }
                other => other.to_string(),
            })
        });
        let repeated = self.decryptions.contains_key(&trustee);
        let c = self.check(Check::DecryptionProofs);
        c.count += shares;
        if let Err(e) = verdict {
            c.fail(format!("trustee {trustee} (event {index}): {e}"));
            return;
        }
        if repeated {
            self.check(Check::DecryptionQuorum).fail(format!("trustee {trustee} decrypted twice"));
            return;
        }
        self.decryptions.insert(trustee, d);
    }

    /// Verifies the queued ballots in parallel batches and records what they establish.
    fn flush_ballots(&mut self) {
        if self.pending.is_empty() && self.pending_spoiled.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let spoiled = std::mem::take(&mut self.pending_spoiled);
        let Some(params) = self.params.clone() else {
            for index in pending.iter().map(|p| p.index).chain(spoiled.iter().map(|(i, _)| *i)) {
                self.check(Check::BallotElection).fail(format!("event {index}: a ballot before voting opened"));
            }
            return;
        };
        self.flush_spoiled(&params, spoiled);
        let start = Instant::now();
        let verdicts: Vec<BallotVerdict> =
            pending.par_chunks(BATCH).flat_map_iter(|chunk| verify_chunk(&params, chunk)).collect();
        let elapsed = start.elapsed().as_secs_f64();
        *self.timers.entry(Check::OptionProofs).or_default() += elapsed;

        // The sum of every cast ballot that passed its context checks.
        let sums = pending
            .par_iter()
            .zip(verdicts.par_iter())
            .filter(|(_, v)| v.election && v.credential && v.shape.is_none())
            .fold(
                || TallyAccumulator::new(&params.manifest),
                |mut acc, (p, _)| {
                    acc.add(&p.ballot);
                    acc
                },
            )
            .reduce(|| TallyAccumulator::new(&params.manifest), |a, b| a.merge(&b));
        self.all_cast = Some(match self.all_cast.take() {
            Some(acc) => acc.merge(&sums),
            None => sums,
        });

        for (p, v) in pending.iter().zip(verdicts) {
            let at = |what: &str| format!("ballot at event {}: {what}", p.index);
            self.check(Check::BallotElection).count += 1;
            if !v.election {
                self.check(Check::BallotElection).fail(at("for another election"));
                continue;
            }
            self.check(Check::BallotCredential).count += 1;
            if !v.credential {
                let cred = p.ballot.credential.to_hex();
                self.check(Check::BallotCredential).fail(at(&format!("credential {cred} is not in the list")));
                continue;
            }
            if let Some(reason) = &v.shape {
                self.check(Check::OptionProofs).fail(at(reason));
                continue;
            }
            for (check, ok, what) in [
                (Check::BallotSignature, v.signature, "the signature does not verify"),
                (Check::OptionProofs, v.options, "an option's range proof does not verify"),
                (Check::SumProofs, v.sum, "a contest's sum proof does not verify (bounds from the manifest)"),
            ] {
                let c = self.check(check);
                c.count += 1;
                if !ok {
                    c.fail(at(what));
                }
            }
            let (digest, ciphertexts) = v.digests;
            self.cast += 1;
            self.check(Check::NoDuplicates).count += 1;
            if !self.cast_digests.insert(digest) {
                self.check(Check::NoDuplicates).fail(at("the same ballot was cast before"));
            }
            self.check(Check::SpoiledNotCast).count += 1;
            self.cast_ciphertexts.insert(ciphertexts);
            if self.spoiled_ciphertexts.contains(&ciphertexts) {
                self.check(Check::SpoiledNotCast).fail(at("a challenged ballot has the same ciphertexts"));
            }
            self.check(Check::RevotePolicy).count += 1;
            if let Some(previous) = self.last_cast.insert(p.ballot.credential.to_bytes(), p.index) {
                match params.manifest.revote {
                    RevotePolicy::LastCounts => self.superseded.push(previous),
                    RevotePolicy::Refused => {
                        self.check(Check::RevotePolicy).fail(at(&format!(
                            "the credential voted at event {previous} and the election refuses revotes"
                        )));
                        // Under `refused`, the first ballot is the one that counts.
                        self.last_cast.insert(p.ballot.credential.to_bytes(), previous);
                        self.superseded.push(p.index);
                    }
                }
            }
        }
    }
}

impl Engine<'_> {
    /// Challenged ballots: each opening checked (in parallel), none repeated, none cast.
    fn flush_spoiled(&mut self, params: &ElectionParams, spoiled: Vec<(u64, SpoiledBallot)>) {
        let verdicts: Vec<Option<String>> =
            spoiled.par_iter().map(|(_, s)| s.check(params).err().map(|e| e.to_string())).collect();
        for ((index, s), verdict) in spoiled.iter().zip(verdicts) {
            let at = |what: &str| format!("challenged ballot at event {index}: {what}");
            self.spoiled += 1;
            let c = self.check(Check::Openings);
            c.count += 1;
            if let Some(reason) = verdict {
                c.fail(at(&reason));
            }
            let digest = s.ciphertext_digest();
            if !self.spoiled_ciphertexts.insert(digest) {
                self.check(Check::NoDuplicates).fail(at("this challenged ballot was posted before"));
            }
            if self.cast_ciphertexts.contains(&digest) {
                self.check(Check::SpoiledNotCast).fail(at("a cast ballot has the same ciphertexts"));
            }
        }
    }
}

fn verify_chunk(params: &ElectionParams, chunk: &[Pending]) -> Vec<BallotVerdict> {
    let key = vec![*params.key.element().point()];
    let mut signatures = BatchVerifier::new();
    let mut options = BatchVerifier::with_shared_bases(key.clone());
    let mut sums = BatchVerifier::with_shared_bases(key);
    let mut verdicts = Vec::with_capacity(chunk.len());
    // Which batch item belongs to which ballot.
    let mut items: Vec<usize> = Vec::new();
    for (i, p) in chunk.iter().enumerate() {
        let b = &p.ballot;
        let mut v = BallotVerdict {
            election: b.election == params.fingerprint,
            credential: params.credentials.contains(&b.credential),
            digests: (b.digest(), b.ciphertext_digest()),
            ..Default::default()
        };
        if v.election && v.credential {
            if let Err(e) = b.check_shape(&params.manifest) {
                v.shape = Some(e.to_string());
            } else {
                b.add_signature_to(params, &mut signatures.item());
                let mut option_item = options.item();
                let mut sum_item = sums.item();
                let (options_ok, sums_ok) = b.add_proofs_split(params, &mut option_item, Some(&mut sum_item));
                v.options = options_ok.is_ok();
                v.sum = sums_ok.is_ok();
                items.push(i);
            }
        }
        verdicts.push(v);
    }
    let failed = |batch: &BatchVerifier| -> HashSet<usize> {
        match batch.verify() {
            Ok(()) => HashSet::new(),
            Err(CryptoError::BatchFailed { failed }) => failed.into_iter().map(|k| items[k]).collect(),
            Err(_) => items.iter().copied().collect(),
        }
    };
    let (bad_sig, bad_opt, bad_sum) = (failed(&signatures), failed(&options), failed(&sums));
    for &i in &items {
        let v = &mut verdicts[i];
        v.signature = !bad_sig.contains(&i);
        v.options &= !bad_opt.contains(&i);
        v.sum &= !bad_sum.contains(&i);
    }
    verdicts
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
        complaints: vec![],
        params: None,
        cast_digests: HashSet::new(),
        cast_ciphertexts: HashSet::new(),
        spoiled_ciphertexts: HashSet::new(),
        pending_spoiled: vec![],
        last_cast: HashMap::new(),
        superseded: vec![],
        cast: 0,
        spoiled: 0,
        all_cast: None,
        tally: None,
        decryptions: BTreeMap::new(),
        result: None,
        pending: vec![],
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
            if let Some(r) = &options.receipt {
                if r.index == *index {
                    e.receipt_leaf = Some((*index, hash, None));
                }
            }
            e.checkpoints_at_size();
        }
        *e.timers.entry(Check::CheckpointConsistency).or_default() += start.elapsed().as_secs_f64();
        let start = Instant::now();
        let parsed: Vec<Result<Event, String>> = chunk.par_iter().map(|(_, line)| parse_line(line)).collect();
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
    /// Checkpoints whose size the streamed log has just reached.
    fn checkpoints_at_size(&mut self) {
        let size = self.frontier.len();
        while let Some((c, check)) = self.checkpoints.get(self.next_checkpoint) {
            if c.size > size {
                break;
            }
            let (c, check) = (c.clone(), *check);
            self.next_checkpoint += 1;
            let root = self.frontier.root();
            let outcome = self.check(check);
            outcome.count += 1;
            if c.size == size && c.root != root {
                outcome.fail(format!(
                    "the checkpoint of size {} does not match the log's first {} events",
                    c.size, c.size
                ));
            }
        }
    }

    fn finish(&mut self, header: &RecordHeader, dir: &Path) -> Result<(), RecordError> {
        let size = self.frontier.len();
        // Checkpoints larger than the log.
        while let Some((c, check)) = self.checkpoints.get(self.next_checkpoint).cloned() {
            self.next_checkpoint += 1;
            self.check(check).fail(format!("a checkpoint of size {} is beyond the log's {size} events", c.size));
        }
        // 2.2: the final root.
        {
            let root = self.frontier.root();
            let c = self.check(Check::FinalRoot);
            c.count = size;
            if header.size != size || header.checkpoint.size != size {
                c.fail(format!(
                    "the record has {size} events, its header says {} and its checkpoint {}",
                    header.size, header.checkpoint.size
                ));
            } else if header.checkpoint.root != root {
                c.fail("the Merkle root of the events differs from the final signed checkpoint's");
            }
        }
        // 2.3: signatures.
        if let Some((setup, fp)) = self.setup.clone() {
            let mut batch = BatchVerifier::new();
            let mut all: Vec<Checkpoint> = self
                .checkpoints
                .iter()
                .filter(|(_, k)| *k == Check::CheckpointConsistency)
                .map(|(c, _)| c.clone())
                .collect();
            all.push(header.checkpoint.clone());
            for cp in &all {
                let t = crate::crypto::transcript::checkpoint(&fp, &setup.board_key, cp.size, &cp.root);
                cp.signature.add_to_batch(t, &setup.board_key, &mut batch);
            }
            let c = self.check(Check::CheckpointSignatures);
            c.count = all.len() as u64;
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    c.fail(format!("the checkpoint of size {} is not signed by the board key", all[i].size));
                }
            }
        }
        if self.phase == Phase::Empty {
            self.check(Check::Setup).fail("the record has no setup event");
        }
        if self.params.is_none() {
            self.check(Check::JointKey).fail("voting never opened");
        }
        self.finish_tally(dir)?;
        self.finish_result();
        self.finish_receipt(header);
        Ok(())
    }

    fn finish_tally(&mut self, dir: &Path) -> Result<(), RecordError> {
        let Some(params) = self.params.clone() else { return Ok(()) };
        let start = Instant::now();
        let mut sum = self.all_cast.take().unwrap_or_else(|| TallyAccumulator::new(&params.manifest));
        // Pass 2: subtract the superseded ballots.
        if !self.superseded.is_empty() {
            let wanted: HashSet<u64> = self.superseded.iter().copied().collect();
            let mut removed = TallyAccumulator::new(&params.manifest);
            for item in record::events(dir)? {
                let (index, line) = item?;
                if wanted.contains(&index) {
                    // Parsed in full and checked in the first pass; only the ciphertexts now.
                    if let Ok(contests) = crate::log::event::cast_ciphertexts(&line) {
                        removed.add_ciphertexts(contests.iter().map(Vec::as_slice));
                    }
                }
            }
            sum.subtract(&removed);
        }
        let counted = self.last_cast.len() as u64;
        let expected = sum.finish();
        let tally = self.tally.clone();
        let c = self.check(Check::TallySum);
        c.count = counted;
        match &tally {
            None => c.fail("no encrypted tally was published"),
            Some(t) if t.ballots != counted => c.fail(format!("the tally says {} ballots, {counted} count", t.ballots)),
            Some(t) if t.contests != expected.contests => {
                for (ci, (a, b)) in t.contests.iter().zip(&expected.contests).enumerate() {
                    for (o, (x, y)) in a.iter().zip(b).enumerate() {
                        if x != y {
                            c.fail(format!("contest {ci} option {o}: not the sum of the counted ballots"));
                        }
                    }
                }
                if t.contests.len() != expected.contests.len()
                    || t.contests.iter().zip(&expected.contests).any(|(a, b)| a.len() != b.len())
                {
                    c.fail("the tally's shape does not match the manifest");
                }
            }
            Some(_) => {}
        }
        *self.timers.entry(Check::TallySum).or_default() += start.elapsed().as_secs_f64();
        Ok(())
    }

    fn finish_result(&mut self) {
        let (Some(params), Some(tally)) = (self.params.clone(), self.tally.clone()) else {
            self.check(Check::ResultComplete).fail("no tally, so no result can be checked");
            return;
        };
        let t = params.manifest.trustees.threshold as usize;
        let quorum: Vec<TrusteeDecryption> = self.decryptions.values().cloned().collect();
        {
            let c = self.check(Check::DecryptionQuorum);
            c.count = quorum.len() as u64;
            if quorum.len() < t {
                c.fail(format!("{} trustee(s) with valid decryptions, the threshold is {t}", quorum.len()));
            }
        }
        let Some(result) = self.result.clone() else {
            self.check(Check::ResultComplete).fail("no result was published");
            return;
        };
        {
            let c = self.check(Check::ResultComplete);
            c.count = 1;
            let shape_ok = result.contests.len() == params.manifest.contests.len()
                && result
                    .contests
                    .iter()
                    .zip(&params.manifest.contests)
                    .all(|(r, m)| r.id == m.id && r.counts.len() == m.options.len());
            if !shape_ok {
                c.fail("the result does not list every contest and option of the manifest");
                return;
            }
            if result.ballots != tally.ballots {
                c.fail(format!("the result says {} ballots, the tally {}", result.ballots, tally.ballots));
            }
        }
        if quorum.len() >= t {
            let start = Instant::now();
            // Any t valid decryptions give the same points; use the first t.
            match combine_decryptions(&params, &tally, &quorum[..t]) {
                Ok(points) => {
                    let c = self.check(Check::Counts);
                    for (r, pts) in result.contests.iter().zip(&points) {
                        for (o, (count, point)) in r.counts.iter().zip(pts).enumerate() {
                            c.count += 1;
                            if message_point(*count) != *point {
                                c.fail(format!(
                                    "contest {:?} option {o}: {count}·g is not what the tally decrypts to",
                                    r.id
                                ));
                            }
                        }
                    }
                }
                Err(e) => self.check(Check::Counts).fail(e.to_string()),
            }
            *self.timers.entry(Check::Counts).or_default() += start.elapsed().as_secs_f64();
        }
        let c = self.check(Check::Outcomes);
        for (r, contest) in result.contests.iter().zip(&params.manifest.contests) {
            c.count += 1;
            let recomputed = counting::outcome(contest, &r.counts, &params.fingerprint);
            if recomputed != r.outcome {
                c.fail(format!("contest {:?}: published {:?}, the counts give {:?}", r.id, r.outcome, recomputed));
            }
        }
    }

    fn finish_receipt(&mut self, header: &RecordHeader) {
        let Some(receipt) = self.options.receipt.clone() else { return };
        let Some((setup, fp)) = self.setup.clone() else { return };
        let leaf = self.receipt_leaf;
        let counted = leaf.as_ref().and_then(|(i, _, cred)| cred.map(|c| self.last_cast.get(c.as_bytes()) == Some(i)));
        let c = self.check(Check::Receipt);
        c.count = 1;
        if let Err(e) = receipt.verify(&fp, &setup.board_key) {
            c.fail(e);
            return;
        }
        match leaf {
            Some((_, hash, _)) if hash == receipt.leaf_hash => {}
            _ => {
                c.fail(format!("the log has no entry {} with the receipt's leaf hash", receipt.index));
                return;
            }
        }
        if receipt.checkpoint.size > header.checkpoint.size {
            c.fail("the receipt's checkpoint is beyond the final log");
            return;
        }
        match counted {
            Some(true) => c.note = format!("entry {}: the ballot is counted", receipt.index),
            Some(false) => {
                c.note = format!(
                    "entry {}: the ballot was superseded by a later ballot of the same credential",
                    receipt.index
                )
            }
            None => c.fail("the receipt's entry is not a cast ballot"),
        }
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
                counted: self.last_cast.len() as u64,
                superseded: self.superseded.len() as u64,
                spoiled: self.spoiled,
                decrypted_by: self.decryptions.keys().copied().collect(),
                result: self.result,
                fingerprint: self.params.as_ref().map(|p| p.fingerprint),
            },
        }
    }
}
