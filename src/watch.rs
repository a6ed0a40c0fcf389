//! Getting and following a record from a board: the one part of `dauys-verify` that talks to
//! the network (record verification, `src/verify`, does not).
//!
//! * [`fetch`] (`dauys-verify fetch`) downloads one signed snapshot of the record, streamed to
//!   disk with a bound on every file, and checks it is the snapshot the board signed.
//! * [`Watcher`] (`dauys-verify watch`) follows the board while voting is open: every
//!   checkpoint must be signed by it and extend the last one seen, the new events must have
//!   the checkpoint's Merkle root, and every new ballot is verified by the verifier's own
//!   engine; with a witness key, the watcher co-signs each checkpoint it has checked. Its
//!   state (the verified events and what they established) lets it resume, and lets the final
//!   verification skip the proofs it already verified (`specs/verifier.md` §6).

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

use crate::board::client::BoardClient;
use crate::crypto::group::{Element, Fingerprint, SecretScalar, hex32, to_hex};
use crate::election::manifest::{Lang, Manifest};
use crate::locale::Words;
use crate::log::checkpoint::{Checkpoint, Cosignature};
use crate::log::merkle::{Frontier, leaf_hash, verify_consistency};
use crate::log::record::{
    self, CHECKPOINTS_FILE, COSIGNATURES_FILE, EVENTS_FILE, HEADER_FILE, MAX_HEADER, MAX_LINE, MAX_SMALL_LINE,
};
use crate::verify::{Check, Options, Proven, Report, verify};

/// The most bytes of `cosignatures.jsonl` a fetch accepts (its lines are at most
/// [`MAX_SMALL_LINE`]; there is one per witness and checkpoint it co-signed).
pub const MAX_COSIGNATURES: u64 = 256 << 20;
/// The most events one `GET /entries` asks for (the board serves at most 1,000).
const PAGE: u64 = 1000;
/// The most bytes of one `GET /entries` answer of several events; a page that is larger is
/// asked for again in halves, down to one event, whose bound is [`MAX_LINE`].
const MAX_PAGE_BYTES: u64 = 64 << 20;
/// The most bytes of the board's answer to `GET /checkpoint`, `/record` or
/// `/proof/consistency` (a checkpoint is at most [`MAX_SMALL_LINE`], a proof 64 hashes).
const MAX_ANSWER: u64 = 64 << 10;
/// The most bytes of `GET /election` (its manifest within the manifest's limits).
const MAX_ELECTION: u64 = MAX_PAGE_BYTES;

/// What a fetch or a watcher found wrong: a message of `locales/*/watch.ftl`, its arguments,
/// and whose fault it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
    /// The board showed something it should not have (exit 1); otherwise the record, the
    /// board or a file could not be read or written (exit 2).
    pub board_at_fault: bool,
}

/// An argument of a message: numbers select plural forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Number(u64),
    Text(String),
}

impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(n)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}

impl Problem {
    fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Problem { id, args, board_at_fault: false }
    }

    /// The board is to blame.
    fn board(id: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Problem { id, args, board_at_fault: true }
    }

    /// A request to the board (or its answer) failed.
    fn unreachable(url: String, reason: impl std::fmt::Display) -> Self {
        Problem::new("watch-error-board", vec![("url", url.into()), ("reason", reason.to_string().into())])
    }

    /// A file of this machine could not be read or written.
    fn file(path: &Path, reason: impl std::fmt::Display) -> Self {
        Problem::new(
            "watch-error-file",
            vec![("file", path.display().to_string().into()), ("reason", reason.to_string().into())],
        )
    }

    /// The file or URL the problem is about, for the JSON error object.
    pub fn subject(&self) -> Option<String> {
        self.args.iter().find(|(k, _)| matches!(*k, "file" | "url")).map(|(_, v)| match v {
            Arg::Text(t) => t.clone(),
            Arg::Number(n) => n.to_string(),
        })
    }

    /// The message, in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        say(lang, self.id, &self.args)
    }
}

/// Message `id` of `locales/*/watch.ftl` in `lang`, with its arguments.
pub fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let args: Vec<(&str, FluentValue<'_>)> = args
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(t) => FluentValue::from(t.as_str()),
            };
            (*k, v)
        })
        .collect();
    Words::of(lang).with(id, &args)
}

