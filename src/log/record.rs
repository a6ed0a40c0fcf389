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

use sha2::{Digest, Sha256};

use super::checkpoint::Checkpoint;
use super::merkle::Hash;

pub const FORMAT: &str = "dauys-record";
pub const VERSION: u32 = 1;
pub const HEADER_FILE: &str = "record.json";
pub const EVENTS_FILE: &str = "events.jsonl";
pub const CHECKPOINTS_FILE: &str = "checkpoints.jsonl";
pub const COSIGNATURES_FILE: &str = "cosignatures.jsonl";

/// The longest event line a reader accepts. The longest line is the `open` event, whose
/// credential list takes 67 bytes per voter: 1 GiB holds a list of 16 million.
pub const MAX_LINE: usize = 1 << 30;
/// The most bytes `record.json` may hold (a canonical header takes about 330).
pub const MAX_HEADER: u64 = 4096;
/// The most bytes of a line of `checkpoints.jsonl` or `cosignatures.jsonl`, without its
/// newline (a canonical checkpoint takes about 280, a co-signature about 360).
pub const MAX_SMALL_LINE: u64 = 4096;
/// The events reader's buffer.
const READ_BUFFER: usize = 1 << 20;

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

/// Opens a record file for reading, as a regular file and without blocking: a FIFO, a device
/// (such as a symlink to `/dev/zero`) or a directory is refused with the file named, before
/// anything is read from it.
pub fn open_regular(path: &Path) -> Result<File, RecordError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO without O_NONBLOCK waits for a writer; with it, the open returns at once
    // and the type check below refuses the file.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| unreadable(path, e))?;
    // The type of what was opened (not of the path, which could change in between).
    let meta = file.metadata().map_err(|e| unreadable(path, e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a directory" } else { "not a regular file (a FIFO, a device or a socket)" };
        return Err(unreadable(path, format!("{what}: a record file must be a regular file")));
    }
    Ok(file)
}

