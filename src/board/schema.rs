//! The board's database: its tables, and the queries its writer and its readers share.
//!
//! ```text
//! events(idx, kind, leaf, leaf_hash)   one row per event, leaf = canonical JSON
//!   index steps ON events(idx) WHERE kind NOT IN ('cast', 'spoiled')
//! checkpoints(size, checkpoint)        every checkpoint the board signed
//! cosignatures(size, witness, cosignature)
//! nodes(level, idx, hash)              every complete subtree of the Merkle tree
//! counters(name, value)                cast, spoiled, and keys:NAME, the size of each key table
//! credential_lists(idx, list)          the open event's credential list, binary (32 bytes each)
//! challenged(digest, spoiled)          challenged ballots held back until close (not log entries)
//! ballot_digests(key)                  the log state's key sets and maps (`LogState::key_indexes`)
//! cast_ciphertexts(key)
//! spoiled_ciphertexts(key)
//! last_cast(key, value)                credential → log index of its last cast ballot
//! ```
//!
//! Every append commits its events and everything derived from them (nodes, counters, key
//! tables, the checkpoint) in one transaction, so the stored state is always that of a prefix
//! of the log. Loading it reads the counters, the `O(log n)` nodes of the tree's right edge,
//! the latest checkpoint, and replays only the events that are not ballots (the setup, the
//! ceremony, open, close, tally, decryptions, result), the open event with its credential list
//! from the binary copy: no ballot is read and no credential decoded, so it takes the same
//! time at any number of ballots.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::BoardError;
use crate::election::credential::CredentialList;
use crate::log::checkpoint::{Checkpoint, Cosignature};
use crate::log::event::Event;
use crate::log::keys::{CommittedKeys, Key};
use crate::log::merkle::{Frontier, Hash, MerkleError, Nodes};
use crate::log::state::{LogState, Verification};

pub const DB_FILE: &str = "election.db";
/// The schema's version, in SQLite's `user_version`. 0: a board from before the derived state
/// was stored (its writer rebuilds it once).
pub const VERSION: i64 = 1;
/// How long a connection waits for another's lock before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

pub fn storage(dir: &Path, reason: impl std::fmt::Display) -> BoardError {
    BoardError::Storage { path: dir.join(DB_FILE).display().to_string(), reason: reason.to_string() }
}

