//! `dauys board check`: replay the whole stored log and compare what it establishes with the
//! state the board stored beside it; and the one-time rebuild of that state for a board
//! written before it was stored.
//!
//! The replay checks every row's index and leaf hash, applies every event to a fresh
//! [`LogState`] (proofs are not re-verified: the board verified them on append, and the
//! observers' verifier checks them from the record), and rebuilds the Merkle tree. Compared:
//! every tree node, every row of every key table, the counters, what the stored state
//! derives (phase, ceremony, parameters, tally, decryptions, result), and every stored
//! checkpoint's root.

use std::path::Path;

use rayon::prelude::*;
use rusqlite::Connection;

use super::BoardError;
use super::schema::{self, StoredNodes, storage};
use crate::log::event::Event;
use crate::log::keys::Key;
use crate::log::merkle::{Frontier, Hash, Nodes, leaf_hash};
use crate::log::state::{LogState, Verification};

/// What `board check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub events: u64,
    pub nodes: u64,
    pub checkpoints: u64,
    /// Per key table: its name and number of rows.
    pub keys: Vec<(&'static str, u64)>,
    pub phase: String,
    pub cast: u64,
    pub counted: u64,
    pub spoiled: u64,
    /// Every way the stored state differs from the replay (the first few of each kind).
    pub differences: Vec<String>,
}

impl CheckReport {
    pub fn consistent(&self) -> bool {
        self.differences.is_empty()
    }
}

/// The log replayed from its rows.
struct Replayed {
    state: LogState,
    frontier: Frontier,
}

/// Replays every stored event, checking its index and leaf hash; `node` gets every complete
/// subtree as the tree is rebuilt, `after` each event with the tree after it. Leaves are
/// parsed in parallel (decoding a ballot's points is most of the work), in chunks.
fn replay(
    dir: &Path,
    conn: &Connection,
    mut node: impl FnMut(u32, u64, &Hash) -> Result<(), BoardError>,
    mut after: impl FnMut(u64, &Event, &Frontier) -> Result<(), BoardError>,
) -> Result<Replayed, BoardError> {
    const CHUNK: usize = 4096;
    let mut state = LogState::new();
    let mut frontier = Frontier::new();
    let mut stmt = conn.prepare("SELECT idx, leaf, leaf_hash FROM events ORDER BY idx")?;
    let mut rows = stmt.query([])?;
    let mut chunk: Vec<(u64, String, Vec<u8>)> = Vec::with_capacity(CHUNK);
    loop {
        let row = rows.next()?;
        if let Some(row) = row {
            chunk.push((row.get::<_, i64>(0)? as u64, row.get(1)?, row.get(2)?));
            if chunk.len() < CHUNK {
                continue;
            }
        }
        let parsed: Vec<Result<(Event, Hash), BoardError>> = chunk
            .par_iter()
            .map(|(idx, leaf, stored)| {
                let hash = leaf_hash(leaf.as_bytes());
                if stored.as_slice() != hash.as_slice() {
                    return Err(storage(dir, format!("event {idx} is corrupt: its leaf hash is not the stored one")));
                }
                let event = serde_json::from_str(leaf).map_err(|e| storage(dir, format!("event {idx}: {e}")))?;
                Ok((event, hash))
            })
            .collect();
        for ((idx, _, _), parsed) in chunk.drain(..).zip(parsed) {
            let (event, hash) = parsed?;
            if idx != frontier.len() {
                return Err(storage(dir, format!("event {idx} is out of sequence (expected {})", frontier.len())));
            }
            state.apply(&event, Verification::Trusted).map_err(|e| storage(dir, e))?;
            let mut failed = Ok(());
            frontier.push_completing(hash, |level, index, h| {
                if failed.is_ok() {
                    failed = node(level, index, h);
                }
            });
            failed?;
            after(idx, &event, &frontier)?;
        }
        if row.is_none() {
            break;
        }
    }
    Ok(Replayed { state, frontier })
}

/// Keeps the first few differences of each kind, and counts the rest.
struct Differences {
    found: Vec<String>,
    per_kind: std::collections::HashMap<&'static str, u64>,
}

impl Differences {
    const SHOWN: u64 = 5;

    fn add(&mut self, kind: &'static str, detail: impl FnOnce() -> String) {
        let n = self.per_kind.entry(kind).or_default();
        *n += 1;
        if *n <= Self::SHOWN {
            self.found.push(format!("{kind}: {}", detail()));
        }
    }

