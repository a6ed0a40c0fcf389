//! The board's writer: every append validated, then stored with everything derived from it
//! in one transaction.
//!
//! ```text
//! DIR/election.db   the log, its checkpoints and the state derived from it (schema.rs)
//! DIR/board.key     the board's signing key (mode 0600): only the writer reads it
//! DIR/board.lock    held by the one writer (lock.rs)
//! ```
//!
//! SQLite runs in WAL mode with `synchronous = FULL`: when an append returns, its events are
//! on disk. Appends are batched: the events of one call share a transaction and one signed
//! checkpoint. Each event is checked by the log state first; a rejected event is not written
//! and does not affect the others. If the transaction fails (a full disk), nothing of it is
//! kept, in the database or in memory: the state is reloaded from the last commit.
//!
//! Challenged ballots are not log entries while voting is open: posted next to the voter's
//! cast ballot, their revealed choices could be linked to its credential. The board keeps
//! them in a table of their own ([`Board::challenge`]) and, when it closes voting, appends
//! them all, in ascending order of their ciphertext digests (an order that arrival does not
//! decide and that anyone can check), right before the `close` event.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rand::CryptoRng;
use rayon::prelude::*;
use rusqlite::{Connection, params};

use super::BoardError;
use super::lock::WriterLock;
pub use super::schema::DB_FILE;
use super::schema::{self, StoredNodes, storage};
use crate::crypto::group::{Fingerprint, SecretScalar, hex32, to_hex};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::election::manifest::Manifest;
use crate::election::tally::EncryptedTally;
use crate::keyfile::write_private;
use crate::log::checkpoint::{Checkpoint, Cosignature, Receipt};
use crate::log::event::{Event, Phase, Setup};
use crate::log::merkle::{self, Frontier, Hash, Nodes, leaf_hash};
use crate::log::state::{LogState, Rejection, Verification};

pub const KEY_FILE: &str = "board.key";

/// Where the time of appends goes, since the board was opened.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct AppendStats {
    pub batches: u64,
    pub events: u64,
    /// Checking ballots' proofs and openings (on every core).
    pub verify_seconds: f64,
    /// Everything else: the log state, SQLite writes, the checkpoint, the commit.
    pub store_seconds: f64,
}

pub struct Board {
    pub stats: AppendStats,
    dir: PathBuf,
    lock: WriterLock,
    /// The key indexes' lookups: committed rows only.
    keys: Arc<Mutex<Connection>>,
    frontier: Frontier,
    state: LogState,
    secret: SecretScalar,
    setup: Fingerprint,
    latest: Option<Checkpoint>,
    /// Why the state could not be reloaded after a failed write; retried before the next one.
    stale: Option<String>,
    /// Ciphertext digests of the challenged ballots held back until close.
    held: std::collections::HashSet<[u8; 32]>,
    /// Declared last, so dropped last (after every connection `keys` and `state` hold): the
    /// last connection to close folds the WAL into the database file.
    conn: Connection,
}

/// Complete subtrees: those a batch has just made, then the stored ones.
struct BatchNodes<'a> {
    new: std::collections::HashMap<(u32, u64), Hash>,
    stored: StoredNodes<'a>,
}

impl Nodes for BatchNodes<'_> {
    type Error = BoardError;

    fn node(&self, level: u32, index: u64) -> Result<Hash, BoardError> {
        match self.new.get(&(level, index)) {
            Some(h) => Ok(*h),
            None => self.stored.node(level, index),
        }
    }
}

fn read_key(dir: &Path) -> Result<SecretScalar, BoardError> {
    let key_path = dir.join(KEY_FILE);
    let key_text =
        std::fs::read_to_string(&key_path).map_err(|e| BoardError::Io(format!("{}: {e}", key_path.display())))?;
    let key =
        hex32("board key", key_text.trim()).map_err(|e| BoardError::Io(format!("{}: {e}", key_path.display())))?;
    let secret = crate::crypto::group::scalar_from_bytes("board key", key)
        .map_err(|e| BoardError::Io(format!("{}: {e}", key_path.display())))?;
    Ok(SecretScalar::new(secret))
}

