//! Opening a board of N events: the figure "opening a board of 1 million events" in
//! BENCHMARKS.md.
//!
//! The board: a real 3-of-5 key ceremony and an election opened for N voters on the Mazhilis
//! manifest (one party-list contest of 8 options), then one cast ballot per voter appended with
//! `Board::append_trusted` in batches of 4,096. Each ballot is one real ballot with its
//! credential (the voter's) and its first ciphertext changed, so every digest and key is new;
//! its proofs no longer verify and are not checked, as a replay does not check them. The
//! database is what a board of N ballots stores.
//!
//! Then, five times each (medians): `Board::open` (the writer: lock, key, stored state),
//! `LogReader::state` (a reader: status, export), `dauys board status`'s work; once
//! `board check` (the full replay, which is what opening cost before the state was stored).
//!
//! ```text
//! cargo bench --bench board_open -- [EVENTS (default 100000)] [DIR]
//! ```
//! DIR (default: a directory under the system's temp dir) is kept, and reused when it already
//! holds a board of that many voters.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dauys::board::reader::LogReader;
use dauys::board::store::Board;
use dauys::crypto::group::{Element, mul_g, random_scalar};
use dauys::election::ballot::Ballot;
use dauys::election::credential::CredentialList;
use dauys::election::manifest::Manifest;
use dauys::log::event::Event;
use dauys::runner::LocalElection;
use rayon::prelude::*;

const MANIFEST: &str = include_str!("../specs/examples/mazhilis-manifest.json");
const BATCH: usize = 4096;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn build(dir: &std::path::Path, voters: usize) {
    let mut rng = rand::rng();
    let started = Instant::now();
    let manifest = Manifest::from_json(MANIFEST).unwrap();
    let mut election = LocalElection::setup(dir, manifest, &mut rng).unwrap();
    // One key pair makes the template ballot; the list holds N other public credentials.
    let voter = dauys::election::credential::Credential::generate(&mut rng).key_pair("bench");
    let mut publics: Vec<Element> =
        (0..voters).into_par_iter().map(|_| Element::from_point(mul_g(&random_scalar(&mut rand::rng())))).collect();
    publics[0] = voter.public;
    let list = CredentialList::new(publics).unwrap();
    election.open(list.clone(), &mut rng).unwrap();
    let params = election.params().clone();
    let mut marks = vec![vec![0u64; 8]];
    marks[0][2] = 1;
    let (template, _) = Ballot::encrypt(&params, &voter, &marks, &mut rng).unwrap();
    let credentials: Vec<[u8; 32]> = list.iter().copied().collect();
    let mut board = election.board;
    eprintln!("ceremony and open: {:.1?}; appending {voters} ballots…", started.elapsed());
    for (chunk, creds) in credentials.chunks(BATCH).enumerate() {
        let start = mul_g(&random_scalar(&mut rng));
        let events: Vec<Event> = creds
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let mut b = template.clone();
                b.credential = Element::from_bytes("credential", c).unwrap();
                let shift = mul_g(&curve25519_dalek::Scalar::from(i as u64 + 1));
                b.contests[0].ciphertexts[0].alpha = Element::from_point(start + shift);
                Event::Cast(Box::new(b))
            })
            .collect();
        for r in board.append_trusted(events, &mut rng).unwrap() {
            r.unwrap();
        }
        if chunk % 32 == 0 {
            eprintln!("  {} events, {:.0?}", board.len(), started.elapsed());
        }
    }
    eprintln!("built {} events in {:.1?}", board.len(), started.elapsed());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let voters: usize = args.first().map_or(100_000, |n| n.parse().expect("EVENTS is a number"));
    let dir =
        args.get(1).map_or_else(|| std::env::temp_dir().join(format!("dauys-board-open-{voters}")), PathBuf::from);
    let existing = LogReader::open(&dir).and_then(|r| r.state()).ok();
    if existing.as_ref().is_none_or(|s| s.state.cast < voters as u64) {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        build(&dir, voters);
    }
    let db = std::fs::metadata(dir.join(dauys::board::store::DB_FILE)).map(|m| m.len()).unwrap_or(0);
    let opens: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let board = Board::open(&dir).unwrap();
            let elapsed = t.elapsed();
            assert!(board.len() > voters as u64);
            elapsed
        })
        .collect();
    let reads: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let stored = LogReader::open(&dir).unwrap().state().unwrap();
            assert_eq!(stored.state.counted(), voters as u64);
            t.elapsed()
        })
        .collect();
    let board = Board::open(&dir).unwrap();
    let events = board.len();
    drop(board);
    let t = Instant::now();
    let report = dauys::board::check::check(&dir).unwrap();
    let replay = t.elapsed();
    assert!(report.consistent(), "{:?}", report.differences);
    println!("board of {events} events ({voters} voters, {:.2} GB) in {}", db as f64 / 1e9, dir.display());
    println!("Board::open (writer)       median {:.3?} (runs {:?})", median(opens.clone()), opens);
    println!("LogReader::state (reader)  median {:.3?} (runs {:?})", median(reads.clone()), reads);
    println!("board check (full replay)  {replay:.1?}");
}