/// A whole file of at most `max` bytes, as UTF-8.
pub fn read_bounded(path: &Path, max: u64) -> Result<String, RecordError> {
    let mut bytes = Vec::new();
    open_regular(path)?.take(max + 1).read_to_end(&mut bytes).map_err(|e| unreadable(path, e))?;
    if bytes.len() as u64 > max {
        return Err(unreadable(path, format!("longer than {max} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| unreadable(path, "not UTF-8"))
}

/// Calls `f` with each line of a file of small lines (`(line number from 1, line)`, without
/// the newline), each at most `max_line` bytes; the last line must end with `\n`.
fn for_each_line(
    path: &Path,
    max_line: u64,
    mut f: impl FnMut(usize, &str) -> Result<(), RecordError>,
) -> Result<(), RecordError> {
    let mut reader = BufReader::new(open_regular(path)?);
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let read = reader.by_ref().take(max_line + 1).read_until(b'\n', &mut line).map_err(|e| unreadable(path, e))?;
        if read == 0 {
            break;
        }
        if line.pop() != Some(b'\n') {
            return Err(unreadable(
                path,
                if line.len() as u64 > max_line {
                    format!("line {number} is longer than {max_line} bytes")
                } else {
                    "the last line is unterminated".to_string()
                },
            ));
        }
        let text = std::str::from_utf8(&line).map_err(|_| unreadable(path, format!("line {number} is not UTF-8")))?;
        f(number, text)?;
    }
    Ok(())
}

/// Reads and checks the header: the format name and a version this reader knows.
pub fn read_header(dir: &Path) -> Result<RecordHeader, RecordError> {
    read_header_with_form(dir).map(|(h, _)| h)
}

/// The header, and whether `record.json` is exactly its canonical form and one `\n`.
pub fn read_header_with_form(dir: &Path) -> Result<(RecordHeader, bool), RecordError> {
    let path = dir.join(HEADER_FILE);
    let text = read_bounded(&path, MAX_HEADER)?;
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
    let canonical = text.strip_suffix('\n').is_some_and(|line| super::is_canonical(&header, line));
    Ok((header, canonical))
}

/// The event lines, streamed: `(index, line)` without the newline, each up to [`MAX_LINE`]
/// bytes (for readers that trust the record's size; the verifier bounds each line by its kind
/// with [`EventReader`]).
pub fn events(dir: &Path) -> Result<impl Iterator<Item = Result<(u64, String), RecordError>>, RecordError> {
    let mut reader = EventReader::open(dir)?;
    Ok(std::iter::from_fn(move || match reader.next_line(|_| MAX_LINE as u64) {
        Ok(None) => None,
        Ok(Some(EventLine { index, body: LineBody::Text(text), .. })) => Some(Ok((index, text))),
        Ok(Some(EventLine { index, .. })) => {
            Some(Err(unreadable(&reader.path, format!("line {} is longer than {MAX_LINE} bytes", index + 1))))
        }
        Err(e) => Some(Err(e)),
    }))
}

/// One line of `events.jsonl` as [`EventReader`] gives it.
#[derive(Debug)]
pub struct EventLine {
    /// The event's log index (the line number less one).
    pub index: u64,
    /// The line's length in bytes, without its newline.
    pub len: u64,
    /// The kind its first bytes name, if they are the canonical beginning of an event
    /// (`{"kind":"KIND"`); a line that does not begin so is never canonical.
    pub kind: Option<&'static str>,
    pub body: LineBody,
}

#[derive(Debug)]
pub enum LineBody {
    /// The line, within the bound for its kind.
    Text(String),
    /// The line is longer than `bound`: it was hashed as it was read, and not kept.
    Oversized { bound: u64, leaf_hash: Hash },
}

/// The first bytes read of every line, enough to name its kind.
const KIND_PREFIX: u64 = 32;

/// Reads `events.jsonl` line by line, keeping each line only up to the bound its kind allows
/// (`next_line`'s `bound`); a longer line is hashed as it streams by and reported as
/// oversized, so no line costs more memory than its bound.
pub struct EventReader {
    path: std::path::PathBuf,
    reader: BufReader<File>,
    index: u64,
}

impl EventReader {
    pub fn open(dir: &Path) -> Result<Self, RecordError> {
        let path = dir.join(EVENTS_FILE);
        let file = open_regular(&path)?;
        Ok(EventReader { reader: BufReader::with_capacity(READ_BUFFER, file), path, index: 0 })
    }

    /// Skips the next line, neither kept nor hashed; `false` at the end of the file.
    pub fn skip_line(&mut self) -> Result<bool, RecordError> {
        let number = self.index + 1;
        let mut len = 0u64;
        loop {
            let buf = self.reader.fill_buf().map_err(|e| unreadable(&self.path, format!("line {number}: {e}")))?;
            if buf.is_empty() {
                return if len == 0 {
                    Ok(false)
                } else {
                    Err(unreadable(&self.path, format!("line {number} is unterminated")))
                };
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.reader.consume(i + 1);
                    self.index += 1;
                    return Ok(true);
                }
                None => {
                    let n = buf.len();
                    self.reader.consume(n);
                    len += n as u64;
                    if len > MAX_LINE as u64 {
                        return Err(unreadable(&self.path, format!("line {number} is longer than {MAX_LINE} bytes")));
                    }
                }
            }
        }
    }

    /// The next line, or `None` at the end of the file. `bound(kind)` is the most bytes a line
    /// of that kind is kept for (at most [`MAX_LINE`]); `None` stands for a line that does not
    /// begin as an event does.
    pub fn next_line(&mut self, bound: impl Fn(Option<&'static str>) -> u64) -> Result<Option<EventLine>, RecordError> {
        let index = self.index;
        let number = index + 1;
        let mut kept = Vec::new();
        let io = |e: std::io::Error| unreadable(&self.path, format!("line {number}: {e}"));
        let read = self.reader.by_ref().take(KIND_PREFIX).read_until(b'\n', &mut kept).map_err(io)?;
        if read == 0 {
            return Ok(None);
        }
        let kind = super::event::kind_of_line(&kept);
        let bound = bound(kind).min(MAX_LINE as u64);
        let mut done = kept.last() == Some(&b'\n');
        if !done && (kept.len() as u64) <= bound {
            let room = bound + 1 - kept.len() as u64;
            self.reader.by_ref().take(room).read_until(b'\n', &mut kept).map_err(io)?;
            done = kept.last() == Some(&b'\n');
        }
        if done {
            kept.pop();
        }
        self.index += 1;
        if done && kept.len() as u64 <= bound {
            let len = kept.len() as u64;
            let text =
                String::from_utf8(kept).map_err(|_| unreadable(&self.path, format!("line {number} is not UTF-8")))?;
            return Ok(Some(EventLine { index, len, kind, body: LineBody::Text(text) }));
        }
        // Longer than its bound: hash the rest as it streams by.
        let mut hasher = Sha256::new();
        hasher.update([0u8]);
        hasher.update(&kept);
        let mut len = kept.len() as u64;
        drop(kept);
        while !done {
            let buf = self.reader.fill_buf().map_err(|e| unreadable(&self.path, format!("line {number}: {e}")))?;
            if buf.is_empty() {
                return Err(unreadable(&self.path, format!("line {number} is unterminated")));
            }
            let (part, newline) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            hasher.update(part);
            len += part.len() as u64;
            let consumed = part.len() + usize::from(newline);
            self.reader.consume(consumed);
            done = newline;
            if len > MAX_LINE as u64 {
                return Err(unreadable(&self.path, format!("line {number} is longer than {MAX_LINE} bytes")));
            }
        }
        let body = LineBody::Oversized { bound, leaf_hash: hasher.finalize().into() };
        Ok(Some(EventLine { index, len, kind, body }))
    }
}

/// Every checkpoint of the record.
pub fn checkpoints(dir: &Path) -> Result<Vec<Checkpoint>, RecordError> {
    Ok(checkpoints_with_form(dir)?.into_iter().map(|(c, _)| c).collect())
}

/// Every checkpoint, each with whether its line is exactly its canonical form.
pub fn checkpoints_with_form(dir: &Path) -> Result<Vec<(Checkpoint, bool)>, RecordError> {
    let path = dir.join(CHECKPOINTS_FILE);
    let mut out = Vec::new();
    for_each_line(&path, MAX_SMALL_LINE, |number, line| {
        let c: Checkpoint = serde_json::from_str(line).map_err(|e| unreadable(&path, format!("line {number}: {e}")))?;
        let canonical = super::is_canonical(&c, line);
        out.push((c, canonical));
        Ok(())
    })?;
    Ok(out)
}

/// The witnesses' co-signatures of the record (`cosignatures.jsonl`, one per line); none if the
/// file is absent.
pub fn cosignatures(dir: &Path) -> Result<Vec<super::checkpoint::Cosignature>, RecordError> {
    let path = dir.join(COSIGNATURES_FILE);
    if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    for_each_line(&path, MAX_SMALL_LINE, |number, line| {
        out.push(serde_json::from_str(line).map_err(|e| unreadable(&path, format!("line {number}: {e}")))?);
        Ok(())
    })?;
    Ok(out)
}
