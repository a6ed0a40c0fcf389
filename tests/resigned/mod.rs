//! A board covering its tracks, for the tests that forge records: a changed log written as a
//! record whose checkpoints are recomputed over it and signed again with the board's key, so
//! that the check under test, not the checkpoints' signatures, is what must catch the change.

#![allow(dead_code)]

use std::path::Path;

use dauys::crypto::group::{Fingerprint, SecretScalar};
use dauys::log::checkpoint::Checkpoint;
use dauys::log::event::Event;
use dauys::log::merkle::{Tree, leaf_hash};
use dauys::log::record;

/// The events of the record at `dir`.
pub fn events_of(dir: &Path) -> Vec<Event> {
    record::events(dir).unwrap().map(|l| serde_json::from_str(&l.unwrap().1).unwrap()).collect()
}

/// F_s of a log: its setup event's (the first).
pub fn setup_fp(events: &[Event]) -> Fingerprint {
    match &events[0] {
        Event::Setup(s) => s.manifest.setup_fingerprint(),
        _ => panic!("setup first"),
    }
}

/// The checkpoints `board` signs over the log of `lines`: one at each of `sizes` (the
/// original record's) that is below the log's length, then the header's, at its length.
pub fn checkpoints<L: AsRef<[u8]>>(
    lines: &[L],
    setup: &Fingerprint,
    board: &SecretScalar,
    sizes: &[u64],
) -> Vec<Checkpoint> {
    let mut tree = Tree::new();
    for l in lines {
        tree.push(leaf_hash(l.as_ref()));
    }
    let mut rng = rand::rng();
    let mut sign = |size: u64| Checkpoint::sign(setup, board, size, tree.root(size).unwrap(), &mut rng);
    let mut signed: Vec<Checkpoint> = sizes.iter().filter(|&&s| s < tree.len()).map(|&s| sign(s)).collect();
    signed.push(sign(tree.len()));
    signed
}

/// Writes the record of `lines` into `dir` (created) with the [`checkpoints`] `board` signs
/// over it, the last one in the header, as the board writes it.
pub fn write(dir: &Path, lines: &[String], setup: &Fingerprint, board: &SecretScalar, sizes: &[u64]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(record::EVENTS_FILE), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let signed = checkpoints(lines, setup, board, sizes);
    let text: String = signed.iter().map(|c| serde_json::to_string(c).unwrap() + "\n").collect();
    std::fs::write(dir.join(record::CHECKPOINTS_FILE), text).unwrap();
    let last = signed.last().unwrap();
    std::fs::write(dir.join(record::HEADER_FILE), record::header_line(last, last.size)).unwrap();
}
