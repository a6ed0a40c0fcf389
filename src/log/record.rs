//! The published election record: a directory an observer downloads and verifies.
//!
//! ```text
//! RECORD/record.json        {"checkpoint": the final signed checkpoint, "format": "dauys-record",
//!                            "size": number of events, "version": 1}
//! RECORD/events.jsonl       the log: one event per line, each line exactly its leaf data
//!                           (canonical JSON), in log order
//! RECORD/checkpoints.jsonl  every checkpoint the board signed, by increasing size
//! ```
//!
//! Lines end with `\n`. Everything the verifier needs is here: the manifest and board key
//! (setup event), the key ceremony, the credential list, every ballot, the tally, the
//! decryptions and the result. Nothing in it identifies a voter.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::checkpoint::Checkpoint;

pub const FORMAT: &str = "dauys-record";
pub const VERSION: u32 = 1;
pub const HEADER_FILE: &str = "record.json";
pub const EVENTS_FILE: &str = "events.jsonl";
pub const CHECKPOINTS_FILE: &str = "checkpoints.jsonl";
pub const COSIGNATURES_FILE: &str = "cosignatures.jsonl";

/// The longest event line a reader accepts. The longest line is the `open` event, whose
/// credential list takes 67 bytes per voter: 1 GiB holds a list of 16 million.
pub const MAX_LINE: usize = 1 << 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordHeader {
    pub checkpoint: Checkpoint,
    pub format: String,
    pub size: u64,
    pub version: u32,
}

/// Why a record cannot be read at all (as opposed to read and found wrong).
#[derive(Debug, Error)]
pub enum RecordError {
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
}

fn unreadable(path: &Path, reason: impl std::fmt::Display) -> RecordError {
    RecordError::Unreadable { path: path.display().to_string(), reason: reason.to_string() }
}

/// Writes a record to `dir` (created if needed): the header, then the leaves as they come.
pub fn write(
    dir: &Path,
    final_checkpoint: &Checkpoint,
    leaves: impl FnOnce(&mut dyn FnMut(&str) -> std::io::Result<()>) -> std::io::Result<u64>,
    checkpoints: &[Checkpoint],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut events = BufWriter::new(File::create(dir.join(EVENTS_FILE))?);
    let size = leaves(&mut |leaf: &str| {
        events.write_all(leaf.as_bytes())?;
        events.write_all(b"\n")
    })?;
    events.flush()?;
    let mut cps = BufWriter::new(File::create(dir.join(CHECKPOINTS_FILE))?);
    for c in checkpoints {
        serde_json::to_writer(&mut cps, c)?;
        cps.write_all(b"\n")?;
    }
    cps.flush()?;
    std::fs::write(dir.join(HEADER_FILE), header_line(final_checkpoint, size))
}

/// `record.json`'s one line, for a record of `size` events whose final checkpoint is given.
pub fn header_line(final_checkpoint: &Checkpoint, size: u64) -> String {
    let header = RecordHeader { checkpoint: final_checkpoint.clone(), format: FORMAT.into(), size, version: VERSION };
    serde_json::to_string(&header).expect("headers serialize") + "\n"
}

/// Reads and checks the header: the format name and a version this reader knows.
pub fn read_header(dir: &Path) -> Result<RecordHeader, RecordError> {
    let path = dir.join(HEADER_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let header: RecordHeader = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| unreadable(&path, format!("{}: {}", e.path(), e.inner())))?;
    de.end().map_err(|e| unreadable(&path, e))?;
    if header.format != FORMAT {
        return Err(unreadable(&path, format!("format {:?} is not {FORMAT:?}", header.format)));
    }
    if header.version != VERSION {
        return Err(unreadable(
            &path,
            format!("record version {} is not supported (this verifier reads {VERSION})", header.version),
        ));
    }
    Ok(header)
}

/// The event lines, streamed: `(index, line)` without the newline.
pub fn events(dir: &Path) -> Result<impl Iterator<Item = Result<(u64, String), RecordError>>, RecordError> {
    let path = dir.join(EVENTS_FILE);
    let file = File::open(&path).map_err(|e| unreadable(&path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut index = 0u64;
    Ok(std::iter::from_fn(move || {
        let mut line = String::new();
        match reader.by_ref().take(MAX_LINE as u64 + 1).read_line(&mut line) {
            Ok(0) => None,
            Ok(_) if !line.ends_with('\n') => Some(Err(unreadable(
                &path,
                format!("line {} is unterminated or longer than {MAX_LINE} bytes", index + 1),
            ))),
            Ok(_) => {
                line.pop();
                index += 1;
                Some(Ok((index - 1, line)))
            }
            Err(e) => Some(Err(unreadable(&path, format!("line {}: {e}", index + 1)))),
        }
    }))
}

/// Every checkpoint of the record.
pub fn checkpoints(dir: &Path) -> Result<Vec<Checkpoint>, RecordError> {
    Ok(checkpoints_with_form(dir)?.into_iter().map(|(c, _)| c).collect())
}

/// Every checkpoint, each with whether its line is exactly its canonical form.
pub fn checkpoints_with_form(dir: &Path) -> Result<Vec<(Checkpoint, bool)>, RecordError> {
    let path = dir.join(CHECKPOINTS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(unreadable(&path, "the last line is unterminated"));
    }
    text.split_terminator('\n')
        .enumerate()
        .map(|(i, line)| {
            let c: Checkpoint =
                serde_json::from_str(line).map_err(|e| unreadable(&path, format!("line {}: {e}", i + 1)))?;
            let canonical = super::is_canonical(&c, line);
            Ok((c, canonical))
        })
        .collect()
}

/// Whether `record.json` is exactly the canonical form of `header`, one line.
pub fn header_is_canonical(dir: &Path, header: &RecordHeader) -> bool {
    let text = std::fs::read_to_string(dir.join(HEADER_FILE)).unwrap_or_default();
    serde_json::to_string(header).is_ok_and(|t| text == t + "\n")
}

/// The witnesses' co-signatures of the record (`cosignatures.jsonl`, one per line); none if the
/// file is absent.
pub fn cosignatures(dir: &Path) -> Result<Vec<super::checkpoint::Cosignature>, RecordError> {
    let path = dir.join(COSIGNATURES_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(unreadable(&path, e)),
    };
    text.split_terminator('\n')
        .enumerate()
        .map(|(i, line)| serde_json::from_str(line).map_err(|e| unreadable(&path, format!("line {}: {e}", i + 1))))
        .collect()
}