/// `GET path` as JSON, its body read within `limit` bytes: a board cannot make a watcher or a
/// fetch hold more, whatever it sends (or says it sends).
fn get_json(client: &BoardClient, path: &str, limit: u64) -> Result<serde_json::Value, Problem> {
    let url = format!("{}{path}", client.base());
    let (status, body) = client.get_reader(path).map_err(|e| Problem::unreachable(url.clone(), e))?;
    let mut bytes = Vec::new();
    body.take(limit + 1).read_to_end(&mut bytes).map_err(|e| Problem::unreachable(url.clone(), e))?;
    if bytes.len() as u64 > limit {
        return Err(Problem::board(
            "fetch-error-too-large",
            vec![("url", url.into()), ("line", limit.into()), ("lines", 1u64.into())],
        ));
    }
    if status != 200 {
        return Err(Problem::unreachable(url, format!("HTTP {status}: {}", String::from_utf8_lossy(&bytes))));
    }
    serde_json::from_slice(&bytes).map_err(|e| Problem::unreachable(url, e))
}

/// The board's setup fingerprint and key, from `GET /election`.
fn board_identity(client: &BoardClient) -> Result<(Fingerprint, Element), Problem> {
    let url = format!("{}/election", client.base());
    let e = get_json(client, "/election", MAX_ELECTION)?;
    let manifest: Manifest =
        serde_json::from_value(e["manifest"].clone()).map_err(|e| Problem::unreachable(url.clone(), e))?;
    let board_key: Element =
        serde_json::from_value(e["board_key"].clone()).map_err(|e| Problem::unreachable(url, e))?;
    Ok((manifest.setup_fingerprint(), board_key))
}

/// What [`fetch`] brought: the snapshot's signed checkpoint.
pub struct Fetched {
    pub checkpoint: Checkpoint,
}

/// Downloads the board's latest signed snapshot of the record into `dir` (which must not
/// exist, or be empty). Every file is streamed to disk within its bound; the header must hold
/// the board's signed checkpoint of the snapshot's size, and the events must be exactly that
/// many and have its Merkle root, so that files fetched in separate requests while the board
/// grows are one snapshot. The files are written to a temporary directory beside `dir` and
/// renamed into place: a failed fetch leaves nothing.
pub fn fetch(url: &str, ca: Option<&Path>, dir: &Path, wait: Duration) -> Result<Fetched, Problem> {
    let client =
        BoardClient::with_ca_and_wait(url, ca, Some(wait)).map_err(|e| Problem::unreachable(url.to_string(), e))?;
    let (setup, board_key) = board_identity(&client)?;
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| Problem::file(dir, e))?.next().is_some() {
        return Err(Problem::new("fetch-error-not-empty", vec![("file", dir.display().to_string().into())]));
    }
    let index_url = format!("{}/record", client.base());
    let index = get_json(&client, "/record", MAX_ANSWER)?;
    let checkpoint: Checkpoint =
        serde_json::from_value(index["checkpoint"].clone()).map_err(|e| Problem::unreachable(index_url.clone(), e))?;
    checkpoint.verify(&setup, &board_key).map_err(|e| {
        Problem::board(
            "watch-error-unsigned",
            vec![("url", index_url.clone().into()), ("reason", e.to_string().into())],
        )
    })?;
    let files: Vec<String> =
        serde_json::from_value(index["files"].clone()).map_err(|e| Problem::unreachable(index_url.clone(), e))?;
    for f in &files {
        if ![HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE, COSIGNATURES_FILE].contains(&f.as_str()) {
            return Err(Problem::board(
                "fetch-error-unknown-file",
                vec![("url", index_url.into()), ("file", f.as_str().into())],
            ));
        }
    }
    for needed in [HEADER_FILE, EVENTS_FILE, CHECKPOINTS_FILE] {
        if !files.iter().any(|f| f == needed) {
            return Err(Problem::board(
                "fetch-error-missing-file",
                vec![("url", index_url.into()), ("file", needed.into())],
            ));
        }
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "record".into());
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let partial = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| Problem::file(&partial, e))?;
    let fetched = fetch_files(&client, &checkpoint, &files, &partial).and_then(|()| {
        if dir.exists() {
            std::fs::remove_dir(dir).map_err(|e| Problem::file(dir, e))?;
        }
        std::fs::rename(&partial, dir).map_err(|e| Problem::file(dir, e))
    });
    if fetched.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    fetched.map(|()| Fetched { checkpoint })
}