impl Board {
    /// A new board in `dir` for `manifest`: a fresh signing key, and the setup event.
    pub fn create<R: CryptoRng + ?Sized>(dir: &Path, manifest: Manifest, rng: &mut R) -> Result<Board, BoardError> {
        std::fs::create_dir_all(dir).map_err(|e| BoardError::Io(format!("{}: {e}", dir.display())))?;
        let lock = WriterLock::acquire(dir)?;
        if dir.join(DB_FILE).exists() {
            return Err(storage(dir, "a board already exists here"));
        }
        manifest.validate().map_err(|e| BoardError::Io(e.to_string()))?;
        let secret = SecretScalar::random(rng);
        write_private(&dir.join(KEY_FILE), to_hex(secret.expose().as_bytes()).as_bytes())
            .map_err(|e| BoardError::Io(format!("{}: {e}", dir.join(KEY_FILE).display())))?;
        let (conn, _) = schema::open_writer(dir)?;
        conn.pragma_update(None, "user_version", schema::VERSION).map_err(|e| storage(dir, e))?;
        let keys = schema::key_connection(dir)?;
        let stored = schema::load(dir, &conn, &keys)?;
        let setup = manifest.setup_fingerprint();
        let mut board = Board {
            stats: AppendStats::default(),
            dir: dir.to_path_buf(),
            lock,
            keys,
            conn,
            frontier: stored.frontier,
            state: stored.state,
            secret,
            setup,
            latest: None,
            stale: None,
            held: Default::default(),
        };
        let event = Event::Setup(Box::new(Setup { board_key: board.board_key(), manifest }));
        board.append(event, rng)?;
        Ok(board)
    }

    /// Opens the board in `dir` as its one writer: takes the directory's lock, reads the key
    /// (which must be the one the setup names) and loads the stored state. No ballot is read:
    /// the time does not grow with the log (`dauys board check` replays it all).
    pub fn open(dir: &Path) -> Result<Board, BoardError> {
        if !dir.join(DB_FILE).exists() {
            return Err(storage(dir, "no board here (run `dauys board init` first)"));
        }
        let lock = WriterLock::acquire(dir)?;
        let secret = read_key(dir)?;
        let (conn, version) = schema::open_writer(dir)?;
        if version < schema::VERSION {
            super::check::rebuild(dir, &conn)?;
        }
        let keys = schema::key_connection(dir)?;
        let stored = schema::load(dir, &conn, &keys)?;
        let setup = stored.state.setup.as_ref().ok_or_else(|| storage(dir, "the log has no setup event"))?;
        if secret.public() != setup.board_key {
            return Err(BoardError::Io(format!(
                "{}: not this board's key: its public key is {}, the setup names {}; \
                 restore the key this board was created with",
                dir.join(KEY_FILE).display(),
                secret.public().to_hex(),
                setup.board_key.to_hex()
            )));
        }
        let setup = stored.state.setup_fingerprint.expect("set with the setup");
        let held = schema::held_digests(dir, &conn)?;
        Ok(Board {
            stats: AppendStats::default(),
            dir: dir.to_path_buf(),
            lock,
            keys,
            conn,
            frontier: stored.frontier,
            state: stored.state,
            secret,
            setup,
            latest: stored.latest,
            stale: None,
            held,
        })
    }

    /// Records in the directory's lock file the URL this writer serves the board on, so that
    /// a refused writer is told where to send its step.
    pub fn announce(&self, serving: &str) -> Result<(), BoardError> {
        self.lock.announce(Some(serving))
    }

    pub fn board_key(&self) -> crate::crypto::group::Element {
        self.secret.public()
    }

    pub fn setup_fingerprint(&self) -> Fingerprint {
        self.setup
    }

