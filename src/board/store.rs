//! The board's log in SQLite.
//!
//! ```text
//! DIR/election.db   events(idx, kind, leaf, leaf_hash)   one row per event, leaf = canonical JSON
//!                   checkpoints(size, checkpoint)        every checkpoint the board signed
//!                   challenged(digest, spoiled)          challenged ballots held back until close
//! DIR/board.key     the board's signing key (mode 0600)
//! ```
//!
//! SQLite runs in WAL mode with `synchronous = FULL`: when an append returns, its events are
//! on disk. Appends are batched: the events of one call share a transaction and one signed
//! checkpoint. Each event is checked by the log state first; a rejected event is not written
//! and does not affect the others.
//!
//! Challenged ballots are not log entries while voting is open: posted next to the voter's
//! cast ballot, their revealed choices could be linked to its credential. The board keeps
//! them in a table of their own ([`Board::challenge`]) and, when it closes voting, appends
//! them all, in ascending order of their ciphertext digests (an order that arrival does not
//! decide and that anyone can check), right before the `close` event.

use std::path::{Path, PathBuf};

use rand::CryptoRng;
use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};

use super::BoardError;
use crate::crypto::group::{Fingerprint, SecretScalar, hex32, to_hex};
use crate::election::ballot::{Ballot, SpoiledBallot};
use crate::election::manifest::Manifest;
use crate::election::tally::{EncryptedTally, TallyAccumulator};
use crate::keyfile::write_private;
use crate::log::checkpoint::{Checkpoint, Cosignature, Receipt};
use crate::log::event::{Event, Phase, Setup, cast_ciphertexts};
use crate::log::merkle::{Hash, Tree, leaf_hash};
use crate::log::state::{LogState, Rejection, Verification};

pub const DB_FILE: &str = "election.db";
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
    conn: Connection,
    tree: Tree,
    state: LogState,
    secret: SecretScalar,
    setup: Fingerprint,
    latest: Option<Checkpoint>,
    /// Set when a write failed half-way: the in-memory state may be ahead of the disk.
    poisoned: bool,
    /// Ciphertext digests of the challenged ballots held back until close.
    held: std::collections::HashSet<[u8; 32]>,
}

fn storage(dir: &Path, reason: impl std::fmt::Display) -> BoardError {
    BoardError::Storage { path: dir.join(DB_FILE).display().to_string(), reason: reason.to_string() }
}

fn connect(dir: &Path) -> Result<Connection, BoardError> {
    let conn = Connection::open(dir.join(DB_FILE)).map_err(|e| storage(dir, e))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS events (
             idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, leaf TEXT NOT NULL, leaf_hash BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, checkpoint TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS cosignatures (
             size INTEGER NOT NULL, witness BLOB NOT NULL, cosignature TEXT NOT NULL, PRIMARY KEY (size, witness));
         CREATE TABLE IF NOT EXISTS challenged (digest BLOB PRIMARY KEY, spoiled TEXT NOT NULL);",
    )
    .map_err(|e| storage(dir, e))?;
    Ok(conn)
}

/// Calls `f` with the index and leaf of every stored event in `[start, end)`, in order.
fn each_leaf(
    conn: &Connection,
    start: u64,
    end: u64,
    mut f: impl FnMut(u64, &str) -> Result<(), BoardError>,
) -> Result<(), BoardError> {
    let mut stmt = conn.prepare("SELECT idx, leaf FROM events WHERE idx >= ?1 AND idx < ?2 ORDER BY idx")?;
    let mut rows = stmt.query([start.min(i64::MAX as u64) as i64, end.min(i64::MAX as u64) as i64])?;
    while let Some(row) = rows.next()? {
        let (idx, leaf): (i64, String) = (row.get(0)?, row.get(1)?);
        f(idx as u64, &leaf)?;
    }
    Ok(())
}

