//! An election on one machine: every role played in this process, exchanging only the
//! public messages of the board. The demo, the simulator and the end-to-end tests run on it.
//!
//! ```text
//! setup     board created with the manifest; each trustee posts its transport key, then its
//!           dealing, then any complaints
//! open      the registrar's credential list and the ceremony's outcome: voting opens
//! voting    ballots generated in parallel, appended in batches (each verified on append)
//! close     voting closes
//! tally     encrypted tally; trustees decrypt; counts and outcomes posted
//! ```

use std::path::Path;

use rand::CryptoRng;
use rayon::prelude::*;
use thiserror::Error;

use crate::board::BoardError;
use crate::board::store::Board;
use crate::crypto::elgamal::KeyPair;
use crate::crypto::threshold::dkg::{CeremonyOutcome, Dealing, TransportKey, outcome};
use crate::election::ElectionError;
use crate::election::ballot::Ballot;
use crate::election::credential::CredentialList;
use crate::election::manifest::Manifest;
use crate::election::params::ElectionParams;
use crate::election::tally::{ElectionResult, TrusteeDecryption, decrypt_result};
use crate::election::trustee::TrusteeSecrets;
use crate::log::checkpoint::Receipt;
use crate::log::event::{Event, Open};
use crate::log::state::Rejection;

/// The demo's manifest: a referendum, a presidential race with a runoff rule, and a 69-seat
/// party list with an "against all" option.
pub const DEMO_MANIFEST: &str = include_str!("../specs/examples/demo-manifest.json");

/// Events are appended in batches of this many (one transaction, one checkpoint each).
pub const BATCH: usize = 512;

/// Voters whose ballots are generated together before being posted.
pub const VOTE_CHUNK: usize = 4096;

#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Board(#[from] BoardError),
    #[error(transparent)]
    Election(#[from] ElectionError),
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error("{0}")]
    Other(String),
}

pub struct LocalElection {
    pub board: Board,
    pub trustees: Vec<TrusteeSecrets>,
}

/// What one voter does.
pub struct VoterPlan {
    pub key: KeyPair,
    /// The ballot that counts.
    pub marks: Vec<Vec<u64>>,
    /// A ballot cast earlier and replaced by the one above (re-voting).
    pub earlier: Option<Vec<Vec<u64>>>,
    /// Whether the voter first challenges a ballot (posted as spoiled) before casting.
    pub challenge: bool,
}

impl LocalElection {
    /// Creates the board and runs the key ceremony with honest trustees.
    pub fn setup<R: CryptoRng + ?Sized>(dir: &Path, manifest: Manifest, rng: &mut R) -> Result<Self, RunError> {
        let params = manifest.threshold_params()?;
        let mut board = Board::create(dir, manifest, rng)?;
        let setup = board.setup_fingerprint();
        let mut trustees: Vec<TrusteeSecrets> = (1..=params.trustees).map(|i| TrusteeSecrets::new(i, rng)).collect();
        let keys: Vec<Event> = trustees.iter().map(|t| Event::TransportKey(t.transport_key(&setup, rng))).collect();
        post_all(&mut board, keys, rng)?;
        let transport: Vec<TransportKey> = board.state().transport_keys.values().cloned().collect();
        let dealings = trustees
            .iter_mut()
            .map(|t| t.deal(&setup, &params, &transport, rng).map(Event::Dealing))
            .collect::<Result<Vec<_>, _>>()?;
        post_all(&mut board, dealings, rng)?;
        let dealings: Vec<Dealing> = board.state().dealings.values().cloned().collect();
        let complaints: Vec<Event> =
            trustees.iter_mut().flat_map(|t| t.receive(&setup, &dealings, rng)).map(Event::Complaint).collect();
        post_all(&mut board, complaints, rng)?;
        Ok(LocalElection { board, trustees })
    }

    /// The ceremony's outcome, recomputed from the board.
    pub fn ceremony(&self) -> Result<CeremonyOutcome, RunError> {
        ceremony_outcome(&self.board)
    }

    /// Opens voting with the registrar's credential list.
    pub fn open<R: CryptoRng + ?Sized>(&mut self, credentials: CredentialList, rng: &mut R) -> Result<(), RunError> {
        let c = self.ceremony()?;
        let open = Open { credentials, joint_key: c.joint_key, verification_keys: c.verification_keys };
        post_all(&mut self.board, vec![Event::Open(Box::new(open))], rng)?;
        Ok(())
    }

    pub fn params(&self) -> &ElectionParams {
        self.board.state().params.as_ref().expect("voting has opened")
    }

    /// Posts events in batches, calling `progress` with the number posted after each batch;
    /// returns each event's receipt or rejection.
    pub fn post<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        rng: &mut R,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<Result<Receipt, Rejection>>, RunError> {
        let mut out = Vec::with_capacity(events.len());
        let mut events = events.into_iter().peekable();
        while events.peek().is_some() {
            let batch: Vec<Event> = events.by_ref().take(BATCH).collect();
            out.extend(self.board.append_batch(batch, rng)?);
            progress(out.len());
        }
        Ok(out)
    }

