//! An election on one machine: every role played in this process, exchanging only the
//! public messages of the board. The demo, the simulator and the end-to-end tests run on it.
//!
//! ```text
//! setup     board created with the manifest; each trustee posts its transport key, then its
//!           dealing, then any complaints, then its ready event (the decryption rehearsal)
//! register  (the default path) a synthetic CA certifies each citizen; the registrar posts
//!           the roll's pseudonyms; every citizen registers a credential it made; close;
//!           at least the minimum number of trustees shuffle the list in turn
//! open      the ceremony's outcome and the last shuffle's list (or, on the older path, the
//!           registrar's credential list): voting opens
//! voting    ballots generated in parallel, appended in batches (each verified on append);
//!           challenged ballots held by the board
//! close     the held challenged ballots are published, voting closes
//! tally     encrypted tally; trustees decrypt; counts and outcomes posted
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use rand::CryptoRng;
use rayon::prelude::*;
use thiserror::Error;

use crate::board::BoardError;
use crate::board::store::Board;
use crate::crypto::elgamal::KeyPair;
use crate::crypto::group::SecretScalar;
use crate::crypto::threshold::dkg::{CeremonyOutcome, Dealing, TransportKey, outcome};
use crate::election::ElectionError;
use crate::election::ballot::Ballot;
use crate::election::ballot::SpoiledBallot;
use crate::election::citizen_ca::SyntheticCaIssuer;
use crate::election::credential::{Credential, CredentialList};
use crate::election::manifest::Manifest;
use crate::election::params::ElectionParams;
use crate::election::pseudonym::PseudonymKey;
use crate::election::registration::{Pseudonym, Roll};
use crate::election::tally::{ElectionResult, TrusteeDecryption, decrypt_result};
use crate::election::trustee::TrusteeSecrets;
use crate::log::checkpoint::Receipt;
use crate::log::event::{Event, Open};
use crate::log::state::Rejection;

/// The demo's manifest: a referendum, a presidential race with a runoff rule, a 69-seat party
/// list with an "against all" option, and two single-member districts (plurality with
/// "against all"), one ballot style each: every voter gets the three national contests and
/// its district's.
pub const DEMO_MANIFEST: &str = include_str!("../specs/examples/demo-manifest.json");

/// The demo's three national contests alone, one ballot style with every contest (the demo's
/// manifest before it had districts): for tests and benches of a one-style election.
pub const NATIONAL_MANIFEST: &str = include_str!("../specs/examples/national-manifest.json");

/// Events are appended in batches of this many (one transaction, one checkpoint each).
pub const BATCH: usize = 512;

/// Voters whose ballots are generated together before being posted.
pub const VOTE_CHUNK: usize = 4096;

/// The generator of item `i` of a parallel step (a citizen's registration, a voter's
/// ballots), ChaCha20 keyed by a seed the step draws from the caller's generator, on stream
/// `i`: whichever thread makes an item, its randomness follows from the caller's generator
/// alone, so a run from a seeded generator (`dauys simulate --seed`) is reproducible, and one
/// from the OS-seeded generator is as unpredictable as it.
pub fn item_rng(seed: &[u8; 32], i: u64) -> rand_chacha::ChaCha20Rng {
    let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::from_seed(*seed);
    rng.set_stream(i);
    rng
}

/// A fresh seed for [`item_rng`], drawn from `rng`.
pub fn draw_seed<R: CryptoRng + ?Sized>(rng: &mut R) -> zeroize::Zeroizing<[u8; 32]> {
    let mut seed = zeroize::Zeroizing::new([0u8; 32]);
    rng.fill_bytes(seed.as_mut());
    seed
}

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

/// The public key of [`LocalElection::load_test_ca`], hex, for scripts that write a load
/// test's manifest.
pub const LOAD_TEST_CA_KEY: &str = "65e9787adbc9bd8835589e60d499d8d46796255f535a0a4139af8a5ed1e924b2";