    fn finish(mut self) -> Vec<String> {
        let mut more: Vec<_> = self.per_kind.iter().filter(|(_, n)| **n > Self::SHOWN).collect();
        more.sort();
        for (kind, n) in more {
            self.found.push(format!("{kind}: {} more", n - Self::SHOWN));
        }
        self.found
    }
}

/// Replays the board in `dir` and compares; reads one snapshot while a writer goes on.
pub fn check(dir: &Path) -> Result<CheckReport, BoardError> {
    let conn = schema::open_reader(dir)?;
    conn.execute_batch("BEGIN")?;
    let report = check_in(dir, &conn);
    conn.execute_batch("COMMIT")?;
    report
}

fn check_in(dir: &Path, conn: &Connection) -> Result<CheckReport, BoardError> {
    let keys = schema::key_connection(dir)?;
    let stored = schema::load_in(dir, conn, &keys)?;
    let diff = std::cell::RefCell::new(Differences { found: Vec::new(), per_kind: Default::default() });
    let mut nodes = 0u64;
    // Stored checkpoints, by size, compared as the replay reaches each size.
    let mut signed: Vec<(u64, Hash)> = Vec::new();
    let mut stmt = conn.prepare("SELECT size, checkpoint FROM checkpoints ORDER BY size DESC")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let size = row.get::<_, i64>(0)? as u64;
        match serde_json::from_str::<crate::log::checkpoint::Checkpoint>(row.get_ref(1)?.as_str()?) {
            Ok(c) if c.size == size => signed.push((size, c.root)),
            Ok(c) => {
                diff.borrow_mut().add("checkpoint", || format!("the row of size {size} holds one of size {}", c.size))
            }
            Err(e) => diff.borrow_mut().add("checkpoint", || format!("the row of size {size} does not parse: {e}")),
        }
    }
    let checkpoints = signed.len() as u64;
    let stored_nodes = StoredNodes(conn);
    let mut replayed = replay(
        dir,
        conn,
        |level, index, hash| {
            nodes += 1;
            match stored_nodes.node(level, index) {
                Ok(h) if h == *hash => {}
                Ok(_) => diff.borrow_mut().add("tree node", || format!("({level}, {index}) differs")),
                Err(_) => diff.borrow_mut().add("tree node", || format!("({level}, {index}) is missing")),
            }
            Ok(())
        },
        |idx, event, frontier| {
            if let Event::Open(open) = event {
                let copy: Option<Vec<u8>> = schema::stored_credential_list(conn, idx)?;
                if copy.is_some_and(|c| {
                    c != open.credentials.iter().flat_map(|l| l.iter().flatten().copied()).collect::<Vec<u8>>()
                }) {
                    diff.borrow_mut().add("credential list", || format!("the copy of event {idx}'s differs"));
                }
            }
            let size = frontier.len();
            while signed.last().is_some_and(|(s, _)| *s <= size) {
                let (s, root) = signed.pop().expect("checked");
                if s == size && root != frontier.root() {
                    diff.borrow_mut().add("checkpoint", || format!("size {s}: its root is not the log's"));
                }
            }
            Ok(())
        },
    )?;
    let mut diff = diff.into_inner();
    for (s, _) in signed.iter().rev() {
        diff.add("checkpoint", || format!("size {s} is beyond the log"));
    }
    let size = replayed.frontier.len();
    let extra: u64 = conn.query_row("SELECT COUNT(*) FROM nodes", [], |r| r.get::<_, i64>(0))? as u64;
    if extra != nodes {
        diff.add("tree node", || format!("{extra} stored, the log has {nodes}"));
    }
    if stored.frontier.root() != replayed.frontier.root() || stored.len() != size {
        diff.add("tree", || "the stored right edge does not give the log's root".into());
    }
    let mut report = CheckReport {
        events: size,
        nodes,
        checkpoints,
        phase: format!("{:?}", replayed.state.phase()).to_lowercase(),
        cast: replayed.state.cast,
        counted: replayed.state.counted(),
        spoiled: replayed.state.spoiled,
        ..CheckReport::default()
    };
    compare_states(&stored.state, &replayed.state, &mut diff);
    for (name, index) in replayed.state.key_indexes() {
        let mut expected: Vec<(Key, u64)> = index.added().map(|(k, v)| (*k, v)).collect();
        expected.sort_unstable();
        let column = if index.is_map() { "value" } else { "0" };
        let mut stmt = conn.prepare(&format!("SELECT key, {column} FROM {name} ORDER BY key"))?;
        let mut rows = stmt.query([])?;
        let mut want = expected.iter().peekable();
        let mut stored_rows = 0u64;
        while let Some(row) = rows.next()? {
            stored_rows += 1;
            let key: Key = row
                .get_ref(0)?
                .as_blob()?
                .try_into()
                .map_err(|_| storage(dir, format!("{name}: a key not of 32 bytes")))?;
            let value = row.get::<_, i64>(1)? as u64;
            while want.peek().is_some_and(|(k, _)| *k < key) {
                let (k, _) = want.next().expect("peeked");
                diff.add(name, || format!("{} is missing", crate::crypto::group::to_hex(k)));
            }
            match want.peek() {
                Some((k, v)) if *k == key => {
                    if *v != value {
                        diff.add(name, || {
                            format!("{}: {value} stored, the log says {v}", crate::crypto::group::to_hex(&key))
                        });
                    }
                    want.next();
                }
                _ => diff.add(name, || format!("{} is stored but not in the log", crate::crypto::group::to_hex(&key))),
            }
        }
        for (k, _) in want {
            diff.add(name, || format!("{} is missing", crate::crypto::group::to_hex(k)));
        }
        report.keys.push((name, stored_rows));
    }
    report.differences = diff.finish();
    Ok(report)
}

