//! Reading a board without being its writer: no lock, no key, a read-only connection of its
//! own. WAL lets it read the last committed state while the writer goes on appending, and
//! the writer never waits for it. Status, export, `board check`, the server's GET requests,
//! trustees and voters reading the election read through it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rusqlite::Connection;

use super::BoardError;
use super::schema::{self, StoredNodes, StoredState, storage};
use crate::election::params::ElectionParams;
use crate::election::tally::{EncryptedTally, TallyAccumulator};
use crate::log::checkpoint::{Checkpoint, Cosignature};
use crate::log::event::cast_ciphertexts;
use crate::log::merkle::{self, Hash};

/// A read-only view of a board's stored log and state.
pub struct LogReader {
    dir: PathBuf,
    conn: Connection,
}

impl LogReader {
    pub fn open(dir: &Path) -> Result<LogReader, BoardError> {
        Ok(LogReader { dir: dir.to_path_buf(), conn: schema::open_reader(dir)? })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of events committed now.
    pub fn size(&self) -> Result<u64, BoardError> {
        schema::size(&self.conn)
    }

    /// The stored state at this moment (one read transaction): phase, ceremony, parameters,
    /// counts, the tree's size and root, the latest checkpoint. Its key indexes look their
    /// tables up on a read-only connection of their own.
    pub fn state(&self) -> Result<StoredState, BoardError> {
        let keys: Arc<Mutex<Connection>> = schema::key_connection(&self.dir)?;
        schema::load(&self.dir, &self.conn, &keys)
    }

    /// How many challenged ballots the board holds, to publish at close.
    pub fn held_challenged(&self) -> Result<u64, BoardError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM challenged", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Calls `f` with every event in `[start, end)`, in order.
    pub fn for_each_leaf(
        &self,
        start: u64,
        end: u64,
        f: impl FnMut(u64, &str) -> Result<(), BoardError>,
    ) -> Result<(), BoardError> {
        schema::each_leaf(&self.conn, start, end, f)
    }

    /// Events `[start, end)` as a JSON array of their stored leaves (canonical JSON, verbatim).
    pub fn entries_json(&self, start: u64, end: u64) -> Result<String, BoardError> {
        let mut out = String::from("[");
        self.for_each_leaf(start, end, |idx, leaf| {
            if idx > start {
                out.push(',');
            }
            out.push_str(leaf);
            Ok(())
        })?;
        out.push(']');
        Ok(out)
    }

    /// The checkpoint the board signed at `size`, found by its key.
    pub fn checkpoint_at(&self, size: u64) -> Result<Option<Checkpoint>, BoardError> {
        schema::checkpoint_at(&self.conn, size)
    }

    pub fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, BoardError> {
        schema::latest_checkpoint(&self.conn)
    }

    /// Every checkpoint of size at most `size` as stored (canonical JSON), by size.
    pub fn each_checkpoint(&self, size: u64, f: impl FnMut(&str) -> Result<(), BoardError>) -> Result<(), BoardError> {
        schema::each_checkpoint(&self.conn, size, f)
    }

    /// Every co-signature of a size at most `size` as stored, by size then witness.
    pub fn each_cosignature(&self, size: u64, f: impl FnMut(&str) -> Result<(), BoardError>) -> Result<(), BoardError> {
        schema::each_cosignature(&self.conn, size, f)
    }

    /// Co-signatures, of one size or all.
    pub fn cosignatures(&self, size: Option<u64>) -> Result<Vec<Cosignature>, BoardError> {
        schema::cosignatures(&self.conn, size)
    }

    fn within(&self, size: u64) -> Result<(), BoardError> {
        let len = self.size()?;
        if size > len {
            return Err(merkle::MerkleError::SizeOutOfRange { size, len }.into());
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

    /// The encrypted tally of the counted ballots, as the tallier computes it.
    pub fn compute_tally(&self, params: &ElectionParams) -> Result<EncryptedTally, BoardError> {
        compute_tally(&self.dir, &self.conn, params)
    }

    /// Writes the election record, at the latest checkpoint, to `out`; the number of events.
    pub fn export(&self, out: &Path) -> Result<u64, BoardError> {
        export(&self.dir, &self.conn, out)
    }
}

/// The encrypted tally of the counted ballots (the last cast ballot of each credential),
/// streamed from storage in chunks, each parsed and summed in parallel: memory stays flat
/// in the number of ballots.
pub(super) fn compute_tally(
    dir: &Path,
    conn: &Connection,
    params: &ElectionParams,
) -> Result<EncryptedTally, BoardError> {
    const CHUNK: usize = 4096;
    let mut counted: Vec<u64> = conn
        .prepare("SELECT value FROM last_cast")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .map(|v| v.map(|v| v as u64))
        .collect::<Result<_, _>>()?;
    counted.sort_unstable();
    let size = schema::size(conn)?;
    let manifest = &params.manifest;
    let sum_chunk = |leaves: &[String]| {
        leaves
            .par_iter()
            .try_fold(
                || TallyAccumulator::new(manifest),
                |mut acc, leaf| {
                    let cast = cast_ciphertexts(leaf).map_err(|e| storage(dir, format!("a counted event: {e}")))?;
                    acc.add_cast(&cast).map_err(|e| storage(dir, format!("a counted event: {e}")))?;
                    Ok::<_, BoardError>(acc)
                },
            )
            .try_reduce(|| TallyAccumulator::new(manifest), |a, b| Ok(a.merge(&b)))
    };
    let mut sum = TallyAccumulator::new(manifest);
    let mut next = counted.iter().peekable();
    let mut leaves = Vec::with_capacity(CHUNK);
    schema::each_leaf(conn, counted.first().copied().unwrap_or(size), size, |idx, leaf| {
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
    if next.next().is_some() {
        return Err(storage(dir, "a counted ballot's index is beyond the log; run `dauys board check`"));
    }
    let sum = sum.merge(&sum_chunk(&leaves)?);
    Ok(sum.finish())
}

/// The record at the latest checkpoint, read in one transaction: events, checkpoints and
/// co-signatures up to its size. Returns the number of events.
pub(super) fn export(dir: &Path, conn: &Connection, out: &Path) -> Result<u64, BoardError> {
    conn.execute_batch("BEGIN")?;
    let written = export_in(dir, conn, out);
    conn.execute_batch("COMMIT")?;
    written
}

fn export_in(dir: &Path, conn: &Connection, out: &Path) -> Result<u64, BoardError> {
    let latest = schema::latest_checkpoint(conn)?.ok_or_else(|| storage(dir, "nothing has been signed yet"))?;
    let io = |e: std::io::Error| BoardError::Io(format!("{}: {e}", out.display()));
    let mut cosignatures = String::new();
    schema::each_cosignature(conn, latest.size, |line| {
        cosignatures.push_str(line);
        cosignatures.push('\n');
        Ok(())
    })?;
    let checkpoints: Vec<Checkpoint> =
        schema::checkpoints(conn)?.into_iter().filter(|c| c.size <= latest.size).collect();
    std::fs::create_dir_all(out).map_err(io)?;
    std::fs::write(out.join(crate::log::record::COSIGNATURES_FILE), cosignatures).map_err(io)?;
    crate::log::record::write(
        out,
        &latest,
        |emit| {
            let mut n = 0;
            schema::each_leaf(conn, 0, latest.size, |_, leaf| {
                n += 1;
                emit(leaf).map_err(|e| BoardError::Io(e.to_string()))
            })
            .map_err(|e| std::io::Error::other(e.to_string()))?;
            Ok(n)
        },
        &checkpoints,
    )
    .map_err(io)?;
    Ok(latest.size)
}