/// Each file of the snapshot of `checkpoint`, streamed into `dir` and checked.
fn fetch_files(client: &BoardClient, checkpoint: &Checkpoint, files: &[String], dir: &Path) -> Result<(), Problem> {
    let size = checkpoint.size;
    for file in files {
        let path = format!("/record/{file}?size={size}");
        let url = format!("{}{path}", client.base());
        let (status, body) = client.get_reader(&path).map_err(|e| Problem::unreachable(url.clone(), e))?;
        if status != 200 {
            return Err(Problem::unreachable(url, format!("HTTP {status}")));
        }
        let target = dir.join(file);
        let out = std::fs::File::create(&target).map_err(|e| Problem::file(&target, e))?;
        let mut out = std::io::BufWriter::new(out);
        let (max_line, max_lines, max_bytes) = match file.as_str() {
            HEADER_FILE => (MAX_HEADER, 1, MAX_HEADER),
            EVENTS_FILE => (MAX_LINE as u64, size, u64::MAX),
            CHECKPOINTS_FILE => (MAX_SMALL_LINE, size + 1, u64::MAX),
            _ => (MAX_SMALL_LINE, u64::MAX, MAX_COSIGNATURES),
        };
        let mut frontier = Frontier::new();
        // The file's last line (the header's only one).
        let mut last_line = String::new();
        copy_lines(body, &url, max_line, max_lines, max_bytes, |line| {
            out.write_all(line).and_then(|()| out.write_all(b"\n")).map_err(|e| Problem::file(&target, e))?;
            if file == EVENTS_FILE {
                frontier.push(leaf_hash(line));
            } else if file == HEADER_FILE || file == CHECKPOINTS_FILE {
                last_line = String::from_utf8_lossy(line).to_string();
            }
            Ok(())
        })?;
        out.flush().map_err(|e| Problem::file(&target, e))?;
        if file == HEADER_FILE {
            let h: record::RecordHeader = serde_json::from_str(&last_line).map_err(|e| {
                Problem::board(
                    "fetch-error-header",
                    vec![("url", url.clone().into()), ("reason", e.to_string().into())],
                )
            })?;
            if h.checkpoint != *checkpoint || h.size != size {
                let reason = format!("its checkpoint is of {} events, the snapshot's of {size}", h.checkpoint.size);
                return Err(Problem::board("fetch-error-header", vec![("url", url.into()), ("reason", reason.into())]));
            }
        } else if file == CHECKPOINTS_FILE {
            // Its last line is the snapshot's checkpoint (the verifier's rule, §2): a file of
            // another moment is caught here, naming the board, rather than later.
            let last: Option<Checkpoint> = serde_json::from_str(&last_line).ok();
            if last.as_ref() != Some(checkpoint) && !(size == 0 && last_line.is_empty()) {
                let reason = match last {
                    Some(c) => format!("it ends with a checkpoint of {} events, the snapshot's is of {size}", c.size),
                    None => "it does not end with a checkpoint".to_string(),
                };
                return Err(Problem::board(
                    "fetch-error-checkpoints",
                    vec![("url", url.into()), ("reason", reason.into())],
                ));
            }
        } else if file == EVENTS_FILE && (frontier.len() != size || frontier.root() != checkpoint.root) {
            return Err(Problem::board(
                "watch-error-root",
                vec![("url", url.into()), ("size", size.into()), ("found", frontier.len().into())],
            ));
        }
    }
    Ok(())
}