fn tables() -> String {
    let mut sql = String::from(
        "CREATE TABLE IF NOT EXISTS events (
             idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, leaf TEXT NOT NULL, leaf_hash BLOB NOT NULL);
         CREATE INDEX IF NOT EXISTS steps ON events(idx) WHERE kind NOT IN ('cast', 'spoiled');
         CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, checkpoint TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS cosignatures (
             size INTEGER NOT NULL, witness BLOB NOT NULL, cosignature TEXT NOT NULL, PRIMARY KEY (size, witness));
         CREATE TABLE IF NOT EXISTS nodes (
             level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
         CREATE TABLE IF NOT EXISTS credential_lists (idx INTEGER PRIMARY KEY, list BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS challenged (digest BLOB PRIMARY KEY, spoiled TEXT NOT NULL);",
    );
    for (name, index) in LogState::new().key_indexes() {
        let value = if index.is_map() { ", value INTEGER NOT NULL" } else { "" };
        sql += &format!("\nCREATE TABLE IF NOT EXISTS {name} (key BLOB PRIMARY KEY{value}) WITHOUT ROWID;");
    }
    sql
}

/// The writer's connection (WAL, `synchronous = FULL`), with every table created. Returns the
/// schema version the database had (0 for a new or an old board).
pub fn open_writer(dir: &Path) -> Result<(Connection, i64), BoardError> {
    let conn = Connection::open(dir.join(DB_FILE)).map_err(|e| storage(dir, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| storage(dir, e))?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;").map_err(|e| storage(dir, e))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| storage(dir, e))?;
    if version > VERSION {
        return Err(storage(dir, format!("written by a newer dauys (schema {version}; this one knows {VERSION})")));
    }
    conn.execute_batch(&tables()).map_err(|e| storage(dir, e))?;
    Ok((conn, version))
}

/// A read-only connection: it sees the last committed state and never blocks the writer (WAL).
pub fn open_reader(dir: &Path) -> Result<Connection, BoardError> {
    let path = dir.join(DB_FILE);
    if !path.exists() {
        return Err(storage(dir, "no board here (run `dauys board init` first)"));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&path, flags).map_err(|e| storage(dir, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| storage(dir, e))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| storage(dir, e))?;
    if version != VERSION {
        return Err(storage(
            dir,
            format!(
                "schema {version}, this dauys reads {VERSION}: open the board once with a writer \
                 (`dauys board serve`, or any step that posts) to upgrade it"
            ),
        ));
    }
    Ok(conn)
}

/// The number of events stored.
pub fn size(conn: &Connection) -> Result<u64, BoardError> {
    Ok(conn.query_row("SELECT COALESCE(MAX(idx) + 1, 0) FROM events", [], |r| r.get::<_, i64>(0))? as u64)
}

fn clamp(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

/// Calls `f` with the index and leaf of every stored event in `[start, end)`, in order.
pub fn each_leaf(
    conn: &Connection,
    start: u64,
    end: u64,
    mut f: impl FnMut(u64, &str) -> Result<(), BoardError>,
) -> Result<(), BoardError> {
    let mut stmt = conn.prepare_cached("SELECT idx, leaf FROM events WHERE idx >= ?1 AND idx < ?2 ORDER BY idx")?;
    let mut rows = stmt.query([clamp(start), clamp(end)])?;
    while let Some(row) = rows.next()? {
        let idx: i64 = row.get(0)?;
        let leaf = row.get_ref(1)?.as_str()?;
        f(idx as u64, leaf)?;
    }
    Ok(())
}

/// Calls `f` with the stored text of every row of `sql` (one text column, one size bound).
fn each_text(
    conn: &Connection,
    sql: &str,
    bound: u64,
    mut f: impl FnMut(&str) -> Result<(), BoardError>,
) -> Result<(), BoardError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([clamp(bound)])?;
    while let Some(row) = rows.next()? {
        f(row.get_ref(0)?.as_str()?)?;
    }
    Ok(())
}

/// Every checkpoint of size at most `size`, as stored (canonical JSON), by size.
pub fn each_checkpoint(
    conn: &Connection,
    size: u64,
    f: impl FnMut(&str) -> Result<(), BoardError>,
) -> Result<(), BoardError> {
    each_text(conn, "SELECT checkpoint FROM checkpoints WHERE size <= ?1 ORDER BY size", size, f)
}

/// Every co-signature of a size at most `size`, as stored, by size then witness.
pub fn each_cosignature(
    conn: &Connection,
    size: u64,
    f: impl FnMut(&str) -> Result<(), BoardError>,
) -> Result<(), BoardError> {
    each_text(conn, "SELECT cosignature FROM cosignatures WHERE size <= ?1 ORDER BY size, witness", size, f)
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, BoardError> {
    serde_json::from_str(text)
        .map_err(|e| BoardError::Storage { path: DB_FILE.into(), reason: format!("a stored {what}: {e}") })
}

/// The checkpoint the board signed at `size`, if it signed one (by the table's key).
pub fn checkpoint_at(conn: &Connection, size: u64) -> Result<Option<Checkpoint>, BoardError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT checkpoint FROM checkpoints WHERE size = ?1")?
        .query_row([clamp(size)], |r| r.get(0))
        .optional()?;
    text.map(|t| parse("checkpoint", &t)).transpose()
}

pub fn latest_checkpoint(conn: &Connection) -> Result<Option<Checkpoint>, BoardError> {
    let text: Option<String> = conn
        .prepare_cached("SELECT checkpoint FROM checkpoints ORDER BY size DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    text.map(|t| parse("checkpoint", &t)).transpose()
}

pub fn checkpoints(conn: &Connection) -> Result<Vec<Checkpoint>, BoardError> {
    let mut out = Vec::new();
    each_checkpoint(conn, u64::MAX, |t| {
        out.push(parse("checkpoint", t)?);
        Ok(())
    })?;
    Ok(out)
}

/// Co-signatures, of one size or all, by size then witness.
pub fn cosignatures(conn: &Connection, size: Option<u64>) -> Result<Vec<Cosignature>, BoardError> {
    let mut stmt =
        conn.prepare_cached("SELECT cosignature FROM cosignatures WHERE ?1 < 0 OR size = ?1 ORDER BY size, witness")?;
    let rows = stmt.query_map([size.map_or(-1, clamp)], |r| r.get::<_, String>(0))?;
    rows.map(|r| parse("co-signature", &r?)).collect()
}

/// The complete subtrees of the stored tree.
pub struct StoredNodes<'a>(pub &'a Connection);

impl Nodes for StoredNodes<'_> {
    type Error = BoardError;

    fn node(&self, level: u32, index: u64) -> Result<Hash, BoardError> {
        let hash: Option<Vec<u8>> = self
            .0
            .prepare_cached("SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2")?
            .query_row(params![level, clamp(index)], |r| r.get(0))
            .optional()?;
        let hash = hash.ok_or_else(|| BoardError::Storage {
            path: DB_FILE.into(),
            reason: format!("tree node ({level}, {index}) is missing; run `dauys board check`"),
        })?;
        let found = hash.len();
        hash.try_into().map_err(|_| MerkleError::BadHashLength { what: "stored node", found }.into())
    }
}

impl From<MerkleError> for BoardError {
    fn from(e: MerkleError) -> Self {
        BoardError::Range(e.to_string())
    }
}

pub fn insert_node(conn: &Connection, level: u32, index: u64, hash: &Hash) -> Result<(), BoardError> {
    conn.prepare_cached("INSERT INTO nodes (level, idx, hash) VALUES (?1, ?2, ?3)")?.execute(params![
        level,
        clamp(index),
        hash.as_slice()
    ])?;
    Ok(())
}

/// A key table read on a connection of its own, shared by the state's key indexes: it sees
/// only committed rows, which is what [`CommittedKeys`] is.
pub struct StoredKeys {
    conn: Arc<Mutex<Connection>>,
    sql: String,
}

impl CommittedKeys for StoredKeys {
    fn get(&self, key: &Key) -> Result<Option<u64>, String> {
        let conn = self.conn.lock().map_err(|_| "a key lookup panicked".to_string())?;
        let mut stmt = conn.prepare_cached(&self.sql).map_err(|e| e.to_string())?;
        let value: Option<i64> =
            stmt.query_row([key.as_slice()], |r| r.get(0)).optional().map_err(|e| e.to_string())?;
        Ok(value.map(|v| v as u64))
    }
}

/// Writes what the state's key indexes gained since their last commit, and the counters.
pub fn write_derived(conn: &Connection, state: &mut LogState) -> Result<(), BoardError> {
    let (cast, spoiled) = (state.cast, state.spoiled);
    let mut counter = conn.prepare_cached(
        "INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )?;
    counter.execute(params!["cast", clamp(cast)])?;
    counter.execute(params!["spoiled", clamp(spoiled)])?;
    for (name, index) in state.key_indexes() {
        let sql = if index.is_map() {
            format!(
                "INSERT INTO {name} (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
        } else {
            format!("INSERT INTO {name} (key) VALUES (?1)")
        };
        let mut insert = conn.prepare_cached(&sql)?;
        for (key, value) in index.added() {
            if index.is_map() {
                insert.execute(params![key.as_slice(), clamp(value)])?;
            } else {
                insert.execute([key.as_slice()])?;
            }
        }
        counter.execute(params![format!("keys:{name}"), clamp(index.len())])?;
    }
    Ok(())
}

/// A board's state as stored at one moment: what its writer resumes from, and what read-only
/// users (status, export, trustees and voters reading the election) need.
pub struct StoredState {
    pub state: LogState,
    /// The tree's right edge: its size and root.
    pub frontier: Frontier,
    pub latest: Option<Checkpoint>,
}

impl StoredState {
    /// The number of events.
    pub fn len(&self) -> u64 {
        self.frontier.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frontier.is_empty()
    }

    pub fn setup_fingerprint(&self) -> Option<crate::crypto::group::Fingerprint> {
        self.state.setup_fingerprint
    }

    /// The board's public key, as the setup event names it.
    pub fn board_key(&self) -> Option<crate::crypto::group::Element> {
        self.state.setup.as_ref().map(|s| s.board_key)
    }
}

/// Loads the stored state from `conn`, in one read transaction, with the state's key indexes
/// reading their tables on `keys`.
pub fn load(dir: &Path, conn: &Connection, keys: &Arc<Mutex<Connection>>) -> Result<StoredState, BoardError> {
    conn.execute_batch("BEGIN")?;
    let loaded = load_in(dir, conn, keys);
    conn.execute_batch("COMMIT")?;
    loaded
}

/// [`load`] inside a read transaction the caller holds.
pub fn load_in(dir: &Path, conn: &Connection, keys: &Arc<Mutex<Connection>>) -> Result<StoredState, BoardError> {
    let size = size(conn)?;
    let counters: std::collections::HashMap<String, u64> = conn
        .prepare("SELECT name, value FROM counters")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?
        .collect::<Result<_, _>>()?;
    let counter = |name: &str| counters.get(name).copied().unwrap_or(0);
    let mut state = LogState::new();
    for (name, index) in state.key_indexes() {
        let column = if index.is_map() { "value" } else { "0" };
        let sql = format!("SELECT {column} FROM {name} WHERE key = ?1");
        index.attach(Box::new(StoredKeys { conn: keys.clone(), sql }), counter(&format!("keys:{name}")));
    }
    let mut stmt = conn
        .prepare("SELECT idx, kind, leaf, leaf_hash FROM events WHERE kind NOT IN ('cast', 'spoiled') ORDER BY idx")?;
    let mut rows = stmt.query([])?;
    let mut close = None;
    while let Some(row) = rows.next()? {
        let idx = row.get::<_, i64>(0)? as u64;
        let leaf = row.get_ref(2)?.as_str()?;
        let event = match row.get_ref(1)?.as_str()? {
            "open" => open_event(conn, idx, leaf)?,
            _ => serde_json::from_str(leaf).map_err(|e| storage(dir, format!("event {idx}: {e}")))?,
        };
        state.len = idx;
        // The stored leaf hash: hashing the event again would serialize a national credential
        // list; the tree's nodes vouch for the stored hashes (`dauys board check`).
        let hash: Hash = row
            .get::<_, Vec<u8>>(3)?
            .try_into()
            .map_err(|_| storage(dir, format!("event {idx}: a leaf hash that is not 32 bytes")))?;
        state
            .apply_hashed(&event, &hash, Verification::Trusted)
            .map_err(|e| storage(dir, format!("the stored state does not admit {e}; run `dauys board check`")))?;
        if matches!(event, Event::Close) {
            // The lots need the root at close (§8.1), and the result after it is checked with
            // them; the state's own frontier saw only the events replayed.
            close = Some(crate::log::merkle::root_of(&StoredNodes(conn), idx + 1)?);
            state.resume_at(Frontier::default(), close);
        }
    }
    state.len = size;
    state.cast = counter("cast");
    state.spoiled = counter("spoiled");
    if size > 0 && state.setup_fingerprint.is_none() {
        return Err(storage(dir, "the log has no setup event"));
    }
    let frontier = Frontier::resume(&StoredNodes(conn), size)?;
    state.resume_at(frontier.clone(), close);
    let latest = latest_checkpoint(conn)?;
    Ok(StoredState { state, frontier, latest })
}

/// A connection for the key indexes' lookups.
pub fn key_connection(dir: &Path) -> Result<Arc<Mutex<Connection>>, BoardError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(dir.join(DB_FILE), flags).map_err(|e| storage(dir, e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| storage(dir, e))?;
    Ok(Arc::new(Mutex::new(conn)))
}

/// Stores the binary copy of an open event's credential list, if it has one (after
/// registration the list is the last shuffle's, and the open event carries none).
pub fn insert_credential_list(conn: &Connection, idx: u64, list: &Option<CredentialList>) -> Result<(), BoardError> {
    let Some(list) = list else { return Ok(()) };
    let bytes: Vec<u8> = list.iter().flatten().copied().collect();
    conn.prepare_cached("INSERT OR REPLACE INTO credential_lists (idx, list) VALUES (?1, ?2)")?
        .execute(params![clamp(idx), bytes])?;
    Ok(())
}

/// The binary copy of the credential list of the open event at `idx`, if stored.
pub fn stored_credential_list(conn: &Connection, idx: u64) -> Result<Option<Vec<u8>>, BoardError> {
    Ok(conn
        .prepare_cached("SELECT list FROM credential_lists WHERE idx = ?1")?
        .query_row([clamp(idx)], |r| r.get(0))
        .optional()?)
}

/// The open event at `idx`, its credential list taken from the binary copy when there is one.
/// The leaf is canonical JSON (keys sorted), so the list is the array right after the prefix
/// below, and hex digits hold no `]`: the rest of the event is parsed with an empty list in its
/// place. Without a copy, or if the leaf has another shape, the whole leaf is parsed.
fn open_event(conn: &Connection, idx: u64, leaf: &str) -> Result<Event, BoardError> {
    const PREFIX: &str = r#"{"kind":"open","payload":{"credentials":["#;
    if let (Some(list), Some(rest)) = (stored_credential_list(conn, idx)?, leaf.strip_prefix(PREFIX))
        && let (Some(end), 0) = (rest.find(']'), list.len() % 32)
    {
        let spliced = format!("{PREFIX}]{}", &rest[end + 1..]);
        if let Ok(Event::Open(mut open)) = serde_json::from_str::<Event>(&spliced) {
            let entries = list.chunks_exact(32).map(|c| c.try_into().expect("32 bytes")).collect();
            open.credentials = Some(CredentialList::from_checked_encodings(entries));
            return Ok(Event::Open(open));
        }
    }
    serde_json::from_str(leaf)
        .map_err(|e| BoardError::Storage { path: DB_FILE.into(), reason: format!("event {idx}: {e}") })
}

/// The ciphertext digests of the challenged ballots the board holds until close.
pub fn held_digests(dir: &Path, conn: &Connection) -> Result<std::collections::HashSet<[u8; 32]>, BoardError> {
    let mut stmt = conn.prepare("SELECT digest FROM challenged")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    rows.map(|r| r?.try_into().map_err(|_| storage(dir, "a held challenged ballot's digest is not 32 bytes"))).collect()
}