/// A read-only view of a board's stored events on a connection of its own: WAL lets it read
/// a committed prefix while the board goes on writing (the server streams the record so).
pub struct LogReader {
    conn: Connection,
}

impl LogReader {
    pub fn open(dir: &Path) -> Result<LogReader, BoardError> {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(dir.join(DB_FILE), flags).map_err(|e| storage(dir, e))?;
        Ok(LogReader { conn })
    }

    /// Calls `f` with every event in `[start, end)`, in order.
    pub fn for_each_leaf(
        &self,
        start: u64,
        end: u64,
        f: impl FnMut(u64, &str) -> Result<(), BoardError>,
    ) -> Result<(), BoardError> {
        each_leaf(&self.conn, start, end, f)
    }
}

impl Board {
    /// A new board in `dir` for `manifest`: a fresh signing key, and the setup event.
    pub fn create<R: CryptoRng + ?Sized>(dir: &Path, manifest: Manifest, rng: &mut R) -> Result<Board, BoardError> {
        std::fs::create_dir_all(dir).map_err(|e| BoardError::Io(format!("{}: {e}", dir.display())))?;
        if dir.join(DB_FILE).exists() {
            return Err(storage(dir, "a board already exists here"));
        }
        manifest.validate().map_err(|e| BoardError::Io(e.to_string()))?;
        let secret = SecretScalar::random(rng);
        write_private(&dir.join(KEY_FILE), to_hex(secret.expose().as_bytes()).as_bytes())
            .map_err(|e| BoardError::Io(format!("{}: {e}", dir.join(KEY_FILE).display())))?;
        let setup = manifest.setup_fingerprint();
        let mut board = Board {
            stats: AppendStats::default(),
            dir: dir.to_path_buf(),
            conn: connect(dir)?,
            tree: Tree::new(),
            state: LogState::new(),
            secret,
            setup,
            latest: None,
            poisoned: false,
            held: Default::default(),
        };
        let event = Event::Setup(Box::new(Setup { board_key: board.board_key(), manifest }));
        board.append(event, rng)?;
        Ok(board)
    }