/// Reads `body` line by line (each line without its `\n`), at most `max_line` bytes a line,
/// `max_lines` lines and `max_bytes` bytes in all: a board cannot make it hold or write more.
fn copy_lines(
    body: impl Read,
    url: &str,
    max_line: u64,
    max_lines: u64,
    max_bytes: u64,
    mut each: impl FnMut(&[u8]) -> Result<(), Problem>,
) -> Result<(), Problem> {
    let too_large = || {
        Problem::board(
            "fetch-error-too-large",
            vec![("url", url.into()), ("line", max_line.into()), ("lines", max_lines.into())],
        )
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, body);
    let (mut lines, mut bytes) = (0u64, 0u64);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut reader)
            .take(max_line + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| Problem::unreachable(url.to_string(), e))?;
        if n == 0 {
            return Ok(());
        }
        bytes += n as u64;
        let ended = line.last() == Some(&b'\n');
        if ended {
            line.pop();
        } else if n as u64 > max_line {
            return Err(too_large());
        }
        lines += 1;
        if lines > max_lines || bytes > max_bytes || line.len() as u64 > max_line {
            return Err(too_large());
        }
        each(&line)?;
    }
}

/// The watcher's state file (`--state FILE`), JSON. The events it verified are kept beside
/// it, in `FILE.record/` (a record directory as `dauys export` writes one, cut at
/// `checkpoint`), so that a restart neither downloads nor verifies them again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    /// `dauys-watch`.
    pub format: String,
    pub version: u32,
    /// The election this state is of: its setup fingerprint and the board's key.
    pub setup: Fingerprint,
    pub board_key: Element,
    /// The last checkpoint seen, checked.
    pub checkpoint: Option<Checkpoint>,
    /// How many of the log's events this watcher holds and has verified: 0, or the
    /// checkpoint's size.
    pub verified: u64,
    /// Among them, the events that failed their signature or proof checks (cast ballots,
    /// registrations, shuffles), by index: verified again by the final verification.
    pub refused: Vec<u64>,
}

pub const STATE_FORMAT: &str = "dauys-watch";
pub const STATE_VERSION: u32 = 1;

impl State {
    /// The state in `path`, with the events it says were verified checked against its
    /// checkpoint (`Proven` for the verifier). A file of another format is refused.
    pub fn read(path: &Path) -> Result<State, Problem> {
        let text = record::read_bounded(path, 1 << 30).map_err(|e| Problem::file(path, e))?;
        let state: State = serde_json::from_str(&text).map_err(|e| {
            Problem::new(
                "watch-error-state",
                vec![("file", path.display().to_string().into()), ("reason", e.to_string().into())],
            )
        })?;
        if state.format != STATE_FORMAT || state.version != STATE_VERSION {
            let reason = format!("not a {STATE_FORMAT} state of version {STATE_VERSION}");
            return Err(Problem::new(
                "watch-error-state",
                vec![("file", path.display().to_string().into()), ("reason", reason.into())],
            ));
        }
        let consistent = match &state.checkpoint {
            Some(c) => state.verified == 0 || state.verified == c.size,
            None => state.verified == 0,
        };
        if !consistent || !state.refused.windows(2).all(|w| w[0] < w[1]) {
            let reason = "the verified events are not those of its checkpoint";
            return Err(Problem::new(
                "watch-error-state",
                vec![("file", path.display().to_string().into()), ("reason", reason.into())],
            ));
        }
        Ok(state)
    }

    /// What the final verification may take as verified (`dauys-verify RECORD --state FILE`).
    pub fn proven(&self) -> Option<Proven> {
        let c = self.checkpoint.as_ref().filter(|_| self.verified > 0)?;
        Some(Proven { size: c.size, root: c.root, refused: self.refused.clone() })
    }
}

/// The directory beside the state file where the verified events are kept.
pub fn record_dir(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".record");
    PathBuf::from(name)
}

/// A directory removed when the watcher ends (the record of a watcher without `--state`).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one poll found.
pub struct Poll {
    pub checkpoint: Checkpoint,
    /// The events this poll downloaded and verified.
    pub new_events: u64,
    pub cosigned: bool,
    /// The verification of everything held, when there was something new to verify.
    pub report: Option<Report>,
}

/// Counts of the ballots a report verified: (checked, refused).
pub fn ballot_counts(report: &Report) -> (u64, u64) {
    (report.outcome(Check::BallotElection).map_or(0, |c| c.count), report.summary.refused)
}