/// A synthetic registration's outcome ([`LocalElection::register_and_open_reported`]).
pub struct Registered {
    /// Every voter's key under `h_final`, in roll order: held in memory by the process that
    /// plays every voter, never written.
    pub keys: Vec<KeyPair>,
    /// Every voter's ballot style (its index in the manifest's styles), in the same order:
    /// voter `i` is in style `i mod #styles`.
    pub styles: Vec<usize>,
    /// The synthetic roll's IINs, in the same order (tests audit that no file holds them).
    pub iins: Vec<String>,
    pub report: RegistrationReport,
}

/// What registration and the shuffles took.
pub struct RegistrationReport {
    /// From the roll to the close of registration (certificates, registrations made and
    /// checked by the board, storage).
    pub registration: Duration,
    pub shuffles: Vec<ShuffleReport>,
}

/// One trustee's shuffle of the credential list.
pub struct ShuffleReport {
    pub trustee: u32,
    pub credentials: usize,
    /// Raising, permuting and proving (`CredentialShuffle::make`, all threads).
    pub prove: Duration,
    /// The board's checks of the posted shuffle (its proof among them) and storage.
    pub check: Duration,
}

/// One shuffler's shuffles of every style's list, together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShufflerTotals {
    pub trustee: u32,
    /// The lists it shuffled (one per style that has credentials).
    pub lists: usize,
    pub credentials: usize,
    pub prove: Duration,
    pub check: Duration,
}

