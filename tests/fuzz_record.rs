//! A structured fuzzer over the election record, as a standing guard of `dauys-verify`.
//!
//! From a small valid record (built once per process: three contests of 2 options each, a
//! referendum, an approval and a party list; 3 trustees, threshold 2, three decryptions; two
//! voters, one of whom re-votes and the other challenges a ballot first), each case applies
//! one to three random mutations — bytes, JSON values, whole events dropped, duplicated,
//! swapped or moved, lines grown to and past their bound, files replaced by FIFOs,
//! directories, `/dev/zero` or nothing — optionally re-signs the checkpoints with the board's
//! key (a board covering its tracks), runs the verifier in-process and checks:
//!
//! * no panic, and no hang (a watchdog aborts a case that runs for two minutes);
//! * the outcome is valid, invalid, incomplete or unreadable, and unreadable whenever a file
//!   was replaced by something that is not a regular file;
//! * **valid only when the mutation is neutral**, judged independently: the record is then
//!   accepted in full by the reference (the board's own log state replaying every event with
//!   full verification, the tally recomputed from the counted ballots, and every checkpoint
//!   and the header recomputed from the lines); **incomplete only when** the reference
//!   accepts every event and the log stops before the result;
//! * mutations that are neutral by construction (nothing changed; re-signed unchanged; a
//!   decryption beyond the threshold dropped; two adjacent ballots of different credentials
//!   swapped, re-signed) give a valid record;
//! * a line padded to exactly its kind's bound is parsed, one byte more is refused unparsed;
//! * the heap, counted by this binary's allocator, stays under the bound of
//!   `specs/verifier.md` §2 for the mutated record.
//!
//! The default run is a few hundred cases from a fixed seed; `benches/fuzz.sh CASES SEED` runs
//! the `#[ignore]`d long run (`DAUYS_FUZZ_CASES`, `DAUYS_FUZZ_SEED`, `DAUYS_FUZZ_FIRST`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{Element, Fingerprint, SecretScalar, hex32, scalar_from_bytes};
use dauys::election::citizen_ca::SyntheticCaIssuer;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::tally::{Fate, TallyAccumulator, fates};
use dauys::log::bounds::LineBounds;
use dauys::log::checkpoint::{Checkpoint, Cosignature};
use dauys::log::event::{Event, Phase};
use dauys::log::merkle::{Tree, leaf_hash};
use dauys::log::record;
use dauys::log::state::{LogState, Verification};
use dauys::runner::{LocalElection, VoterPlan};
use dauys::verify::bound::{Workload, memory_bound};
use dauys::verify::{Options, Verdict, verify};

mod common;
mod resigned;
use common::{Rng, mutate_bytes, mutate_json};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MANIFEST: &str = r#"{"contests":[
 {"id":"ref","kind":"referendum","options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}],"title":{"en":"Q","kk":"Q","ru":"Q"}},
 {"id":"board","kind":"approval","max":2,"min":0,"options":[{"id":"a","label":{"en":"A","kk":"A","ru":"A"}},{"id":"b","label":{"en":"B","kk":"B","ru":"B"}}],"title":{"en":"B","kk":"B","ru":"B"},"winners":1},
 {"id":"parl","kind":"party_list","options":[{"id":"p","label":{"en":"P","kk":"P","ru":"P"}},{"against_all":true,"id":"none","label":{"en":"None","kk":"Ешкім","ru":"Никто"}}],"seats":5,"threshold_percent":5,"title":{"en":"P","kk":"P","ru":"P"}}],
 "election_id":"fuzz-2026","revote":"last_counts","title":{"en":"Fuzz","kk":"Fuzz","ru":"Fuzz"},"trustees":{"count":3,"threshold":2},"version":1}"#;

/// The valid record every case starts from, and what a board (or witness) would sign with.
struct Fixture {
    lines: Vec<Vec<u8>>,
    checkpoint_sizes: Vec<u64>,
    header: Vec<u8>,
    checkpoints: Vec<u8>,
    board: SecretScalar,
    setup: Fingerprint,
    witness: SecretScalar,
    bounds: LineBounds,
}

/// The fixture cases start from now: 0 an election whose open event lists the credentials, 1
/// one with a roll, registrations and shuffles (`specs/protocol.md` §14). The fuzzer runs one
/// case at a time and picks it per case.
static CURRENT_FIXTURE: AtomicUsize = AtomicUsize::new(0);