pub struct Watcher {
    client: BoardClient,
    setup: Fingerprint,
    board_key: Element,
    witness: Option<SecretScalar>,
    state: Option<PathBuf>,
    /// Where the verified events are kept, as a record directory.
    dir: PathBuf,
    _scratch: Option<Scratch>,
    /// The hashes of the events held in `dir`.
    frontier: Frontier,
    /// What the events held establish, for the verifier: their ballots' proofs are verified.
    proven: Option<Proven>,
    pub last: Option<Checkpoint>,
}

impl Watcher {
    /// Connects to `url` (`https://` checked against the system's roots, or against the CA
    /// certificates in `ca`); `state` keeps the last checkpoint seen and the verified events
    /// between runs. A state of another election (setup fingerprint or board key) is refused.
    /// An answer that does not begin within `wait` is an error, not a wait for ever.
    pub fn new(
        url: &str,
        ca: Option<&Path>,
        witness: Option<SecretScalar>,
        state: Option<&Path>,
        wait: Duration,
    ) -> Result<Self, Problem> {
        let client =
            BoardClient::with_ca_and_wait(url, ca, Some(wait)).map_err(|e| Problem::unreachable(url.to_string(), e))?;
        let (setup, board_key) = board_identity(&client)?;
        let saved = match state {
            Some(p) if p.exists() => Some(State::read(p)?),
            _ => None,
        };
        if let (Some(s), Some(p)) = (&saved, state)
            && (s.setup != setup || s.board_key != board_key)
        {
            return Err(Problem::new(
                "watch-error-other-election",
                vec![
                    ("file", p.display().to_string().into()),
                    ("state_setup", to_hex(s.setup.as_bytes()).into()),
                    ("state_key", s.board_key.to_hex().into()),
                    ("board_setup", to_hex(setup.as_bytes()).into()),
                    ("board_key", board_key.to_hex().into()),
                ],
            ));
        }
        let (dir, scratch) = match state {
            Some(p) => (record_dir(p), None),
            None => {
                let nanos =
                    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
                let d = std::env::temp_dir().join(format!("dauys-watch-{}-{nanos}", std::process::id()));
                (d.clone(), Some(Scratch(d)))
            }
        };
        std::fs::create_dir_all(&dir).map_err(|e| Problem::file(&dir, e))?;
        let mut w = Watcher {
            client,
            setup,
            board_key,
            witness,
            state: state.map(Path::to_path_buf),
            dir,
            _scratch: scratch,
            frontier: Frontier::new(),
            proven: None,
            last: saved.as_ref().and_then(|s| s.checkpoint.clone()),
        };
        if let Some(s) = &saved {
            w.resume(s)?;
        } else {
            w.truncate_events(0)?;
        }
        Ok(w)
    }

    /// The events already verified, read back from `dir` (the first `verified` lines; any
    /// after them were appended by a run that stopped before saving its state) and checked
    /// against the state's checkpoint.
    fn resume(&mut self, s: &State) -> Result<(), Problem> {
        let events = self.dir.join(EVENTS_FILE);
        if s.verified == 0 || !events.exists() {
            return self.truncate_events(0);
        }
        let file = std::fs::File::open(&events).map_err(|e| Problem::file(&events, e))?;
        let mut kept = 0u64;
        let url = events.display().to_string();
        let frontier = &mut self.frontier;
        let read = copy_lines(file, &url, MAX_LINE as u64, u64::MAX, u64::MAX, |line| {
            if frontier.len() < s.verified {
                frontier.push(leaf_hash(line));
                kept += line.len() as u64 + 1;
            }
            Ok(())
        });
        let checkpoint = s.checkpoint.as_ref().expect("a verified prefix has its checkpoint");
        if read.is_err() || self.frontier.len() != s.verified || self.frontier.root() != checkpoint.root {
            return Err(Problem::new(
                "watch-error-own-events",
                vec![("file", events.display().to_string().into()), ("size", s.verified.into())],
            ));
        }
        let f = std::fs::OpenOptions::new().write(true).open(&events).map_err(|e| Problem::file(&events, e))?;
        f.set_len(kept).map_err(|e| Problem::file(&events, e))?;
        self.proven = s.proven();
        Ok(())
    }