    pub fn state(&self) -> &LogState {
        &self.state
    }

    pub fn len(&self) -> u64 {
        self.frontier.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frontier.is_empty()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn latest_checkpoint(&self) -> Option<&Checkpoint> {
        self.latest.as_ref()
    }

    /// Appends one event; its receipt on success.
    pub fn append<R: CryptoRng + ?Sized>(&mut self, event: Event, rng: &mut R) -> Result<Receipt, BoardError> {
        let mut out = self.append_batch(vec![event], rng)?;
        Ok(out.pop().expect("one result per event")?)
    }

    /// Appends events in one transaction with one signed checkpoint. Returns, per event, its
    /// receipt or why it was rejected; fails as a whole only if storage fails, and then
    /// nothing of the batch is kept (on disk or in memory).
    pub fn append_batch<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        rng: &mut R,
    ) -> Result<Vec<Result<Receipt, Rejection>>, BoardError> {
        self.append_checked(events, Verification::Full, rng)
    }

    /// Appends events whose proofs the caller has already checked (a log being rebuilt, or a
    /// benchmark's synthetic ballots): every other rule of the log state still applies.
    pub fn append_trusted<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        rng: &mut R,
    ) -> Result<Vec<Result<Receipt, Rejection>>, BoardError> {
        self.append_checked(events, Verification::Trusted, rng)
    }

    fn append_checked<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        verification: Verification,
        rng: &mut R,
    ) -> Result<Vec<Result<Receipt, Rejection>>, BoardError> {
        if let Some(reason) = self.stale.clone() {
            self.reload().map_err(|e| storage(&self.dir, format!("{reason}; still unreadable: {e}")))?;
        }
        // A tally is checked against the ballots already stored, so it goes in a batch of its
        // own, after everything before it.
        if events.len() > 1 && events.iter().any(|e| matches!(e, Event::Tally(_))) {
            let mut out = Vec::with_capacity(events.len());
            let mut rest = events;
            while !rest.is_empty() {
                let cut = match rest.iter().position(|e| matches!(e, Event::Tally(_))) {
                    Some(0) => 1,
                    Some(i) => i,
                    None => rest.len(),
                };
                let tail = rest.split_off(cut);
                out.extend(self.append_checked(rest, verification, rng)?);
                rest = tail;
            }
            return Ok(out);
        }
        // Closing voting publishes the held challenged ballots first, in ascending order of
        // their ciphertext digests, in the same transaction as the close.
        let mut held = if self.state.phase() == Phase::Voting && events.iter().any(|e| matches!(e, Event::Close)) {
            Some(self.held_ballots()?)
        } else {
            None
        };
        let mut items: Vec<(Event, bool)> = Vec::with_capacity(events.len());
        for e in events {
            if matches!(e, Event::Close)
                && let Some(h) = held.take()
            {
                items.extend(h.into_iter().map(|s| (Event::Spoiled(Box::new(s)), false)));
            }
            items.push((e, true));
        }
        // Checks that need more than the log state, done before anything is written: ballots'
        // proofs (in parallel, on every core) and the tally (against the stored ballots).
        let started = std::time::Instant::now();
        let params = self.state.params.clone();
        let full = verification == Verification::Full;
        let held_digests = &self.held;
        let mut prechecked: Vec<Option<Result<(), String>>> = items
            .par_iter()
            .map(|(e, from_caller)| match e {
                Event::Spoiled(_) if *from_caller => Some(Err(
                    "a challenged ballot is held by the board until voting closes: post it to the board's challenge \
                     queue (POST /spoiled)"
                        .to_string(),
                )),
                // Checked when it was held.
                Event::Spoiled(_) => Some(Ok(())),
                Event::Cast(b) => {
                    let checked = match params.as_ref().filter(|_| full) {
                        Some(params) => b.verify(params).map_err(|e| e.to_string()),
                        None => Ok(()),
                    };
                    let checked = checked.and_then(|()| {
                        if held_digests.contains(&b.ciphertext_digest()) {
                            Err("this ballot was challenged: a challenged ballot is never cast".to_string())
                        } else {
                            Ok(())
                        }
                    });
                    match checked {
                        Ok(()) if params.is_none() || !full => None,
                        other => Some(other),
                    }
                }
                _ => None,
            })
            .collect();
        for ((e, _), pre) in items.iter().zip(prechecked.iter_mut()) {
            // Only where a tally may come at all: otherwise the log state names the order error.
            if let (Event::Tally(t), Phase::Closed) = (e, self.state.phase()) {
                let expected = self.compute_tally()?;
                *pre = Some(if expected == *t {
                    Ok(())
                } else {
                    Err("the encrypted tally is not the sum of the counted ballots".into())
                });
            }
        }
        let verified = std::time::Instant::now();
        self.stats.verify_seconds += (verified - started).as_secs_f64();
        self.stats.batches += 1;
        self.stats.events += items.len() as u64;
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            return Err(storage(&self.dir, e));
        }
        let written = self.write(&items, prechecked, verification, rng);
        self.stats.store_seconds += verified.elapsed().as_secs_f64();
        if written.is_err() {
            // Nothing of the batch stays: not in the database, not in memory.
            let _ = self.conn.execute_batch("ROLLBACK");
            self.stale = self.reload().err().map(|e| e.to_string());
        }
        written
    }

    /// The batch inside its transaction: the events, the tree's new nodes, the derived state,
    /// the checkpoint, the receipts (proved before the commit, so that nothing can fail after
    /// it), then the commit.
    fn write<R: CryptoRng + ?Sized>(
        &mut self,
        items: &[(Event, bool)],
        prechecked: Vec<Option<Result<(), String>>>,
        verification: Verification,
        rng: &mut R,
    ) -> Result<Vec<Result<Receipt, Rejection>>, BoardError> {
        let mut accepted: Vec<Result<u64, Rejection>> = Vec::with_capacity(items.len());
        let mut new_nodes = std::collections::HashMap::new();
        let (size_before, mut closed) = (self.len(), false);
        for ((event, from_caller), pre) in items.iter().zip(prechecked) {
            let check = match pre {
                Some(Err(reason)) => {
                    accepted.push(Err(Rejection { kind: event.kind(), index: self.len(), reason }));
                    continue;
                }
                // Tally sums are checked above; the state still checks everything else about it.
                Some(Ok(())) if !matches!(event, Event::Tally(_)) => Verification::Trusted,
                _ => verification,
            };
            let leaf = event.to_leaf();
            let hash = leaf_hash(leaf.as_bytes());
            let applied = self.state.apply_hashed(event, &hash, check);
            self.take_fault()?;
            if let Err(r) = applied {
                if !from_caller {
                    // A held ballot was checked when it was taken, and nothing cast since can
                    // conflict with it: this is a broken invariant, not a rejection.
                    return Err(storage(&self.dir, format!("a held challenged ballot cannot be published: {r}")));
                }
                accepted.push(Err(r));
                continue;
            }
            closed |= matches!(event, Event::Close);
            let idx = self.len();
            self.conn
                .prepare_cached("INSERT INTO events (idx, kind, leaf, leaf_hash) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![idx as i64, event.kind(), leaf, hash.as_slice()])?;
            if let Event::Open(open) = event {
                schema::insert_credential_list(&self.conn, idx, &open.credentials)?;
            }
            self.frontier.push_completing(hash, |level, index, h| {
                new_nodes.insert((level, index), *h);
            });
            if *from_caller {
                accepted.push(Ok(idx));
            }
        }
        if closed {
            self.conn.execute("DELETE FROM challenged", [])?;
        }
        if self.len() == size_before {
            self.conn.execute_batch("COMMIT")?;
            return Ok(accepted.into_iter().map(|r| r.map(|_| unreachable!("no event accepted"))).collect());
        }
        for ((level, index), hash) in &new_nodes {
            schema::insert_node(&self.conn, *level, *index, hash)?;
        }
        schema::write_derived(&self.conn, &mut self.state)?;
        // The checkpoint over the new size is written in the same transaction as the events, so
        // the stored log never has events that no checkpoint covers.
        let size = self.len();
        let checkpoint = Checkpoint::sign(&self.setup, &self.secret, size, self.frontier.root(), rng);
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO checkpoints (size, checkpoint) VALUES (?1, ?2)")?
            .execute(params![size as i64, serde_json::to_string(&checkpoint).expect("serializes")])?;
        let nodes = BatchNodes { new: new_nodes, stored: StoredNodes(&self.conn) };
        let receipts = accepted
            .into_iter()
            .map(|r| match r {
                Ok(index) => Ok(Ok(Receipt {
                    inclusion: merkle::inclusion_proof_of(&nodes, index, size)?,
                    leaf_hash: nodes.node(0, index)?,
                    index,
                    checkpoint: checkpoint.clone(),
                })),
                Err(r) => Ok(Err(r)),
            })
            .collect::<Result<Vec<_>, BoardError>>()?;
        self.conn.execute_batch("COMMIT")?;
        for (_, index) in self.state.key_indexes() {
            index.commit();
        }
        self.latest = Some(checkpoint);
        if closed {
            self.held.clear();
        }
        Ok(receipts)
    }

    /// A failure to read a key table during the last event's admission.
    fn take_fault(&mut self) -> Result<(), BoardError> {
        let mut fault = None;
        for (name, index) in self.state.key_indexes() {
            if let Some(f) = index.take_fault() {
                fault.get_or_insert(format!("reading {name}: {f}"));
            }
        }
        fault.map_or(Ok(()), |f| Err(storage(&self.dir, f)))
    }

    /// Back to the last commit: the state, the tree's edge and the checkpoint, from storage.
    fn reload(&mut self) -> Result<(), BoardError> {
        let stored = schema::load(&self.dir, &self.conn, &self.keys)?;
        self.state = stored.state;
        self.frontier = stored.frontier;
        self.latest = stored.latest;
        self.held = schema::held_digests(&self.dir, &self.conn)?;
        self.stale = None;
        Ok(())
    }

    /// Takes a challenged ballot while voting is open: checks its opening, that its ciphertexts
    /// were not cast and that it was not posted before, and holds it (on disk) until voting
    /// closes, when it is published with every other one. Returns its tracking code.
    pub fn challenge(&mut self, spoiled: &SpoiledBallot) -> Result<String, BoardError> {
        if let Some(reason) = self.stale.clone() {
            self.reload().map_err(|e| storage(&self.dir, format!("{reason}; still unreadable: {e}")))?;
        }
        let index = self.len();
        let reject = |reason: String| BoardError::Rejected(Rejection { kind: "spoiled", index, reason });
        if self.state.phase() != Phase::Voting {
            return Err(reject("challenged ballots are taken only while voting is open".into()));
        }
        let params = self.state.params.as_ref().ok_or_else(|| reject("no election parameters".into()))?;
        spoiled.check(params).map_err(|e| reject(e.to_string()))?;
        let digest = spoiled.ciphertext_digest();
        let cast = self.state.was_cast(&digest);
        self.take_fault()?;
        if cast {
            return Err(reject("these ciphertexts were cast as a ballot: a cast ballot cannot be challenged".into()));
        }
        if self.held.contains(&digest) {
            return Err(reject("this challenged ballot was posted before".into()));
        }
        let json = serde_json::to_string(spoiled).expect("serializes");
        self.conn
            .execute("INSERT INTO challenged (digest, spoiled) VALUES (?1, ?2)", params![digest.as_slice(), json])?;
        self.held.insert(digest);
        Ok(spoiled.tracking_code())
    }

    /// How many challenged ballots are held, to be published at close.
    pub fn held_challenged(&self) -> usize {
        self.held.len()
    }

    /// The held challenged ballots, in ascending order of their ciphertext digests.
    fn held_ballots(&self) -> Result<Vec<SpoiledBallot>, BoardError> {
        let mut stmt = self.conn.prepare("SELECT spoiled FROM challenged ORDER BY digest")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| serde_json::from_str(&r?).map_err(|e| storage(&self.dir, e))).collect()
    }

    /// Calls `f` with every event's index and leaf, in order, from `start`.
    pub fn for_each_leaf(
        &self,
        start: u64,
        f: impl FnMut(u64, &str) -> Result<(), BoardError>,
    ) -> Result<(), BoardError> {
        schema::each_leaf(&self.conn, start, self.len(), f)
    }

    /// Every checkpoint the board signed, by size.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, BoardError> {
        schema::checkpoints(&self.conn)
    }

    fn within(&self, size: u64) -> Result<(), BoardError> {
        if size > self.len() {
            return Err(merkle::MerkleError::SizeOutOfRange { size, len: self.len() }.into());
        }
        Ok(())
    }

    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, BoardError> {
        self.within(size)?;
        merkle::inclusion_proof_of(&StoredNodes(&self.conn), index, size)
    }

    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>, BoardError> {
        self.within(second)?;
        merkle::consistency_proof_of(&StoredNodes(&self.conn), first, second)
    }

    pub fn root(&self, size: u64) -> Result<Hash, BoardError> {
        self.within(size)?;
        merkle::root_of(&StoredNodes(&self.conn), size)
    }

    /// The encrypted tally of the counted ballots (the last cast ballot of each credential),
    /// streamed from storage (`board::reader`).
    pub fn compute_tally(&self) -> Result<EncryptedTally, BoardError> {
        let params = self.state.params.as_ref().ok_or_else(|| storage(&self.dir, "voting never opened"))?;
        super::reader::compute_tally(&self.dir, &self.conn, params)
    }

    /// The ballots cast so far, in log order (for tools and tests).
    pub fn cast_ballots(&self) -> Result<Vec<(u64, Ballot)>, BoardError> {
        let mut out = Vec::new();
        self.for_each_leaf(0, |idx, leaf| {
            if let Some(b) = cast_ballot(leaf) {
                out.push((idx, b));
            }
            Ok(())
        })?;
        Ok(out)
    }
}