fn fixture() -> &'static Fixture {
    static F: OnceLock<[Fixture; 2]> = OnceLock::new();
    &F.get_or_init(|| [build_fixture(false), build_fixture(true)])[CURRENT_FIXTURE.load(Relaxed)]
}

fn build_fixture(registered: bool) -> Fixture {
    let mut rng = rand::rng();
    let dir = std::env::temp_dir().join(format!("dauys-fuzz-fixture-{}-{registered}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(MANIFEST).unwrap();
    manifest.citizen_ca = registered.then(|| ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = if registered {
        election.register_and_open(&ca, 2, 0, &mut rng).unwrap()
    } else {
        let voters: Vec<KeyPair> =
            (0..2).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
        election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
        voters
    };
    let hot = |n: usize, i: usize| (0..n).map(|k| u64::from(k == i % n)).collect::<Vec<u64>>();
    let plans: Vec<VoterPlan> = voters
        .iter()
        .enumerate()
        .map(|(i, v)| VoterPlan {
            key: v.clone(),
            marks: vec![hot(2, i), vec![(i % 2) as u64, 1], hot(2, i)],
            earlier: (i == 1).then(|| vec![hot(2, 1), vec![0, 0], hot(2, 0)]),
            challenge: i == 0,
        })
        .collect();
    election.vote(&plans, &mut rng, |_| {}).unwrap();
    election.close(&mut rng).unwrap();
    election.tally(&[1, 2, 3], &mut rng).unwrap();
    let out = dir.join("record");
    election.board.export(&out).unwrap();
    let key = std::fs::read_to_string(dir.join("board.key")).unwrap();
    let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap());
    let lines: Vec<Vec<u8>> = record::events(&out).unwrap().map(|l| l.unwrap().1.into_bytes()).collect();
    let checkpoint_sizes = record::checkpoints(&out).unwrap().iter().map(|c| c.size).collect();
    // The manifest as set up: the election names its trustees' identity keys.
    let manifest = election.board.state().setup.as_ref().unwrap().manifest.clone();
    let listed = if registered { 0 } else { election.params().credential_count() as u64 };
    let mut bounds = LineBounds::for_manifest(&manifest).with_credentials(listed, u64::from(manifest.trustees.count));
    if registered {
        bounds = bounds.with_roll(voters.len() as u64);
    }
    let header = std::fs::read(out.join(record::HEADER_FILE)).unwrap();
    let checkpoints = std::fs::read(out.join(record::CHECKPOINTS_FILE)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    Fixture {
        lines,
        checkpoint_sizes,
        header,
        checkpoints,
        board,
        setup: manifest.setup_fingerprint(),
        witness: SecretScalar::random(&mut rng),
        bounds,
    }
}

/// What replaces a record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Fifo,
    Directory,
    DevZero,
    Missing,
}

/// One mutated record, before it is written.
#[derive(Debug, Clone)]
struct Case {
    lines: Vec<Vec<u8>>,
    header: Vec<u8>,
    checkpoints: Vec<u8>,
    cosignatures: Option<Vec<u8>>,
    /// A file replaced by something that is not a regular file (or removed).
    special: Option<(&'static str, Special)>,
    /// Verify with the witness's key (`--witness`).
    witness: bool,
    /// What was done, to print with a finding.
    done: Vec<String>,
    /// The mutations leave the record valid, by construction.
    neutral: bool,
    /// A line padded to its kind's bound or one byte past it. Later mutations may move it; it
    /// is found again by its bytes.
    padded: Option<Vec<u8>>,
}

impl Case {
    fn original() -> Case {
        let f = fixture();
        Case {
            lines: f.lines.clone(),
            header: f.header.clone(),
            checkpoints: f.checkpoints.clone(),
            cosignatures: None,
            special: None,
            witness: false,
            done: vec![],
            neutral: true,
            padded: None,
        }
    }

    /// A board covering its tracks: every checkpoint recomputed over the lines and signed.
    fn resign(&mut self) {
        let f = fixture();
        let cps = resigned::checkpoints(&self.lines, &f.setup, &f.board, &f.checkpoint_sizes);
        let last = cps.last().unwrap();
        self.checkpoints = cps.iter().map(|c| serde_json::to_string(c).unwrap() + "\n").collect::<String>().into();
        self.header = record::header_line(last, last.size).into_bytes();
        self.done.push("re-signed".into());
    }

    /// A witness co-signs checkpoints of the log as it is now (at random sizes).
    fn cosign(&mut self, rng: &mut Rng) {
        let f = fixture();
        let mut tree = Tree::new();
        for l in &self.lines {
            tree.push(leaf_hash(l));
        }
        let mut out = String::new();
        for _ in 0..=rng.below(2) {
            let size = rng.below(tree.len() as usize + 1) as u64;
            let cp = Checkpoint { root: tree.root(size).unwrap(), signature: dummy_signature(), size };
            let c = Cosignature::sign(&f.setup, &f.board.public(), &f.witness, &cp, &mut rand::rng());
            out += &(serde_json::to_string(&c).unwrap() + "\n");
        }
        self.cosignatures = Some(out.into_bytes());
        self.witness = true;
        self.done.push("co-signed by a witness".into());
    }

    fn write(&self, dir: &Path) {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        let mut events = Vec::new();
        for l in &self.lines {
            events.extend_from_slice(l);
            events.push(b'\n');
        }
        std::fs::write(dir.join(record::EVENTS_FILE), events).unwrap();
        std::fs::write(dir.join(record::HEADER_FILE), &self.header).unwrap();
        std::fs::write(dir.join(record::CHECKPOINTS_FILE), &self.checkpoints).unwrap();
        if let Some(c) = &self.cosignatures {
            std::fs::write(dir.join(record::COSIGNATURES_FILE), c).unwrap();
        }
        if let Some((file, special)) = self.special {
            let path = dir.join(file);
            let _ = std::fs::remove_file(&path);
            match special {
                Special::Fifo => {
                    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
                }
                Special::Directory => std::fs::create_dir(&path).unwrap(),
                Special::DevZero => std::os::unix::fs::symlink("/dev/zero", &path).unwrap(),
                Special::Missing => {}
            }
        }
    }
}

fn dummy_signature() -> dauys::crypto::schnorr::SchnorrProof {
    serde_json::from_str(&format!(r#"{{"commitment":"{}","response":"{}"}}"#, "00".repeat(32), "00".repeat(32)))
        .unwrap()
}

/// The kind of a line, from its first bytes.
fn kind(line: &[u8]) -> Option<&'static str> {
    dauys::log::event::kind_of_line(line)
}

/// Grows a line by `extra` bytes inside its last JSON string (so that it still begins as an
/// event does).
fn pad(line: &mut Vec<u8>, extra: usize) {
    let at = line.iter().rposition(|&b| b == b'"').unwrap_or(line.len());
    line.splice(at..at, std::iter::repeat_n(b'0', extra));
}

/// A case from the generator: one to three mutations, then maybe a re-signing.
/// `long`: the long run, whose lines may reach 8 MiB (the default run's stop at 1 MiB).
fn generate(rng: &mut Rng, long: bool) -> Case {
    let max_line: usize = if long { 8 << 20 } else { 1 << 20 };
    let f = fixture();
    let mut c = Case::original();
    let mutations = 1 + rng.below(3);
    let mut touched_events = false;
    for _ in 0..mutations {
        let n = c.lines.len();
        let choice = rng.below(100);
        if n == 0 && (3..73).contains(&choice) {
            continue;
        }
        match choice {
            // Nothing, or re-signed unchanged: neutral.
            0..=2 => c.done.push("nothing".into()),
            // Bytes of an event line.
            3..=22 => {
                let i = rng.below(n);
                let what = mutate_bytes(&mut c.lines[i], rng);
                c.done.push(format!("line {i}: {what}"));
                c.neutral = false;
                touched_events = true;
            }
            // A JSON value of an event line.
            23..=47 => {
                let i = rng.below(n);
                if let Some((line, what)) = mutate_json(&c.lines[i], rng) {
                    c.done.push(format!("line {i} ({:?}): {what}", kind(&c.lines[i])));
                    c.lines[i] = line;
                    c.neutral = false;
                    touched_events = true;
                }
            }
            // Whole events.
            48..=62 => {
                let (i, j) = (rng.below(n), rng.below(n));
                match rng.below(5) {
                    0 => {
                        c.lines.remove(i);
                        c.done.push(format!("dropped event {i}"));
                    }
                    1 => {
                        let l = c.lines[i].clone();
                        c.lines.insert(j, l);
                        c.done.push(format!("event {i} repeated at {j}"));
                    }
                    2 => {
                        c.lines.swap(i, j);
                        c.done.push(format!("events {i} and {j} swapped"));
                    }
                    3 => {
                        let l = c.lines.remove(i);
                        c.lines.insert(j.min(c.lines.len()), l);
                        c.done.push(format!("event {i} moved to {j}"));
                    }
                    _ => {
                        c.lines.truncate(i);
                        c.done.push(format!("cut after {i} events"));
                    }
                }
                c.neutral = false;
                touched_events = true;
            }
            // Neutral by construction: a decryption beyond the threshold dropped, or two
            // adjacent ballots of different credentials swapped.
            63..=67 => {
                let decryptions: Vec<usize> = (0..n).filter(|&k| kind(&c.lines[k]) == Some("decryption")).collect();
                let casts: Vec<usize> = (0..n.saturating_sub(1))
                    .filter(|&k| kind(&c.lines[k]) == Some("cast") && kind(&c.lines[k + 1]) == Some("cast"))
                    .filter(|&k| credential(&c.lines[k]) != credential(&c.lines[k + 1]))
                    .collect();
                if rng.chance(2) && decryptions.len() == 3 {
                    c.lines.remove(*rng.pick(&decryptions));
                    c.done.push("a decryption beyond the threshold dropped".into());
                } else if !casts.is_empty() {
                    let k = *rng.pick(&casts);
                    c.lines.swap(k, k + 1);
                    c.done.push(format!("ballots {k} and {} swapped", k + 1));
                }
                touched_events = true;
                if !c.done.last().is_some_and(|d| d.contains("dropped") || d.contains("swapped")) {
                    c.done.push("nothing".into());
                }
            }
            // A line grown to exactly its bound, or one byte past it.
            68..=72 => {
                let i = rng.below(n);
                let bound = f.bounds.of(kind(&c.lines[i])) as usize;
                let over = rng.chance(2);
                let target = bound + usize::from(over);
                // Not `close` or `registration_close`, whose only string is their kind.
                let k = kind(&c.lines[i]);
                if c.lines[i].len() < target
                    && target <= max_line
                    && c.padded.is_none()
                    && k.is_some()
                    && !matches!(k, Some("close" | "registration_close"))
                {
                    let extra = target - c.lines[i].len();
                    pad(&mut c.lines[i], extra);
                    c.padded = Some(c.lines[i].clone());
                    c.done.push(format!(
                        "line {i} grown to {} its bound",
                        if over { "one byte past" } else { "exactly" }
                    ));
                    c.neutral = false;
                    touched_events = true;
                }
            }
            // A long line: megabytes in a string, or a line that is not an event.
            73..=75 => {
                let i = rng.below(n + 1);
                let size = if rng.chance(50) { max_line } else { *rng.pick(&[70_000, 300_000]) };
                let line = if rng.chance(2) {
                    format!(r#"{{"kind":"{}","payload":"{}"}}"#, rng.pick(&dauys::log::event::KINDS), "0".repeat(size))
                } else {
                    format!("[{}1]", "1,".repeat(size / 2))
                };
                c.lines.insert(i, line.into_bytes());
                c.done.push(format!("a line of {size} bytes at {i}"));
                c.neutral = false;
                touched_events = true;
            }
            // Bytes of the header or the checkpoints.
            76..=85 => {
                let (name, file) =
                    if rng.chance(2) { ("header", &mut c.header) } else { ("checkpoints", &mut c.checkpoints) };
                let what = mutate_bytes(file, rng);
                c.done.push(format!("{name}: {what}"));
                c.neutral = false;
            }
            // A file that is not a regular file, or none.
            86..=89 => {
                let file = *rng.pick(&[record::EVENTS_FILE, record::HEADER_FILE, record::CHECKPOINTS_FILE]);
                let special = *rng.pick(&[Special::Fifo, Special::Directory, Special::DevZero, Special::Missing]);
                c.special = Some((file, special));
                c.done.push(format!("{file} is {special:?}"));
                c.neutral = false;
            }
            // Witness co-signatures (checked with --witness), maybe made non-regular.
            90..=94 => {
                c.cosign(rng);
                if rng.chance(8) {
                    c.special = Some((record::COSIGNATURES_FILE, *rng.pick(&[Special::Fifo, Special::DevZero])));
                    c.done.push("cosignatures.jsonl not a regular file".into());
                    c.neutral = false;
                }
            }
            // A co-signature's bytes.
            _ => {
                c.cosign(rng);
                if let Some(cs) = &mut c.cosignatures {
                    let at = rng.below(cs.len());
                    cs[at] ^= 1 << rng.below(8);
                }
                c.done.push("a co-signature's byte".into());
                c.neutral = false;
            }
        }
    }
    if touched_events && rng.below(4) != 0 || c.done.iter().all(|d| d == "nothing") && rng.chance(2) {
        c.resign();
        // Cosignatures made before re-signing are of the old log: remake them.
        if c.witness && c.cosignatures.is_some() && !c.done.iter().any(|d| d.contains("co-signature's byte")) {
            c.cosign(rng);
        }
    } else if touched_events {
        // The board's checkpoints no longer match the log.
        c.neutral = false;
    }
    c
}

fn credential(line: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(line).ok()?;
    let at = text.find("\"credential\":\"")? + 14;
    Some(text.as_bytes()[at..at + 64].to_vec())
}

/// The reference's judgement of a record, independent of the verifier: `Some(phase)` when
/// every file is exactly canonical, every checkpoint and the header are the log's and signed
/// by the board, the board's log state (`LogState`, full verification) accepts every event,
/// and the tally is the sum of the counted ballots; `None` otherwise.
fn reference(dir: &Path, witness: Option<&Element>) -> Option<Phase> {
    let events = std::fs::read(dir.join(record::EVENTS_FILE)).ok()?;
    if !events.is_empty() && events.last() != Some(&b'\n') {
        return None;
    }
    let lines: Vec<&[u8]> = events.split(|&b| b == b'\n').collect();
    let lines = &lines[..lines.len() - 1];
    let mut tree = Tree::new();
    let mut state = LogState::new();
    let mut casts = Vec::new();
    for line in lines {
        tree.push(leaf_hash(line));
        let text = std::str::from_utf8(line).ok()?;
        let event: Event = serde_json::from_str(text).ok()?;
        if event.to_leaf() != text {
            return None;
        }
        state.apply(&event, Verification::Full).ok()?;
        if let Event::Cast(b) = event {
            casts.push(*b);
        }
    }
    // The tally sums (the log state checks only its count and shape).
    if let (Some(tally), Some(params)) = (&state.tally, &state.params) {
        let fate = fates(params.manifest.revote, casts.iter().map(|b| &b.credential));
        let mut acc = TallyAccumulator::new(&params.manifest);
        for (b, fate) in casts.iter().zip(fate) {
            if fate == Fate::Counted {
                acc.add(b.style_in(&params.manifest).map_or(0, |s| s.index), b);
            }
        }
        if acc.finish().contests != tally.contests {
            return None;
        }
    }
    let setup = state.setup.as_ref()?;
    let fp = state.setup_fingerprint?;
    let consistent = |c: &Checkpoint| {
        c.size <= tree.len() && tree.root(c.size).ok() == Some(c.root) && c.verify(&fp, &setup.board_key).is_ok()
    };
    // The header: exactly canonical, the log's size and root, signed.
    let header_text = std::fs::read_to_string(dir.join(record::HEADER_FILE)).ok()?;
    let header: record::RecordHeader = serde_json::from_str(&header_text).ok()?;
    if header_text != record::header_line(&header.checkpoint, header.size)
        || header.size != tree.len()
        || header.checkpoint.size != tree.len()
        || !consistent(&header.checkpoint)
    {
        return None;
    }
    // The checkpoints: canonical lines, sizes increasing, the last the header's, each a
    // signed prefix.
    let text = std::fs::read_to_string(dir.join(record::CHECKPOINTS_FILE)).ok()?;
    if !text.is_empty() && !text.ends_with('\n') {
        return None;
    }
    let mut last: Option<Checkpoint> = None;
    for line in text.split_terminator('\n') {
        let c: Checkpoint = serde_json::from_str(line).ok()?;
        if serde_json::to_string(&c).ok()? != line || last.as_ref().is_some_and(|l| l.size >= c.size) || !consistent(&c)
        {
            return None;
        }
        last = Some(c);
    }
    match &last {
        Some(l) if (l.size, l.root) == (header.checkpoint.size, header.checkpoint.root) => {}
        None if tree.is_empty() => {}
        _ => return None,
    }
    if let Some(w) = witness {
        let text = std::fs::read_to_string(dir.join(record::COSIGNATURES_FILE)).ok()?;
        let mine: Vec<Cosignature> = text
            .split_terminator('\n')
            .map(|l| serde_json::from_str::<Cosignature>(l).ok())
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .filter(|c| c.witness == *w)
            .collect();
        let ok = |c: &Cosignature| {
            c.size <= tree.len() && tree.root(c.size).ok() == Some(c.root) && c.verify(&fp, &setup.board_key).is_ok()
        };
        if mine.is_empty() || !mine.iter().all(ok) {
            return None;
        }
    }
    Some(state.phase())
}

/// The outcome of one case, as the fuzzer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Outcome {
    Valid,
    Invalid,
    Incomplete,
    Unreadable,
}

/// Runs one case; `Err` is a finding.
fn run_case(c: &Case, dir: &Path) -> Result<Outcome, String> {
    let f = fixture();
    c.write(dir);
    let options =
        Options { witnesses: if c.witness { vec![f.witness.public()] } else { vec![] }, ..Default::default() };
    let baseline = CURRENT.load(Relaxed);
    PEAK.store(baseline, Relaxed);
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| verify(dir, &options)));
    let peak = PEAK.load(Relaxed).saturating_sub(baseline) as u64;
    let report = result.map_err(|p| {
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("panic: {}", msg.unwrap_or_default())
    })?;
    let outcome = match &report {
        Err(_) => Outcome::Unreadable,
        Ok(r) => match r.verdict() {
            Verdict::Valid => Outcome::Valid,
            Verdict::Invalid => Outcome::Invalid,
            Verdict::Incomplete => Outcome::Incomplete,
        },
    };
    if let Ok(w) = Workload::of_record(dir) {
        let bound = memory_bound(&w);
        if peak > bound {
            return Err(format!("heap peak {peak} over the bound {bound} ({w:?})"));
        }
    }
    if let Some((file, special)) = c.special {
        let matters = file != record::COSIGNATURES_FILE || c.witness;
        if matters && outcome != Outcome::Unreadable && special != Special::Missing
            || matters
                && special == Special::Missing
                && file != record::COSIGNATURES_FILE
                && outcome != Outcome::Unreadable
        {
            return Err(format!("{file} is {special:?}, yet the record was read: {outcome:?}"));
        }
    }
    if c.neutral && outcome != Outcome::Valid {
        let why = report.as_ref().map(|r| {
            r.checks
                .iter()
                .filter(|x| !x.passed())
                .map(|x| format!("{} {}", x.check.id(), x.detail()))
                .collect::<Vec<_>>()
        });
        return Err(format!("a neutral mutation gave {outcome:?}: {why:?}"));
    }
    // A padded line still in the log, where its kind's bound is the fixture's (after the setup
    // and the open, both unchanged), is refused unparsed exactly when it is past its bound.
    let setup_kept = c.lines.first() == fixture().lines.first();
    // A shuffle's bound is the roll's: known while the log up to the roll is the fixture's.
    let roll = fixture().lines.iter().position(|l| kind(l) == Some("roll"));
    let roll_kept = roll.is_some_and(|r| c.lines.get(..=r) == fixture().lines.get(..=r));
    if let (Some(line), Ok(r)) = (&c.padded, &report)
        && let Some(k) = c.lines.iter().position(|l| l == line)
        // A newline put into the line before it was grown splits it in the file.
        && !line.contains(&b'\n')
    {
        // Judged by the kind its first bytes name now: growing a line whose last string is its
        // kind (its payload removed) renames it, and the bound is the new name's.
        let over = line.len() as u64 > f.bounds.of(kind(line));
        // Its line in the file: newlines inserted into earlier lines split them.
        let i = k + c.lines[..k].iter().map(|l| l.iter().filter(|&&b| b == b'\n').count()).sum::<usize>();
        let well_formed = r.outcome(dauys::verify::Check::RecordWellFormed).unwrap();
        let line_number = dauys::verify::finding::Arg::Number(i as u64 + 1);
        let entry = well_formed.failures.iter().find(|f| f.code == "fail-line" && f.get("line") == Some(&line_number));
        let refused = entry.is_some_and(|f| f.to_string().contains("longer than"));
        // Only the first 20 failures are listed; a line's bound is the fixture's after the
        // setup (the open event's bound depends on where the first open is: not checked).
        let knowable = well_formed.more_failures == 0
            && setup_kept
            && i > 0
            && !matches!(kind(line), Some("open" | "roll"))
            && (kind(line) != Some("shuffle") || roll_kept);
        if knowable && over != refused {
            return Err(format!(
                "line {} {} its bound was {}",
                i + 1,
                if over { "past" } else { "at" },
                if refused { "refused" } else { "parsed" }
            ));
        }
    }
    match outcome {
        Outcome::Valid | Outcome::Incomplete => {
            let witness = c.witness.then(|| f.witness.public());
            match reference(dir, witness.as_ref()) {
                Some(Phase::Done) if outcome == Outcome::Valid => {}
                Some(p) if outcome == Outcome::Incomplete && p != Phase::Done => {}
                other => return Err(format!("the verifier says {outcome:?}, the reference {other:?}")),
            }
        }
        Outcome::Invalid | Outcome::Unreadable => {}
    }
    Ok(outcome)
}

/// The watchdog's view: when the current case started (ms since the fuzzer began; 0: none).
static STARTED: AtomicU64 = AtomicU64::new(0);
static CASE: AtomicU64 = AtomicU64::new(0);
static SEED: AtomicU64 = AtomicU64::new(0);

fn watchdog(begin: Instant) {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let started = STARTED.load(Relaxed);
                if started > 0 && (begin.elapsed().as_millis() as u64).saturating_sub(started) > 120_000 {
                    eprintln!(
                        "fuzz_record: case {} of seed {} runs for two minutes: a hang",
                        CASE.load(Relaxed),
                        SEED.load(Relaxed)
                    );
                    std::process::abort();
                }
            }
        });
    });
}