/// The shuffles' reports summed per shuffler, in the order they shuffled (a report of 29
/// styles is one line per trustee, not 29).
pub fn per_shuffler(reports: &[ShuffleReport]) -> Vec<ShufflerTotals> {
    let mut totals: Vec<ShufflerTotals> = Vec::new();
    for s in reports {
        match totals.last_mut() {
            Some(last) if last.trustee == s.trustee => {
                last.lists += 1;
                last.credentials += s.credentials;
                last.prove += s.prove;
                last.check += s.check;
            }
            _ => totals.push(ShufflerTotals {
                trustee: s.trustee,
                lists: 1,
                credentials: s.credentials,
                prove: s.prove,
                check: s.check,
            }),
        }
    }
    totals
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
    /// Creates the board and runs the key ceremony with honest trustees, each ending with its
    /// ready event.
    pub fn setup<R: CryptoRng + ?Sized>(dir: &Path, manifest: Manifest, rng: &mut R) -> Result<Self, RunError> {
        let mut election = Self::ceremony_without_ready(dir, manifest, rng)?;
        election.ready(rng)?;
        Ok(election)
    }

    /// The key ceremony up to the complaints: every trustee has its share, none is ready.
    /// This process plays every trustee, so it makes their identity keys and puts them in the
    /// manifest (replacing any it names).
    pub fn ceremony_without_ready<R: CryptoRng + ?Sized>(
        dir: &Path,
        mut manifest: Manifest,
        rng: &mut R,
    ) -> Result<Self, RunError> {
        let params = manifest.threshold_params()?;
        let mut trustees: Vec<TrusteeSecrets> = (1..=params.trustees).map(|i| TrusteeSecrets::new(i, rng)).collect();
        manifest.trustees.identities = trustees.iter().map(TrusteeSecrets::identity_key).collect();
        let mut board = Board::create(dir, manifest, rng)?;
        let setup = board.setup_fingerprint();
        let keys: Vec<Event> = trustees.iter().map(|t| Event::TransportKey(t.transport_key(&setup, rng))).collect();
        post_all(&mut board, keys, rng)?;
        let transport: Vec<TransportKey> = board.state().transport_keys.values().cloned().collect();
        let dealings = trustees
            .iter_mut()
            .map(|t| t.deal(&setup, &params, &transport, rng).map(Event::Dealing))
            .collect::<Result<Vec<_>, _>>()?;
        post_all(&mut board, dealings, rng)?;
        let dealings: Vec<Dealing> = board.state().dealings.values().cloned().collect();
        let mut complaints = Vec::new();
        for t in trustees.iter_mut() {
            complaints
                .extend(t.receive(&setup, &params, &transport, &dealings, rng)?.into_iter().map(Event::Complaint));
        }
        post_all(&mut board, complaints, rng)?;
        Ok(LocalElection { board, trustees })
    }

    /// Every trustee proves it holds its key share for the ceremony's current outcome.
    pub fn ready<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Result<(), RunError> {
        let ceremony = self.ceremony()?;
        let setup = self.board.setup_fingerprint();
        let events = self
            .trustees
            .iter()
            .map(|t| Ok(Event::Ready(t.ready(&setup, &ceremony, rng)?)))
            .collect::<Result<Vec<_>, RunError>>()?;
        post_all(&mut self.board, events, rng)
    }

    /// The ceremony's outcome, recomputed from the board.
    pub fn ceremony(&self) -> Result<CeremonyOutcome, RunError> {
        ceremony_outcome(&self.board)
    }

    /// Opens voting with the registrar's credential list.
    pub fn open<R: CryptoRng + ?Sized>(&mut self, credentials: CredentialList, rng: &mut R) -> Result<(), RunError> {
        let c = self.ceremony()?;
        let open = Open {
            credentials: Some(credentials),
            joint_key: c.joint_key,
            quorum: false,
            style_credentials: None,
            verification_keys: c.verification_keys,
        };
        post_all(&mut self.board, vec![Event::Open(Box::new(open))], rng)?;
        Ok(())
    }

    /// Opens voting with one credential list per ballot style (in the manifest's order); for
    /// a manifest of one style, [`LocalElection::open`] with its list.
    pub fn open_styles<R: CryptoRng + ?Sized>(
        &mut self,
        mut lists: Vec<CredentialList>,
        rng: &mut R,
    ) -> Result<(), RunError> {
        if lists.len() == 1 {
            return self.open(lists.remove(0), rng);
        }
        let c = self.ceremony()?;
        let open = Open {
            credentials: None,
            joint_key: c.joint_key,
            quorum: false,
            style_credentials: Some(lists),
            verification_keys: c.verification_keys,
        };
        post_all(&mut self.board, vec![Event::Open(Box::new(open))], rng)
    }

    /// The CA of load tests' synthetic voters (`dauys loadtest --register`, `benches/loadtest.sh`).
    /// Its seed is public, so anyone can certify keys under it: a manifest that names it as its
    /// `citizen_ca` ([`LOAD_TEST_CA_KEY`]) is a load test's, never an election's.
    pub fn load_test_ca() -> SyntheticCaIssuer {
        SyntheticCaIssuer::from_seed(b"dauys/load-test-ca/public-seed/1")
    }

    /// Registration without a trace, for `voters` synthetic citizens: the synthetic CA `ca`,
    /// which the manifest must name as its `citizen_ca`, certifies each citizen's key, the
    /// registrar posts the roll's pseudonyms, every citizen registers a credential it made
    /// itself, registration closes, `shufflers` trustees (at least the minimum) shuffle in turn,
    /// and voting opens with the last shuffle's list. Returns the voters' keys under `h_final`
    /// (in roll order). Nothing kept links a citizen to a key.
    pub fn register_and_open<R: CryptoRng + ?Sized>(
        &mut self,
        ca: &SyntheticCaIssuer,
        voters: usize,
        shufflers: usize,
        rng: &mut R,
    ) -> Result<Vec<KeyPair>, RunError> {
        Ok(self.register_and_open_reported(ca, voters, shufflers, rng)?.keys)
    }

    /// [`register_and_open`](Self::register_and_open), also returning the synthetic roll's
    /// IINs and what each phase took.
    pub fn register_and_open_reported<R: CryptoRng + ?Sized>(
        &mut self,
        ca: &SyntheticCaIssuer,
        voters: usize,
        shufflers: usize,
        rng: &mut R,
    ) -> Result<Registered, RunError> {
        let credentials: Vec<Credential> = (0..voters).map(|_| Credential::generate(rng)).collect();
        let election_id = self.manifest().election_id.clone();
        let styles = self.manifest().styles().len();
        let style = |i: usize| i % styles;
        let (iins, registration) =
            self.register_styled(ca, voters, |i| credentials[i].key_pair(&election_id).secret, style, rng)?;
        let shuffles = self.shuffle_credentials(shufflers, rng)?;
        self.open_registered(rng)?;
        let params = self.params();
        let keys = credentials.iter().enumerate().map(|(i, c)| params.voter_key_in(style(i), c)).collect();
        let styles = (0..voters).map(style).collect();
        Ok(Registered { keys, styles, iins, report: RegistrationReport { registration, shuffles } })
    }

    fn manifest(&self) -> &Manifest {
        &self.board.state().setup.as_ref().expect("set up").manifest
    }

    /// The registration phase for `voters` synthetic citizens: the synthetic CA `ca` (the
    /// manifest's `citizen_ca`) certifies each
    /// citizen's key (the certificate commits to the IIN, it does not show it); the registrar
    /// posts the roll's pseudonyms; citizen `i` registers the credential `x = secret(i)`, made
    /// on its own machine (only `x·g` leaves it); registration closes. Registrations are made
    /// in parallel, [`VOTE_CHUNK`] at a time, and posted in batches. Returns the roll's IINs
    /// (in the order of `secret`'s argument) and the time from the roll to the close.
    pub fn register<R: CryptoRng + ?Sized>(
        &mut self,
        ca: &SyntheticCaIssuer,
        voters: usize,
        secret: impl Fn(usize) -> SecretScalar + Sync,
        rng: &mut R,
    ) -> Result<(Vec<String>, Duration), RunError> {
        self.register_styled(ca, voters, secret, |_| 0, rng)
    }

    /// [`LocalElection::register`] with citizen `i` in ballot style `style(i)` (an index in the
    /// manifest's styles: the style of its precinct).
    pub fn register_styled<R: CryptoRng + ?Sized>(
        &mut self,
        ca: &SyntheticCaIssuer,
        voters: usize,
        secret: impl Fn(usize) -> SecretScalar + Sync,
        style: impl Fn(usize) -> usize + Sync,
        rng: &mut R,
    ) -> Result<(Vec<String>, Duration), RunError> {
        let ids: Vec<String> = self.manifest().styles().iter().map(|s| s.id.to_string()).collect();
        let style_id = |i: usize| if ids.len() > 1 { Some(ids[style(i)].as_str()) } else { None };
        let start = Instant::now();
        let setup = self.board.setup_fingerprint();
        let election_id = self.manifest().election_id.clone();
        let k_p = PseudonymKey::generate(rng);
        let mut iins: Vec<String> = Vec::with_capacity(voters);
        let mut seen = std::collections::HashSet::with_capacity(voters);
        while iins.len() < voters {
            let iin = crate::election::registrar::random_iin(rng);
            if seen.insert(iin.clone()) {
                iins.push(iin);
            }
        }
        drop(seen);
        let pseudonym = |iin: &str| Pseudonym(k_p.pseudonym(&election_id, iin));
        let entries: Vec<(Pseudonym, usize)> =
            iins.par_iter().enumerate().map(|(i, iin)| (pseudonym(iin), style(i))).collect();
        let roll = Roll::of_entries(ca.public().key, entries, ids.len());
        post_all(&mut self.board, vec![Event::Roll(Box::new(roll))], rng)?;
        for first in (0..voters).step_by(VOTE_CHUNK) {
            let seed = draw_seed(rng);
            let events: Vec<Event> = (first..voters.min(first + VOTE_CHUNK))
                .into_par_iter()
                .map(|i| {
                    let mut rng = item_rng(&seed, i as u64);
                    let citizen = ca.issue(&iins[i], &mut rng);
                    let registration =
                        citizen.register_in(&setup, pseudonym(&iins[i]), style_id(i), &secret(i), &mut rng);
                    Event::Registration(Box::new(registration))
                })
                .collect();
            for r in self.post(events, rng, |_| {})? {
                r?;
            }
        }
        post_all(&mut self.board, vec![Event::RegistrationClose], rng)?;
        Ok((iins, start.elapsed()))
    }

    /// After registration closed: `shufflers` trustees (at least the manifest's minimum,
    /// `max(t, min(2, n))`), in trustee order, each shuffle the current list and post it with
    /// its proof (the board checks the proof before storing it). Returns what each took.
    pub fn shuffle_credentials<R: CryptoRng + ?Sized>(
        &mut self,
        shufflers: usize,
        rng: &mut R,
    ) -> Result<Vec<ShuffleReport>, RunError> {
        let setup = self.board.setup_fingerprint();
        let need = crate::election::unlinking::min_shufflers(&self.manifest().threshold_params()?);
        let mut reports = Vec::new();
        let lists = self.manifest().styles().len();
        for t in self.trustees.iter().take(shufflers.max(need)) {
            // Each style's list in turn; a list nobody registered in is not shuffled.
            for list in 0..lists {
                let (base, input) = self.board.state().registration.input_of(list);
                if input.is_empty() {
                    continue;
                }
                let start = Instant::now();
                let shuffle = t.shuffle_list(&setup, list as u32, &base, &input, rng)?;
                let prove = start.elapsed();
                let start = Instant::now();
                post_all(&mut self.board, vec![Event::Shuffle(Box::new(shuffle))], rng)?;
                reports.push(ShuffleReport {
                    trustee: t.index,
                    credentials: input.len(),
                    prove,
                    check: start.elapsed(),
                });
            }
        }
        Ok(reports)
    }

    /// Opens voting after the shuffles: the list is the last shuffle's, the base `h_final`.
    pub fn open_registered<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Result<(), RunError> {
        let c = self.ceremony()?;
        let open = Open {
            credentials: None,
            joint_key: c.joint_key,
            quorum: false,
            style_credentials: None,
            verification_keys: c.verification_keys,
        };
        post_all(&mut self.board, vec![Event::Open(Box::new(open))], rng)
    }

    pub fn params(&self) -> &ElectionParams {
        self.board.state().params.as_ref().expect("voting has opened")
    }

    /// Posts events in batches, calling `progress` with the number posted after each batch;
    /// returns each event's receipt or rejection. A challenged ballot (`spoiled`) goes to the
    /// board's challenge queue instead (published at close): it gets no receipt (`None`).
    pub fn post<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        rng: &mut R,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<Result<Option<Receipt>, Rejection>>, RunError> {
        let mut out = Vec::with_capacity(events.len());
        let mut events = events.into_iter().peekable();
        while events.peek().is_some() {
            let batch: Vec<Event> = events.by_ref().take(BATCH).collect();
            let mut appended = Vec::with_capacity(batch.len());
            let mut slots = Vec::with_capacity(batch.len());
            for event in batch {
                match event {
                    Event::Spoiled(s) => slots.push(Some(self.challenge(&s))),
                    other => {
                        appended.push(other);
                        slots.push(None);
                    }
                }
            }
            let mut receipts = self.board.append_batch(appended, rng)?.into_iter();
            for slot in slots {
                out.push(match slot {
                    Some(held) => held?.map(|_| None),
                    None => receipts.next().expect("one result per event").map(Some),
                });
            }
            progress(out.len());
        }
        Ok(out)
    }

    /// Hands a challenged ballot to the board, which holds it until close; a refusal is a
    /// rejection, a storage failure an error.
    pub fn challenge(&mut self, spoiled: &SpoiledBallot) -> Result<Result<String, Rejection>, RunError> {
        match self.board.challenge(spoiled) {
            Ok(code) => Ok(Ok(code)),
            Err(BoardError::Rejected(r)) => Ok(Err(r)),
            Err(e) => Err(e.into()),
        }
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
            let events = ballots_for(&params, chunk, &draw_seed(rng), |_| {})?;
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
        self.post_tally(rng)?;
        self.decrypt(decrypting, rng)
    }

    /// The tallier posts the encrypted tally (the board recomputes it before accepting it).
    pub fn post_tally<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Result<(), RunError> {
        let tally = self.board.compute_tally()?;
        post_all(&mut self.board, vec![Event::Tally(tally)], rng)
    }

    /// What every trustee does before decrypting (`dauys trustee decrypt`): the board's record,
    /// exported to `dir`, verified up to the tally.
    pub fn check_tally(&self, dir: &Path) -> Result<crate::verify::before_decrypting::CheckedTally, RunError> {
        self.board.export(dir)?;
        crate::verify::before_decrypting::checked_tally(dir, &Default::default()).map_err(RunError::Other)
    }

    /// `decrypting` trustees post their decryptions of the posted tally; the result follows.
    pub fn decrypt<R: CryptoRng + ?Sized>(
        &mut self,
        decrypting: &[u32],
        rng: &mut R,
    ) -> Result<ElectionResult, RunError> {
        let tally = self.board.state().tally.clone().ok_or_else(|| RunError::Other("no tally posted".into()))?;
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
                let reveal = self.board.state().ready.contains_key(&i);
                Ok(t.decrypt(&params, &ceremony, &tally, reveal, rng)?)
            })
            .collect::<Result<_, RunError>>()?;
        post_all(&mut self.board, decryptions.iter().cloned().map(Event::Decryption).collect(), rng)?;
        let threshold = params.manifest.trustees.threshold as usize;
        let lots = self.board.state().lot_seed().map_err(RunError::Other)?;
        let mut used = decryptions;
        used.sort_by_key(|d| d.trustee);
        let result = decrypt_result(&params, &tally, &used[..threshold.min(used.len())], &lots)?;
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