    /// Every voter's plan, in chunks of [`VOTE_CHUNK`] voters: ballots generated in parallel,
    /// then posted, so memory stays flat in the number of voters. `progress` gets the number
    /// of voters done. Returns the rejections (none for honest plans).
    pub fn vote<R: CryptoRng + ?Sized>(
        &mut self,
        plans: &[VoterPlan],
        rng: &mut R,
        progress: impl Fn(u64) + Sync,
    ) -> Result<Vec<Rejection>, RunError> {
        let mut rejected = Vec::new();
        let mut done = 0u64;
        for chunk in plans.chunks(VOTE_CHUNK) {
            let params = self.params().clone();
            let events = ballots_for(&params, chunk, |_| {})?;
            for r in self.post(events, rng, |_| {})? {
                if let Err(e) = r {
                    rejected.push(e);
                }
            }
            done += chunk.len() as u64;
            progress(done);
        }
        Ok(rejected)
    }

    pub fn close<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Result<(), RunError> {
        post_all(&mut self.board, vec![Event::Close], rng)?;
        Ok(())
    }

    /// Tallies, has `decrypting` trustees post their decryptions, and posts the result.
    pub fn tally<R: CryptoRng + ?Sized>(
        &mut self,
        decrypting: &[u32],
        rng: &mut R,
    ) -> Result<ElectionResult, RunError> {
        let tally = self.board.compute_tally()?;
        post_all(&mut self.board, vec![Event::Tally(tally.clone())], rng)?;
        let ceremony = self.ceremony()?;
        let params = self.params().clone();
        let decryptions: Vec<TrusteeDecryption> = decrypting
            .iter()
            .map(|&i| {
                let t = self
                    .trustees
                    .iter()
                    .find(|t| t.index == i)
                    .ok_or_else(|| RunError::Other(format!("no trustee {i}")))?;
                Ok(t.decrypt(&params, &ceremony, &tally, rng)?)
            })
            .collect::<Result<_, RunError>>()?;
        post_all(&mut self.board, decryptions.iter().cloned().map(Event::Decryption).collect(), rng)?;
        let threshold = params.manifest.trustees.threshold as usize;
        let result = decrypt_result(&params, &tally, &decryptions[..threshold.min(decryptions.len())])?;
        post_all(&mut self.board, vec![Event::Result(result.clone())], rng)?;
        Ok(result)
    }
}

/// The key ceremony's outcome, recomputed from the messages on `board`.
pub fn ceremony_outcome(board: &Board) -> Result<CeremonyOutcome, RunError> {
    let s = board.state();
    let manifest = &s.setup.as_ref().ok_or_else(|| RunError::Other("no setup".into()))?.manifest;
    let keys: Vec<TransportKey> = s.transport_keys.values().cloned().collect();
    let dealings: Vec<Dealing> = s.dealings.values().cloned().collect();
    outcome(&board.setup_fingerprint(), &manifest.threshold_params()?, &keys, &dealings, &s.complaints)
        .map_err(|e| RunError::Election(e.into()))
}

/// Appends events that must all be accepted.
pub fn post_all<R: CryptoRng + ?Sized>(board: &mut Board, events: Vec<Event>, rng: &mut R) -> Result<(), RunError> {
    if events.is_empty() {
        return Ok(());
    }
    for r in board.append_batch(events, rng)? {
        r?;
    }
    Ok(())
}

/// The events of every voter's plan, generated in parallel: first every spoiled and earlier
/// ballot, then every ballot that counts (so that re-votes come after what they replace).
pub fn ballots_for(
    params: &ElectionParams,
    plans: &[VoterPlan],
    progress: impl Fn(usize) + Sync,
) -> Result<Vec<Event>, RunError> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
    let first: Vec<Vec<Event>> = plans
        .par_iter()
        .map(|p| {
            let mut rng = rand::rng();
            let mut events = Vec::new();
            if p.challenge {
                let (ballot, secrets) = Ballot::encrypt(params, &p.key, &p.marks, &mut rng)?;
                events.push(Event::Spoiled(Box::new(ballot.challenge(secrets))));
            }
            if let Some(marks) = &p.earlier {
                events.push(Event::Cast(Box::new(Ballot::encrypt(params, &p.key, marks, &mut rng)?.0)));
            }
            Ok(events)
        })
        .collect::<Result<_, ElectionError>>()?;
    let last: Vec<Event> = plans
        .par_iter()
        .map(|p| {
            let ballot = Ballot::encrypt(params, &p.key, &p.marks, &mut rand::rng())?.0;
            tick();
            Ok(Event::Cast(Box::new(ballot)))
        })
        .collect::<Result<_, ElectionError>>()?;
    Ok(first.into_iter().flatten().chain(last).collect())
}

/// The plaintext count of the plans' counted marks, per contest and option.
pub fn expected_counts(params: &ElectionParams, plans: &[VoterPlan]) -> Vec<Vec<u64>> {
    let mut counts: Vec<Vec<u64>> = params.manifest.contests.iter().map(|c| vec![0; c.options.len()]).collect();
    for p in plans {
        for (acc, marks) in counts.iter_mut().zip(&p.marks) {
            for (a, m) in acc.iter_mut().zip(marks) {
                *a += m;
            }
        }
    }
    counts
}