    /// Empties the events held (from the start, or after a state without them).
    fn truncate_events(&mut self, size: u64) -> Result<(), Problem> {
        debug_assert_eq!(size, 0);
        let events = self.dir.join(EVENTS_FILE);
        std::fs::write(&events, b"").map_err(|e| Problem::file(&events, e))?;
        self.frontier = Frontier::new();
        self.proven = None;
        Ok(())
    }

    /// How many events the watcher holds, verified.
    pub fn verified(&self) -> u64 {
        self.frontier.len()
    }

    /// Whether this watcher co-signs what it checks.
    pub fn signs(&self) -> bool {
        self.witness.is_some()
    }

    /// One poll: the newest checkpoint, checked against the last one seen; the events since
    /// the last poll, checked against its root; co-signed; and every ballot verified.
    pub fn poll(&mut self) -> Result<Poll, Problem> {
        let url = format!("{}/checkpoint", self.client.base());
        let value = get_json(&self.client, "/checkpoint", MAX_ANSWER)?;
        if value.is_null() {
            return Err(Problem::unreachable(url, "the board has signed no checkpoint yet"));
        }
        let newest: Checkpoint = serde_json::from_value(value).map_err(|e| Problem::unreachable(url.clone(), e))?;
        newest.verify(&self.setup, &self.board_key).map_err(|e| {
            Problem::board("watch-error-unsigned", vec![("url", url.clone().into()), ("reason", e.to_string().into())])
        })?;
        if newest.size == 0 && newest.root != crate::log::merkle::empty_root() {
            return Err(Problem::board("watch-error-empty-root", vec![("url", url.into())]));
        }
        if let Some(last) = &self.last {
            self.extends(last, &newest)?;
        }
        let new_events = self.download(&newest)?;
        let mut cosigned = false;
        if let Some(witness) = &self.witness {
            let c = Cosignature::sign(&self.setup, &self.board_key, witness, &newest, &mut rand::rng());
            let cosign_url = format!("{}/witness/cosign", self.client.base());
            self.client.cosign(&c).map_err(|e| Problem::unreachable(cosign_url, e))?;
            cosigned = true;
        }
        self.last = Some(newest.clone());
        let report = if new_events > 0 || self.proven.is_none() {
            let options = Options { proven: self.proven.clone(), ..Default::default() };
            let report = verify(&self.dir, &options)
                .map_err(|e| Problem::new("watch-error-own-record", vec![("reason", e.to_string().into())]))?;
            self.proven =
                Some(Proven { size: newest.size, root: newest.root, refused: report.summary.proof_failures.clone() });
            Some(report)
        } else {
            None
        };
        self.save(&newest)?;
        Ok(Poll { checkpoint: newest, new_events, cosigned, report })
    }

    /// `newest` must extend `last`: not shorter, the same at the same size, and with a
    /// consistency proof from the board.
    fn extends(&self, last: &Checkpoint, newest: &Checkpoint) -> Result<(), Problem> {
        if newest.size < last.size {
            return Err(Problem::board(
                "watch-error-shrank",
                vec![("from", last.size.into()), ("to", newest.size.into())],
            ));
        }
        if newest.size == last.size && newest.root != last.root {
            return Err(Problem::board("watch-error-fork", vec![("size", last.size.into())]));
        }
        // Every log extends the empty one (RFC 9162 has no consistency proof from size 0).
        if newest.size > last.size && last.size > 0 {
            let path = format!("/proof/consistency?from={}&to={}", last.size, newest.size);
            let url = format!("{}{path}", self.client.base());
            let v = get_json(&self.client, &path, MAX_ANSWER)?;
            let proof: Vec<[u8; 32]> = serde_json::from_value::<Vec<String>>(v["proof"].clone())
                .map_err(|e| Problem::unreachable(url.clone(), e))?
                .iter()
                .map(|h| hex32("proof", h).map_err(|e| Problem::unreachable(url.clone(), e)))
                .collect::<Result<_, _>>()?;
            verify_consistency(last.size, newest.size, &proof, &last.root, &newest.root).map_err(|e| {
                Problem::board(
                    "watch-error-not-extending",
                    vec![("size", newest.size.into()), ("last", last.size.into()), ("reason", e.to_string().into())],
                )
            })?;
        }
        Ok(())
    }