/// The `open` event for the board's ceremony and `credentials`. Voting opens when every
/// trustee is ready (has proved it holds its key share for the final joint key); with
/// `quorum`, when at least the threshold is (the board's state refuses fewer), and the open
/// event says so. Returns the event, the trustees that are not ready, and the qualified dealers.
pub fn open_event(
    board: &Board,
    credentials: CredentialList,
    quorum: bool,
) -> Result<(Open, Vec<u32>, Vec<u32>), RunError> {
    let c = ceremony_outcome(board)?;
    let ready = crate::log::state::ready_for(&board.state().readies, &c.joint_key, &c.verification_keys);
    let n = c.verification_keys.len() as u32;
    let missing: Vec<u32> = (1..=n).filter(|j| !ready.contains_key(j)).collect();
    if !missing.is_empty() && !quorum {
        return Err(RunError::Other(format!(
            "trustee(s) {missing:?} are not ready (no proof of their key share for the final joint key): \
             they run `dauys trustee ready`; or open with --quorum ({} of {n} ready)",
            ready.len()
        )));
    }
    let open = Open {
        credentials: Some(credentials),
        joint_key: c.joint_key,
        quorum: !missing.is_empty(),
        style_credentials: None,
        verification_keys: c.verification_keys,
    };
    Ok((open, missing, c.qualified))
}

