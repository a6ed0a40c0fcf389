//! The verifier's memory bound (`specs/verifier.md` §2): what a record can make it hold, as a
//! formula in what the record contains. Tests run the verifier on hostile records under this
//! bound (a child process under `RLIMIT_AS`, and an in-process fuzzer counting allocations).

use std::path::Path;

use super::engine::CHUNK_BYTES;
use crate::crypto::threshold::MAX_TRUSTEES;
use crate::election::manifest::MAX_BALLOT_OPTIONS;
use crate::log::bounds::LineBounds;
use crate::log::event::Event;
use crate::log::record::{self, EventReader, LineBody, RecordError};

/// What the bound depends on, read from a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Workload {
    /// L: the longest line bound of any kind but `open`, `roll` and `shuffle`, for the record's manifest (or for
    /// the largest manifest, when the record has no valid one).
    pub longest_line: u64,
    /// L_open: the longest `open` line in the record (at most `MAX_LINE`).
    pub longest_open: u64,
    /// L_roll: the longest `roll` line in the record (at most `MAX_LINE`).
    pub longest_roll: u64,
    /// L_shuffle: the longest `shuffle` line in the record (at most `MAX_LINE`).
    pub longest_shuffle: u64,
    /// G: `registration` lines.
    pub registrations: u64,
    /// B: `cast` lines.
    pub cast: u64,
    /// S: `spoiled` lines.
    pub spoiled: u64,
    /// R: `ready` lines (each kept at most once, with the verification key it was checked
    /// against).
    pub ready: u64,
    /// K: lines of `checkpoints.jsonl` and `cosignatures.jsonl`.
    pub checkpoints: u64,
    /// n, t and W from the manifest (255, 255 and 1024 without a valid one).
    pub trustees: u64,
    pub threshold: u64,
    pub options: u64,
}

/// Fixed: buffers, the parsed manifest and the verifier's own tables.
pub const BASE: u64 = 32 << 20;

/// The most heap memory, in bytes, the verifier uses on a record with this workload:
///
/// ```text
/// M = 32 MiB + 8·(CHUNK_BYTES + L) + 3·L_open + 3·L_roll + 16·L_shuffle + 512·G + 1024·B
///     + 256·S + 1024·R + 2048·K + 3072·n² + 2048·t·W
/// ```
///
/// A shuffle line of `N` credentials is about `402·N` bytes; checking it holds the line, the
/// parsed event, the input list and `N` decompressed points of each of five lists with their
/// multi-scalar multiplication, which `16·L_shuffle` covers.
pub fn memory_bound(w: &Workload) -> u64 {
    BASE + 8 * (CHUNK_BYTES + w.longest_line)
        + 3 * w.longest_open
        + 3 * w.longest_roll
        + 16 * w.longest_shuffle
        + 512 * w.registrations
        + 1024 * w.cast
        + 256 * w.spoiled
        + 1024 * w.ready
        + 2048 * w.checkpoints
        + 3072 * w.trustees * w.trustees
        + 2048 * w.threshold * w.options
}

impl Workload {
    /// Reads the workload of the record in `dir` (one pass over its lines, none kept beyond
    /// the first, which is parsed if it is a setup event).
    pub fn of_record(dir: &Path) -> Result<Workload, RecordError> {
        let mut w = Workload {
            trustees: u64::from(MAX_TRUSTEES),
            threshold: u64::from(MAX_TRUSTEES),
            options: MAX_BALLOT_OPTIONS as u64,
            ..Default::default()
        };
        let mut bounds = LineBounds::without_manifest();
        let mut reader = EventReader::open(dir)?;
        let setup_bound = bounds.setup;
        let first_bound = |kind: Option<&str>| if kind == Some("setup") { setup_bound } else { 0 };
        let mut first = true;
        while let Some(line) = reader.next_line(|kind| if first { first_bound(kind) } else { 0 })? {
            if first {
                if let LineBody::Text(text) = &line.body
                    && let Ok(Event::Setup(s)) = serde_json::from_str::<Event>(text)
                    && s.manifest.validate().is_ok()
                {
                    bounds = LineBounds::for_manifest(&s.manifest);
                    w.trustees = u64::from(s.manifest.trustees.count);
                    w.threshold = u64::from(s.manifest.trustees.threshold);
                    w.options = s.manifest.ballot_width() as u64;
                }
                first = false;
            }
            match line.kind {
                Some("cast") => w.cast += 1,
                Some("spoiled") => w.spoiled += 1,
                Some("ready") => w.ready += 1,
                Some("open") => w.longest_open = w.longest_open.max(line.len),
                Some("roll") => w.longest_roll = w.longest_roll.max(line.len),
                Some("shuffle") => w.longest_shuffle = w.longest_shuffle.max(line.len),
                Some("registration") => w.registrations += 1,
                _ => {}
            }
        }
        w.longest_line = bounds.longest_but_lists();
        for file in [record::CHECKPOINTS_FILE, record::COSIGNATURES_FILE] {
            if let Ok(mut f) = record::open_regular(&dir.join(file)) {
                let mut buf = vec![0u8; 1 << 16];
                while let Ok(n @ 1..) = std::io::Read::read(&mut f, &mut buf) {
                    w.checkpoints += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
                }
            }
        }
        Ok(w)
    }
}