fn cast_ballot(leaf: &str) -> Option<Ballot> {
    match serde_json::from_str::<Event>(leaf).ok()? {
        Event::Cast(b) => Some(*b),
        _ => None,
    }
}

impl Board {
    /// Writes the election record to `dir` (see [`crate::log::record`]).
    pub fn export(&self, dir: &Path) -> Result<(), BoardError> {
        super::reader::export(&self.dir, &self.conn, dir).map(|_| ())
    }
}

impl Board {
    /// Stores a witness's co-signature, after checking that it signs a checkpoint of this log
    /// (its root is the log's at its size) and verifies. A repeat is stored once.
    pub fn add_cosignature(&mut self, c: &Cosignature) -> Result<(), String> {
        if c.size == 0 || c.size > self.len() {
            return Err(format!("no checkpoint of size {} in a log of {}", c.size, self.len()));
        }
        if self.root(c.size).map_err(|e| e.to_string())? != c.root {
            return Err(format!("the root is not this log's at size {}", c.size));
        }
        c.verify(&self.setup, &self.board_key()).map_err(|e| e.to_string())?;
        let json = serde_json::to_string(c).expect("serializes");
        self.conn
            .execute(
                "INSERT OR IGNORE INTO cosignatures (size, witness, cosignature) VALUES (?1, ?2, ?3)",
                params![c.size as i64, c.witness.as_bytes().as_slice(), json],
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Co-signatures, of one size or all, by size then witness.
    pub fn cosignatures(&self, size: Option<u64>) -> Result<Vec<Cosignature>, BoardError> {
        schema::cosignatures(&self.conn, size)
    }
}