/// What the stored state derives, against the replay's.
fn compare_states(stored: &LogState, replayed: &LogState, diff: &mut Differences) {
    let pairs: [(&'static str, String, String); 12] = [
        ("phase", format!("{:?}", stored.phase()), format!("{:?}", replayed.phase())),
        ("events", stored.len.to_string(), replayed.len.to_string()),
        ("cast", stored.cast.to_string(), replayed.cast.to_string()),
        ("spoiled", stored.spoiled.to_string(), replayed.spoiled.to_string()),
        ("counted", stored.counted().to_string(), replayed.counted().to_string()),
        ("setup", json(&stored.setup), json(&replayed.setup)),
        ("transport keys", json(&stored.transport_keys), json(&replayed.transport_keys)),
        ("dealings", json(&stored.dealings), json(&replayed.dealings)),
        ("complaints", json(&stored.complaints), json(&replayed.complaints)),
        (
            "election fingerprint",
            format!("{:?}", stored.params.as_ref().map(|p| p.fingerprint)),
            format!("{:?}", replayed.params.as_ref().map(|p| p.fingerprint)),
        ),
        ("tally", json(&stored.tally), json(&replayed.tally)),
        (
            "decryptions and result",
            json(&(&stored.decryptions, &stored.result)),
            json(&(&replayed.decryptions, &replayed.result)),
        ),
    ];
    for (what, s, r) in pairs {
        if s != r {
            diff.add("state", || format!("{what}: stored {}, the log gives {}", short(&s), short(&r)));
        }
    }
}

/// Values compared by their JSON.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("unserializable: {e}"))
}

fn short(s: &str) -> String {
    if s.chars().count() <= 80 { s.to_string() } else { s.chars().take(80).chain(['…']).collect() }
}

/// Stores the derived state of a board written before it was stored (schema 0): one replay,
/// in one transaction.
pub fn rebuild(dir: &Path, conn: &Connection) -> Result<(), BoardError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let rebuilt = rebuild_in(dir, conn);
    match rebuilt {
        Ok(()) => conn.execute_batch("COMMIT").map_err(|e| storage(dir, e)),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn rebuild_in(dir: &Path, conn: &Connection) -> Result<(), BoardError> {
    let mut clear = String::from("DELETE FROM nodes; DELETE FROM counters; DELETE FROM credential_lists;");
    for (name, _) in LogState::new().key_indexes() {
        clear += &format!(" DELETE FROM {name};");
    }
    conn.execute_batch(&clear)?;
    let mut replayed = replay(
        dir,
        conn,
        |level, index, hash| schema::insert_node(conn, level, index, hash),
        |idx, event, _| match event {
            Event::Open(open) => schema::insert_credential_list(conn, idx, &open.credentials),
            _ => Ok(()),
        },
    )?;
    schema::write_derived(conn, &mut replayed.state)?;
    conn.pragma_update(None, "user_version", schema::VERSION)?;
    Ok(())
}