    /// Downloads the events the watcher does not hold, up to `newest`, and keeps them if,
    /// with the ones held, they have its root: the board cannot sign one log and serve
    /// another. Each page is appended to the events file as it comes (memory holds one page,
    /// whatever the number of events), and the file is cut back to the events held if the
    /// root is not the checkpoint's or anything fails. Returns how many it added.
    fn download(&mut self, newest: &Checkpoint) -> Result<u64, Problem> {
        let from = self.frontier.len();
        if newest.size <= from {
            return Ok(0);
        }
        let events = self.dir.join(EVENTS_FILE);
        let file = std::fs::OpenOptions::new().append(true).open(&events).map_err(|e| Problem::file(&events, e))?;
        let held = file.metadata().map_err(|e| Problem::file(&events, e))?.len();
        let mut out = std::io::BufWriter::new(&file);
        let fetched = self.download_into(newest, &mut out, &events).and_then(|f| {
            out.flush().and_then(|()| file.sync_data()).map_err(|e| Problem::file(&events, e)).map(|()| f)
        });
        drop(out);
        let frontier = match fetched {
            Ok(frontier) => frontier,
            Err(p) => {
                let _ = file.set_len(held);
                return Err(p);
            }
        };
        // The record the verifier reads: cut at the newest checkpoint.
        let header = self.dir.join(HEADER_FILE);
        std::fs::write(&header, record::header_line(newest, newest.size)).map_err(|e| Problem::file(&header, e))?;
        let checkpoints = self.dir.join(CHECKPOINTS_FILE);
        let line = serde_json::to_string(newest).expect("serializes") + "\n";
        std::fs::write(&checkpoints, line).map_err(|e| Problem::file(&checkpoints, e))?;
        self.frontier = frontier;
        Ok(newest.size - from)
    }

    /// The pages of events `[held, newest.size)`, each split into its leaves, hashed onto the
    /// held events' frontier and written to `out`; the frontier, if it has `newest`'s root.
    fn download_into(&self, newest: &Checkpoint, out: &mut impl Write, events: &Path) -> Result<Frontier, Problem> {
        let mut frontier = self.frontier.clone();
        let mut start = frontier.len();
        let mut page = PAGE;
        while start < newest.size {
            let end = newest.size.min(start + page);
            let path = format!("/entries?start={start}&end={end}");
            let url = format!("{}{path}", self.client.base());
            let cap = if end - start == 1 { MAX_LINE as u64 + 2 } else { MAX_PAGE_BYTES };
            let (status, body) = self.client.get_reader(&path).map_err(|e| Problem::unreachable(url.clone(), e))?;
            if status != 200 {
                return Err(Problem::unreachable(url, format!("HTTP {status}")));
            }
            let mut bytes = Vec::new();
            body.take(cap + 1).read_to_end(&mut bytes).map_err(|e| Problem::unreachable(url.clone(), e))?;
            if bytes.len() as u64 > cap {
                if end - start > 1 {
                    page = (end - start) / 2;
                    continue;
                }
                return Err(Problem::board(
                    "fetch-error-too-large",
                    vec![("url", url.into()), ("line", (MAX_LINE as u64).into()), ("lines", 1u64.into())],
                ));
            }
            let entries =
                split_entries(&bytes).ok_or_else(|| Problem::unreachable(url.clone(), "not a JSON array of events"))?;
            if entries.len() as u64 != end - start {
                let reason = format!("{} events for {} asked", entries.len(), end - start);
                return Err(Problem::unreachable(url, reason));
            }
            for e in entries {
                frontier.push(leaf_hash(e));
                out.write_all(e).and_then(|()| out.write_all(b"\n")).map_err(|e| Problem::file(events, e))?;
            }
            start = end;
        }
        if frontier.root() != newest.root {
            let url = format!("{}/entries", self.client.base());
            return Err(Problem::board(
                "watch-error-root",
                vec![("url", url.into()), ("size", newest.size.into()), ("found", frontier.len().into())],
            ));
        }
        Ok(frontier)
    }