/// The result of the board's tally: its first t decryptions (by trustee number) combined, and
/// lots drawn from the seed the log fixes (`LogState::lot_seed`).
pub fn result_of(s: &crate::log::state::LogState) -> Result<ElectionResult, RunError> {
    let params = s.params.as_ref().ok_or_else(|| RunError::Other("voting never opened".into()))?;
    let tally = s.tally.as_ref().ok_or_else(|| RunError::Other("no tally yet".into()))?;
    let t = params.manifest.trustees.threshold as usize;
    let decryptions: Vec<TrusteeDecryption> = s.decryptions.values().take(t).cloned().collect();
    if decryptions.len() < t {
        return Err(RunError::Other(format!("{} of the {t} decryptions needed are posted", decryptions.len())));
    }
    let revealing = s.decryptions.values().filter(|d| d.lot_seed.is_some()).count();
    if revealing < t {
        return Err(RunError::Other(format!(
            "{revealing} of the decryptions reveal a lot seed, the result needs {t}: a trustee that was ready when \
             voting opened decrypts next"
        )));
    }
    let lots = s.lot_seed().map_err(RunError::Other)?;
    Ok(decrypt_result(params, tally, &decryptions, &lots)?)
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
/// Plan `j`'s randomness is [`item_rng`]`(seed, 2j)` for the first, `(seed, 2j + 1)` for the
/// second.
pub fn ballots_for(
    params: &ElectionParams,
    plans: &[VoterPlan],
    seed: &[u8; 32],
    progress: impl Fn(usize) + Sync,
) -> Result<Vec<Event>, RunError> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tick = || progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
    // A voter's ballot style is its credential's list's (the first, for a key in none: the
    // board then refuses the ballot).
    let style = |p: &VoterPlan| params.find_credential(&p.key.public).map_or(0, |(s, _)| s);
    let first: Vec<Vec<Event>> = plans
        .par_iter()
        .enumerate()
        .map(|(j, p)| {
            let mut rng = item_rng(seed, 2 * j as u64);
            let mut events = Vec::new();
            if p.challenge {
                let (ballot, secrets) = Ballot::encrypt_style(params, style(p), &p.key, &p.marks, &mut rng)?;
                events.push(Event::Spoiled(Box::new(ballot.challenge(secrets))));
            }
            if let Some(marks) = &p.earlier {
                let ballot = Ballot::encrypt_style(params, style(p), &p.key, marks, &mut rng)?.0;
                events.push(Event::Cast(Box::new(ballot)));
            }
            Ok(events)
        })
        .collect::<Result<_, ElectionError>>()?;
    let last: Vec<Event> = plans
        .par_iter()
        .enumerate()
        .map(|(j, p)| {
            let ballot =
                Ballot::encrypt_style(params, style(p), &p.key, &p.marks, &mut item_rng(seed, 2 * j as u64 + 1))?.0;
            tick();
            Ok(Event::Cast(Box::new(ballot)))
        })
        .collect::<Result<_, ElectionError>>()?;
    Ok(first.into_iter().flatten().chain(last).collect())
}

/// The plaintext count of the plans' counted marks, per contest and option (in manifest
/// order): each plan's marks are for its style's contests (its credential's list's, as in
/// [`ballots_for`]).
pub fn expected_counts(params: &ElectionParams, plans: &[VoterPlan]) -> Vec<Vec<u64>> {
    let mut counts: Vec<Vec<u64>> = params.manifest.contests.iter().map(|c| vec![0; c.options.len()]).collect();
    for p in plans {
        let style = params.find_credential(&p.key.public).map_or(0, |(s, _)| s);
        let contests = params.style_contests.get(style).map_or(&[][..], Vec::as_slice);
        for (&c, marks) in contests.iter().zip(&p.marks) {
            for (a, m) in counts[c].iter_mut().zip(marks) {
                *a += m;
            }
        }
    }
    counts
}

#[cfg(test)]
mod load_test_ca_tests {
    #[test]
    fn the_published_load_test_ca_key_is_its_seeds() {
        let key = super::LocalElection::load_test_ca().public().key;
        assert_eq!(crate::crypto::group::to_hex(&key), super::LOAD_TEST_CA_KEY);
    }
}