/// Runs the cases numbered `cases` of `seed` (case k is the same whatever the range, so one
/// case is re-run alone with the range `k..k + 1`); returns the findings and the count of each
/// outcome.
fn fuzz(seed: u64, cases: std::ops::Range<u64>, long: bool) -> (Vec<String>, std::collections::BTreeMap<Outcome, u64>) {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    fixture();
    let begin = Instant::now();
    watchdog(begin);
    let dir: PathBuf = std::env::temp_dir().join(format!("dauys-fuzz-{}-{seed}", std::process::id()));
    let mut findings = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    SEED.store(seed, Relaxed);
    for case in cases {
        let mut rng = Rng(seed ^ case.wrapping_mul(0x2545_f491_4f6c_dd1d));
        CURRENT_FIXTURE.store(rng.below(2), Relaxed);
        let c = generate(&mut rng, long);
        CASE.store(case, Relaxed);
        STARTED.store(begin.elapsed().as_millis() as u64 + 1, Relaxed);
        match run_case(&c, &dir) {
            Ok(outcome) => *counts.entry(outcome).or_insert(0) += 1,
            Err(problem) => {
                let finding = format!("seed {seed} case {case} ({}): {problem}", c.done.join("; "));
                if long {
                    eprintln!("fuzz_record: finding: {finding}");
                }
                findings.push(finding);
            }
        }
        STARTED.store(0, Relaxed);
        if long && (case + 1) % 1_000 == 0 {
            eprintln!(
                "fuzz_record: cases up to {} in {:.0} s, {counts:?}, {} findings",
                case + 1,
                begin.elapsed().as_secs_f64(),
                findings.len()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    (findings, counts)
}

/// Cases in the default run.
const CASES: u64 = 500;

/// Runs `f` in a pool of one thread, so that the verifier's parallel steps run inline: cases
/// are many and small, and the fuzzer spends its time in them, not in waking threads.
fn in_one_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(f)
}

#[test]
fn the_verifier_survives_mutated_records() {
    let start = Instant::now();
    let (findings, counts) = in_one_thread(|| fuzz(0x6461_7579_7321, 0..CASES, false));
    eprintln!("fuzz_record: {CASES} cases in {:.1} s: {counts:?}", start.elapsed().as_secs_f64());
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    // The generator reaches every outcome.
    for o in [Outcome::Valid, Outcome::Invalid, Outcome::Incomplete, Outcome::Unreadable] {
        assert!(counts.contains_key(&o), "no {o:?} among {counts:?}");
    }
}

/// The long run: `DAUYS_FUZZ_CASES` (default a million) cases from `DAUYS_FUZZ_SEED`, starting
/// at case `DAUYS_FUZZ_FIRST` (default 0: to resume a run, or re-run one case of a finding).
/// The watchdog counts wall time: a process stopped (SIGSTOP) for two minutes reports a hang.
#[test]
#[ignore]
fn the_verifier_survives_a_million_mutated_records() {
    let env = |k: &str, default: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (cases, seed, first) =
        (env("DAUYS_FUZZ_CASES", 1_000_000), env("DAUYS_FUZZ_SEED", 1), env("DAUYS_FUZZ_FIRST", 0));
    let start = Instant::now();
    let (findings, counts) = in_one_thread(|| fuzz(seed, first..first.saturating_add(cases), true));
    eprintln!(
        "fuzz_record: {cases} cases from case {first} of seed {seed} in {:.0} s: {counts:?}; {} findings",
        start.elapsed().as_secs_f64(),
        findings.len()
    );
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

/// The heap of a larger record against the bound: a full chunk of demo ballots, counted by
/// this binary's allocator (a measurement for `specs/verifier.md` §2; run it with `--ignored`,
/// `DAUYS_VOTERS=N`, and `DAUYS_REGISTERED=1` for a registered election with shuffles).
#[test]
#[ignore]
fn a_larger_record_stays_under_the_bound() {
    let voters: usize = std::env::var("DAUYS_VOTERS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let mut rng = rand::rng();
    let dir = std::env::temp_dir().join(format!("dauys-fuzz-larger-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // DAUYS_REGISTERED=1: the voters register and the trustees shuffle (the bound's roll,
    // registration and shuffle terms).
    let registered = std::env::var("DAUYS_REGISTERED").is_ok_and(|v| v == "1");
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(dauys::runner::NATIONAL_MANIFEST).unwrap();
    manifest.citizen_ca = registered.then(|| ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let keys: Vec<KeyPair> = if registered {
        election.register_and_open(&ca, voters, 0, &mut rng).unwrap()
    } else {
        let keys: Vec<KeyPair> =
            (0..voters).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
        election.open(CredentialList::new(keys.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
        keys
    };
    let hot = |n: usize, i: usize| (0..n).map(|k| u64::from(k == i % n)).collect::<Vec<u64>>();
    let plans: Vec<VoterPlan> = keys
        .iter()
        .enumerate()
        .map(|(i, v)| VoterPlan {
            key: v.clone(),
            marks: vec![hot(2, i), hot(5, i), hot(9, i)],
            earlier: (i % 3 == 0).then(|| vec![hot(2, 1), hot(5, 1), hot(9, 1)]),
            challenge: i % 7 == 0,
        })
        .collect();
    election.vote(&plans, &mut rng, |_| {}).unwrap();
    election.close(&mut rng).unwrap();
    election.tally(&[1, 2, 3], &mut rng).unwrap();
    let out = dir.join("record");
    election.board.export(&out).unwrap();
    let workload = Workload::of_record(&out).unwrap();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let baseline = CURRENT.load(Relaxed);
        PEAK.store(baseline, Relaxed);
        let report = pool.install(|| verify(&out, &Options::default()).unwrap());
        let peak = (PEAK.load(Relaxed) - baseline) as u64;
        assert!(report.valid());
        let size = std::fs::metadata(out.join(record::EVENTS_FILE)).unwrap().len();
        eprintln!(
            "{threads} thread(s): {} events ({size} bytes): heap peak {peak} bytes, bound {} ({workload:?})",
            report.summary.events,
            memory_bound(&workload)
        );
        assert!(peak <= memory_bound(&workload));
    }
}

/// The heap of a registered list against the bound: `DAUYS_VOTERS` (default 50 000) citizens
/// register, the trustees shuffle, voting opens, and the record stops there (incomplete), so
/// that the roll and shuffle terms dominate (`specs/verifier.md` §2; run it with `--ignored`).
#[test]
#[ignore]
fn a_registered_list_stays_under_the_bound() {
    let voters: usize = std::env::var("DAUYS_VOTERS").ok().and_then(|v| v.parse().ok()).unwrap_or(50_000);
    let mut rng = rand::rng();
    let dir = std::env::temp_dir().join(format!("dauys-fuzz-registered-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(dauys::runner::NATIONAL_MANIFEST).unwrap();
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest, &mut rng).unwrap();
    election.register_and_open(&ca, voters, 0, &mut rng).unwrap();
    let out = dir.join("record");
    election.board.export(&out).unwrap();
    let workload = Workload::of_record(&out).unwrap();
    let baseline = CURRENT.load(Relaxed);
    PEAK.store(baseline, Relaxed);
    let report = verify(&out, &Options::default()).unwrap();
    let peak = (PEAK.load(Relaxed) - baseline) as u64;
    assert_eq!(report.verdict(), Verdict::Incomplete, "{:?}", report.failed());
    let bound = memory_bound(&workload);
    eprintln!(
        "{voters} registered: heap peak {peak} bytes, {:.1}× the longest shuffle line; bound {bound} ({workload:?})",
        peak as f64 / workload.longest_shuffle as f64
    );
    assert!(peak <= bound);
    let _ = std::fs::remove_dir_all(&dir);
}