    /// Opens the board in `dir`, replaying its log. Stored leaf hashes are checked against the
    /// stored leaves; proofs are not re-verified (they were when each event was appended).
    pub fn open(dir: &Path) -> Result<Board, BoardError> {
        if !dir.join(DB_FILE).exists() {
            return Err(storage(dir, "no board here (run `dauys board init` first)"));
        }
        let key_path = dir.join(KEY_FILE);
        let key_text =
            std::fs::read_to_string(&key_path).map_err(|e| BoardError::Io(format!("{}: {e}", key_path.display())))?;
        let key = hex32("board key", key_text.trim()).map_err(|e| BoardError::Io(e.to_string()))?;
        let secret =
            crate::crypto::group::scalar_from_bytes("board key", key).map_err(|e| BoardError::Io(e.to_string()))?;
        let conn = connect(dir)?;
        let mut state = LogState::new();
        let mut tree = Tree::new();
        {
            let mut stmt = conn.prepare("SELECT idx, leaf, leaf_hash FROM events ORDER BY idx")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let (idx, leaf, stored): (i64, String, Vec<u8>) = (row.get(0)?, row.get(1)?, row.get(2)?);
                let idx = idx as u64;
                if idx != tree.len() || leaf_hash(leaf.as_bytes()).as_slice() != stored {
                    return Err(storage(dir, format!("event {idx} is corrupt or out of sequence")));
                }
                let event: Event =
                    serde_json::from_str(&leaf).map_err(|e| storage(dir, format!("event {idx}: {e}")))?;
                let hash = leaf_hash(leaf.as_bytes());
                state.apply_hashed(&event, &hash, Verification::Trusted).map_err(|e| storage(dir, e))?;
                tree.push(hash);
            }
        }
        let latest: Option<String> = conn
            .query_row("SELECT checkpoint FROM checkpoints ORDER BY size DESC LIMIT 1", [], |r| r.get(0))
            .optional()?;
        let latest = latest.map(|t| serde_json::from_str(&t)).transpose().map_err(|e| storage(dir, e))?;
        let setup = state.setup_fingerprint.ok_or_else(|| storage(dir, "the log has no setup event"))?;
        let held = {
            let mut stmt = conn.prepare("SELECT digest FROM challenged")?;
            let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
            rows.map(|r| r?.try_into().map_err(|_| storage(dir, "a held challenged ballot's digest is not 32 bytes")))
                .collect::<Result<_, BoardError>>()?
        };
        Ok(Board {
            stats: AppendStats::default(),
            dir: dir.to_path_buf(),
            conn,
            tree,
            state,
            secret: SecretScalar::new(secret),
            setup,
            latest,
            poisoned: false,
            held,
        })
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
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
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
    /// receipt or why it was rejected; fails as a whole only if storage fails.
    pub fn append_batch<R: CryptoRng + ?Sized>(
        &mut self,
        events: Vec<Event>,
        rng: &mut R,
    ) -> Result<Vec<Result<Receipt, Rejection>>, BoardError> {
        if self.poisoned {
            return Err(storage(&self.dir, "an earlier write failed; reopen the board"));
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
                out.extend(self.append_batch(rest, rng)?);
                rest = tail;
            }
            return Ok(out);
        }
        // Closing voting publishes the held challenged ballots first, in ascending order of
        // their ciphertext digests, in the same transaction as the close.
        let held: Vec<SpoiledBallot> =
            if self.state.phase() == Phase::Voting && events.iter().any(|e| matches!(e, Event::Close)) {
                self.held_ballots()?
            } else {
                vec![]
            };
        let mut held = Some(held);
        let mut items: Vec<(Event, bool)> = Vec::with_capacity(events.len());
        for e in events {
            if matches!(e, Event::Close) {
                if let Some(h) = held.take() {
                    items.extend(h.into_iter().map(|s| (Event::Spoiled(Box::new(s)), false)));
                }
            }
            items.push((e, true));
        }
        // Checks that need more than the log state, done before anything is written: ballots'
        // proofs (in parallel, on every core) and the tally (against the stored ballots).
        let started = std::time::Instant::now();
        let params = self.state.params.clone();
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
                    let params = params.as_ref()?;
                    Some(b.verify(params).map_err(|e| e.to_string()).and_then(|()| {
                        if held_digests.contains(&b.ciphertext_digest()) {
                            Err("this ballot was challenged: a challenged ballot is never cast".to_string())
                        } else {
                            Ok(())
                        }
                    }))
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
        let mut accepted: Vec<Result<u64, Rejection>> = Vec::with_capacity(items.len());
        let mut closed = false;
        let size_before = self.tree.len();
        let tx = self.conn.transaction()?;
        for ((event, from_caller), pre) in items.iter().zip(prechecked) {
            let check = match pre {
                Some(Err(reason)) => {
                    accepted.push(Err(Rejection { kind: event.kind(), index: self.tree.len(), reason }));
                    continue;
                }
                // Tally sums are checked above; the state still checks everything else about it.
                Some(Ok(())) if !matches!(event, Event::Tally(_)) => Verification::Trusted,
                _ => Verification::Full,
            };
            let leaf = event.to_leaf();
            let hash = leaf_hash(leaf.as_bytes());
            if let Err(r) = self.state.apply_hashed(event, &hash, check) {
                if !from_caller {
                    // A held ballot was checked when it was taken, and nothing cast since can
                    // conflict with it: this is a broken invariant, not a rejection.
                    self.poisoned = true;
                    return Err(storage(&self.dir, format!("a held challenged ballot cannot be published: {r}")));
                }
                accepted.push(Err(r));
                continue;
            }
            closed |= matches!(event, Event::Close);
            let idx = self.tree.len();
            if let Err(e) = tx.execute(
                "INSERT INTO events (idx, kind, leaf, leaf_hash) VALUES (?1, ?2, ?3, ?4)",
                params![idx as i64, event.kind(), leaf, hash.as_slice()],
            ) {
                self.poisoned = true;
                return Err(e.into());
            }
            self.tree.push(hash);
            if *from_caller {
                accepted.push(Ok(idx));
            }
        }
        if closed && !self.held.is_empty() {
            if let Err(e) = tx.execute("DELETE FROM challenged", []) {
                self.poisoned = true;
                return Err(e.into());
            }
        }
        // The checkpoint over the new size is written in the same transaction as the events, so
        // the stored log never has events that no checkpoint covers.
        let any = self.tree.len() > size_before;
        let checkpoint = if any {
            let size = self.tree.len();
            let root = self.tree.root(size).expect("size is the tree's");
            let checkpoint = Checkpoint::sign(&self.setup, &self.secret, size, root, rng);
            let json = serde_json::to_string(&checkpoint).expect("serializes");
            if let Err(e) = tx.execute(
                "INSERT OR REPLACE INTO checkpoints (size, checkpoint) VALUES (?1, ?2)",
                params![size as i64, json],
            ) {
                self.poisoned = true;
                return Err(e.into());
            }
            Some(checkpoint)
        } else {
            None
        };
        if let Err(e) = tx.commit() {
            self.poisoned = true;
            return Err(e.into());
        }
        if closed {
            self.held.clear();
        }
        self.stats.store_seconds += verified.elapsed().as_secs_f64();
        let Some(checkpoint) = checkpoint else {
            return Ok(accepted.into_iter().map(|r| r.map(|_| unreachable!("no event accepted"))).collect());
        };
        self.latest = Some(checkpoint.clone());
        Ok(accepted
            .into_iter()
            .map(|r| {
                r.map(|index| Receipt {
                    inclusion: self.tree.inclusion_proof(index, checkpoint.size).expect("index below size"),
                    leaf_hash: *self.tree.leaf(index).expect("stored"),
                    index,
                    checkpoint: checkpoint.clone(),
                })
            })
            .collect())
    }

    /// Takes a challenged ballot while voting is open: checks its opening, that its ciphertexts
    /// were not cast and that it was not posted before, and holds it (on disk) until voting
    /// closes, when it is published with every other one. Returns its tracking code.
    pub fn challenge(&mut self, spoiled: &SpoiledBallot) -> Result<String, BoardError> {
        let reject = |reason: String| BoardError::Rejected(Rejection { kind: "spoiled", index: self.len(), reason });
        if self.poisoned {
            return Err(storage(&self.dir, "an earlier write failed; reopen the board"));
        }
        if self.state.phase() != Phase::Voting {
            return Err(reject("challenged ballots are taken only while voting is open".into()));
        }
        let params = self.state.params.as_ref().ok_or_else(|| reject("no election parameters".into()))?;
        spoiled.check(params).map_err(|e| reject(e.to_string()))?;
        let digest = spoiled.ciphertext_digest();
        if self.state.was_cast(&digest) {
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
        each_leaf(&self.conn, start, self.len(), f)
    }

    /// Every checkpoint the board signed, by size.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, BoardError> {
        let mut stmt = self.conn.prepare("SELECT checkpoint FROM checkpoints ORDER BY size")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| serde_json::from_str(&r?).map_err(|e| storage(&self.dir, e))).collect()
    }

    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, BoardError> {
        self.tree.inclusion_proof(index, size).map_err(|e| BoardError::Io(e.to_string()))
    }

    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>, BoardError> {
        self.tree.consistency_proof(first, second).map_err(|e| BoardError::Io(e.to_string()))
    }

    pub fn root(&self, size: u64) -> Result<Hash, BoardError> {
        self.tree.root(size).map_err(|e| BoardError::Io(e.to_string()))
    }

    /// The encrypted tally of the counted ballots (the last cast ballot of each credential),
    /// streamed from storage in chunks, each parsed and summed in parallel: memory stays flat
    /// in the number of ballots.
    pub fn compute_tally(&self) -> Result<EncryptedTally, BoardError> {
        const CHUNK: usize = 4096;
        let params = self.state.params.as_ref().ok_or_else(|| storage(&self.dir, "voting never opened"))?;
        let mut counted: Vec<u64> = self.state.last_cast.values().copied().collect();
        counted.sort_unstable();
        let manifest = &params.manifest;
        let dir = self.dir.as_path();
        let sum_chunk = |leaves: &[String]| {
            leaves
                .par_iter()
                .try_fold(
                    || TallyAccumulator::new(manifest),
                    |mut acc, leaf| {
                        let contests =
                            cast_ciphertexts(leaf).map_err(|e| storage(dir, format!("a counted event: {e}")))?;
                        acc.add_ciphertexts(contests.iter().map(Vec::as_slice));
                        Ok::<_, BoardError>(acc)
                    },
                )
                .try_reduce(|| TallyAccumulator::new(manifest), |a, b| Ok(a.merge(&b)))
        };
        let mut sum = TallyAccumulator::new(manifest);
        let mut next = counted.iter().peekable();
        let mut leaves = Vec::with_capacity(CHUNK);
        self.for_each_leaf(counted.first().copied().unwrap_or(self.len()), |idx, leaf| {
            if next.peek() == Some(&&idx) {
                next.next();
                leaves.push(leaf.to_string());
                if leaves.len() == CHUNK {
                    sum = std::mem::replace(&mut sum, TallyAccumulator::new(manifest)).merge(&sum_chunk(&leaves)?);
                    leaves.clear();
                }
            }
            Ok(())
        })?;
        let sum = sum.merge(&sum_chunk(&leaves)?);
        Ok(sum.finish())
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
        let latest = self.latest.clone().ok_or_else(|| storage(&self.dir, "nothing has been signed yet"))?;
        let checkpoints = self.checkpoints()?;
        let io = |e: std::io::Error| BoardError::Io(format!("{}: {e}", dir.display()));
        let cosignatures: String =
            self.cosignatures(None)?.iter().map(|c| serde_json::to_string(c).expect("serializes") + "\n").collect();
        std::fs::create_dir_all(dir).map_err(io)?;
        std::fs::write(dir.join(crate::log::record::COSIGNATURES_FILE), cosignatures).map_err(io)?;
        crate::log::record::write(
            dir,
            &latest,
            |emit| {
                let mut n = 0;
                self.for_each_leaf(0, |_, leaf| {
                    n += 1;
                    emit(leaf).map_err(|e| BoardError::Io(e.to_string()))
                })
                .map_err(|e| std::io::Error::other(e.to_string()))?;
                Ok(n)
            },
            &checkpoints,
        )
        .map_err(io)
    }
}

impl Board {
    /// Stores a witness's co-signature, after checking that it signs a checkpoint of this log
    /// (its root is the log's at its size) and verifies. A repeat is stored once.
    pub fn add_cosignature(&mut self, c: &Cosignature) -> Result<(), String> {
        if c.size == 0 || c.size > self.len() {
            return Err(format!("no checkpoint of size {} in a log of {}", c.size, self.len()));
        }
        if self.tree.root(c.size).ok() != Some(c.root) {
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
        let mut stmt = self
            .conn
            .prepare("SELECT cosignature FROM cosignatures WHERE ?1 < 0 OR size = ?1 ORDER BY size, witness")?;
        let rows = stmt.query_map([size.map_or(-1, |s| s as i64)], |r| r.get::<_, String>(0))?;
        rows.map(|r| serde_json::from_str(&r?).map_err(|e| storage(&self.dir, e))).collect()
    }
}