    /// Writes the state (through a temporary file, renamed: never half a state).
    fn save(&self, newest: &Checkpoint) -> Result<(), Problem> {
        let Some(p) = &self.state else { return Ok(()) };
        let state = State {
            format: STATE_FORMAT.into(),
            version: STATE_VERSION,
            setup: self.setup,
            board_key: self.board_key,
            checkpoint: Some(newest.clone()),
            verified: self.frontier.len(),
            refused: self.proven.as_ref().map(|p| p.refused.clone()).unwrap_or_default(),
        };
        let mut tmp = p.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, serde_json::to_string_pretty(&state).expect("serializes"))
            .and_then(|()| std::fs::rename(&tmp, p))
            .map_err(|e| Problem::file(p, e))
    }
}

/// The elements of a JSON array of objects, as the bytes the board stored (`GET /entries`
/// answers with the stored leaves verbatim). `None` if it is not such an array, or an element
/// holds a line break (which no canonical event does).
fn split_entries(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let inner = bytes.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, 0usize);
    for (i, &b) in inner.iter().enumerate() {
        if b == b'\n' || b == b'\r' {
            return None;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                out.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || in_string {
        return None;
    }
    if !inner.is_empty() {
        out.push(&inner[start..]);
    }
    out.iter().all(|e| e.first() == Some(&b'{') && e.last() == Some(&b'}')).then_some(out)
}

/// The witness key in `path` (64 hex digits), created (mode 0600) if the file does not exist.
pub fn witness_key(path: &Path) -> Result<SecretScalar, String> {
    if !path.exists() {
        let key = SecretScalar::random(&mut rand::rng());
        crate::keyfile::write_private(path, crate::crypto::group::to_hex(key.expose().as_bytes()).as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = hex32("witness key", text.trim()).map_err(|e| e.to_string())?;
    crate::crypto::group::scalar_from_bytes("witness key", bytes).map(SecretScalar::new).map_err(|e| e.to_string())
}

/// The root of the events `hashes` would give, for tests of the watcher.
#[cfg(test)]
fn root_of(hashes: &[crate::log::merkle::Hash]) -> crate::log::merkle::Hash {
    let mut f = Frontier::new();
    for h in hashes {
        f.push(*h);
    }
    f.root()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_split_as_stored() {
        let body = br#"[{"a":"x,}]"},{"b":[1,{"c":"\"]"}]}]"#;
        let parts = split_entries(body).unwrap();
        assert_eq!(parts, vec![&br#"{"a":"x,}]"}"#[..], &br#"{"b":[1,{"c":"\"]"}]}"#[..]]);
        assert_eq!(split_entries(b"[]").unwrap().len(), 0);
        for bad in [&b"{}"[..], b"[{}", b"[{},]", b"[1]", b"[{\"a\":\"\n\"}]", b"[{]}]", b"[{\"a}]"] {
            assert!(split_entries(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
        assert_ne!(root_of(&[leaf_hash(parts[0])]), root_of(&[leaf_hash(parts[1])]));
    }

    #[test]
    fn lines_are_bounded() {
        let lines = |body: &[u8], max_line, max_lines, max_bytes| {
            let mut got = Vec::new();
            copy_lines(body, "u", max_line, max_lines, max_bytes, |l| {
                got.push(l.to_vec());
                Ok(())
            })
            .map(|()| got)
        };
        assert_eq!(lines(b"ab\ncd\n", 2, 2, 100).unwrap(), vec![b"ab".to_vec(), b"cd".to_vec()]);
        assert_eq!(lines(b"ab\ncd", 2, 2, 100).unwrap().len(), 2);
        assert!(lines(b"abc\n", 2, 2, 100).is_err(), "a line too long");
        assert!(lines(b"abc", 2, 2, 100).is_err(), "a last line too long");
        assert!(lines(b"a\nb\nc\n", 2, 2, 100).is_err(), "too many lines");
        assert!(lines(b"ab\ncd\n", 2, 2, 5).is_err(), "too many bytes");
        let e = lines(b"abc\n", 2, 2, 100).unwrap_err();
        assert!(e.board_at_fault && e.id == "fetch-error-too-large");
    }
}
