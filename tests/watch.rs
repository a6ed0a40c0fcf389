//! Getting and following a record (`dauys-verify fetch`, `dauys-verify watch`) against a real
//! board served in-process: a fetched snapshot verifies; a watcher verifies ballots as they
//! arrive, resumes from its state, refuses a state of another election, and catches a board
//! that signs one log and serves another; a hostile board's answers (unknown file names,
//! oversize files) are refused and leave nothing behind.

use std::path::Path;

use dauys::board::client::BoardClient;
use dauys::board::store::Board;
use dauys::crypto::elgamal::KeyPair;
use dauys::election::ballot::Ballot;
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::election::trustee::TrusteeSecrets;
use dauys::log::event::Event;
use dauys::runner::LocalElection;
use dauys::verify::{Check, Options, Proven, verify};

mod serving;
mod watching;
use serving::Server;
use watching::{cast, marks, open_election, s, temp_dir, text, verifier, watch};

/// A board open for voting, its parameters, voters and trustees.
fn open_board(dir: &Path, voters: usize) -> (ElectionParams, Vec<KeyPair>, Vec<TrusteeSecrets>) {
    let (mut election, voters) = open_election(dir, voters);
    let params = election.params().clone();
    let trustees = std::mem::take(&mut election.trustees);
    (params, voters, trustees)
}

/// Closes voting and tallies, on the board's files (no server running).
fn close_and_tally(dir: &Path, trustees: Vec<TrusteeSecrets>) {
    let mut rng = rand::rng();
    let mut board = Board::open(dir).unwrap();
    dauys::runner::post_all(&mut board, vec![Event::Close], &mut rng).unwrap();
    let mut local = LocalElection { board, trustees };
    local.tally(&[1, 2, 3], &mut rng).unwrap();
}

#[test]
fn a_watched_election_fetched_at_close_verifies_with_the_watchers_state() {
    let dir = temp_dir("dauys-watch");
    let board = dir.join("board");
    let (params, voters, trustees) = open_board(&board, 5);
    let server = Server::start(&board);
    let state = dir.join("observer.state");
    cast(&server.url, &params, &voters[..3], 0);
    let out = watch(&server.url, &state, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("ballots checked: 3, refused: 0"), "{}", text(&out));

    // During voting: a snapshot is incomplete, not invalid.
    let early = dir.join("early");
    let out = verifier(&["fetch", "--board", &server.url, s(&early)]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!("dauys-verify {}", early.display())), "{}", text(&out));
    assert_eq!(verifier(&[s(&early)]).status.code(), Some(3));
    // A directory that is not empty is not overwritten.
    let out = verifier(&["fetch", "--board", &server.url, s(&early), "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["file"], s(&early));

    cast(&server.url, &params, &voters[3..], 3);
    let out = watch(&server.url, &state, &["--lang", "ru"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("проверено бюллетеней: 5, отклонено: 0"), "{}", text(&out));
    server.stop();

    close_and_tally(&board, trustees);
    let server = Server::start(&board);
    let record = dir.join("record");
    let out = verifier(&["fetch", "--board", &server.url, s(&record), "--lang", "kk"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("жүктеп алынды"), "{}", text(&out));
    server.stop();
    assert!(!std::fs::read_dir(&dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("partial")));
    let out = verifier(&[s(&record)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // With the watcher's state: its checkpoint is a prefix (7.1), and it still verifies.
    let out = verifier(&[s(&record), "--state", s(&state), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["checks"].as_array().unwrap().iter().any(|c| c["id"] == "7.1" && c["passed"] == true));

    // The state's prefix must be the record's: another root fails the proofs it covers.
    let saved = dauys::watch::State::read(&state).unwrap();
    let proven = saved.proven().unwrap();
    assert_eq!(proven.refused, Vec::<u64>::new());
    let wrong = Proven { root: [9; 32], ..proven.clone() };
    let report = verify(&record, &Options { proven: Some(wrong), ..Default::default() }).unwrap();
    assert_eq!(report.failed(), vec![Check::BallotSignature, Check::OptionProofs, Check::SumProofs]);
    let report = verify(&record, &Options { proven: Some(proven), ..Default::default() }).unwrap();
    assert!(report.valid(), "{:?}", report.failed());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_watcher_resumes_and_refuses_another_elections_state() {
    let dir = temp_dir("dauys-watch");
    let (params, voters, _trustees) = open_board(&dir.join("a"), 4);
    let server = Server::start(&dir.join("a"));
    let state = dir.join("a.state");
    cast(&server.url, &params, &voters[..2], 0);
    let key = dir.join("witness.key");
    let out = watch(&server.url, &state, &["--witness-key", s(&key)]);
    assert!(out.status.success(), "{}", text(&out));
    let public = dauys::watch::witness_key(&key).unwrap().public().to_hex();
    assert!(
        text(&out).contains(&format!(
            "witness public key (publish it, so that others can check its co-signatures): {public}"
        ))
    );
    let first = dauys::watch::State::read(&state).unwrap();
    // Two ballots after the setup and ceremony events.
    let size = first.verified;
    assert!(size > 2 && first.checkpoint.as_ref().unwrap().size == size);

    cast(&server.url, &params, &voters[2..], 2);
    let out = watch(&server.url, &state, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains(&format!("{size} events already checked")), "{t}");
    // Only the two new events were downloaded; every ballot is counted.
    assert!(t.contains("2 new events have its Merkle root"), "{t}");
    assert!(t.contains("ballots checked: 4, refused: 0"), "{t}");

    // The watcher's own events changed behind its back: it says so rather than trust them.
    let events = dauys::watch::record_dir(&state).join("events.jsonl");
    let mut lines = std::fs::read_to_string(&events).unwrap();
    lines = lines.replacen("\"kind\"", "\"kind\" ", 1);
    std::fs::write(&events, &lines).unwrap();
    let out = watch(&server.url, &state, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("own events"), "{}", text(&out));

    // A state of election A given to a watcher of board B: another election, not a fork.
    let (_, _, _) = open_board(&dir.join("b"), 2);
    let other = Server::start(&dir.join("b"));
    let out = watch(&other.url, &state, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    let hex = |f: dauys::crypto::group::Fingerprint| dauys::crypto::group::to_hex(f.as_bytes());
    assert!(t.contains("is the state of another election") && !t.contains("another history"), "{t}");
    assert!(t.contains(&hex(first.setup)) && t.contains(&first.board_key.to_hex()), "{t}");
    let b = BoardClient::new(&other.url).get("/election").unwrap();
    let b_setup = serde_json::from_value::<Manifest>(b["manifest"].clone()).unwrap().setup_fingerprint();
    assert!(t.contains(&hex(b_setup)) && b_setup != first.setup, "{t}");
    other.stop();
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_ballot_with_a_bad_signature_is_refused_as_it_arrives() {
    let dir = temp_dir("dauys-watch");
    let board_dir = dir.join("board");
    let (params, voters, _trustees) = open_board(&board_dir, 3);
    let server = Server::start(&board_dir);
    let state = dir.join("w.state");
    cast(&server.url, &params, &voters[..2], 0);
    assert!(watch(&server.url, &state, &[]).status.success());
    server.stop();
    // A board that lets a forged ballot in: the third voter's ballot with another's signature.
    let mut rng = rand::rng();
    let (mut forged, _) = Ballot::encrypt(&params, &voters[2], &marks(2), &mut rng).unwrap();
    let (other, _) = Ballot::encrypt(&params, &voters[2], &marks(3), &mut rng).unwrap();
    forged.signature = other.signature;
    let mut board = Board::open(&board_dir).unwrap();
    let at = board.len();
    board.append_trusted(vec![Event::Cast(Box::new(forged))], &mut rng).unwrap().pop().unwrap().unwrap();
    drop(board);
    let server = Server::start(&board_dir);
    let out = watch(&server.url, &state, &[]);
    server.stop();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("ballots checked: 3, refused: 1"), "{t}");
    assert!(t.contains("FAILED 3.3") && t.contains(&format!("ballot at event {at}")), "{t}");
    let saved = dauys::watch::State::read(&state).unwrap();
    assert_eq!(saved.refused, vec![at]);
    // The state's refused ballot is verified again by the final verification; a state that
    // claimed it verified would be trusted (the observer's own computation).
    let record = dauys::watch::record_dir(&state);
    let report = verify(&record, &Options { proven: saved.proven(), ..Default::default() }).unwrap();
    assert!(report.outcome(Check::BallotSignature).unwrap().failed());
    let trusting = Proven { refused: vec![], ..saved.proven().unwrap() };
    let report = verify(&record, &Options { proven: Some(trusting), ..Default::default() }).unwrap();
    assert!(report.outcome(Check::BallotSignature).unwrap().passed());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A board in front of a real one whose answers `tamper` (path, body) changes; the length
/// sent is the body's.
fn tampering(target: String, tamper: fn(&str, Vec<u8>) -> Vec<u8>) -> String {
    serving::hostile_proxy(
        target,
        std::sync::Arc::new(move |path, body| {
            let body = tamper(path, body);
            let n = body.len();
            (body, n)
        }),
    )
}

#[test]
fn a_hostile_board_is_caught_and_leaves_nothing() {
    let dir = temp_dir("dauys-watch");
    let board_dir = dir.join("board");
    let (params, voters, _trustees) = open_board(&board_dir, 3);
    let server = Server::start(&board_dir);
    cast(&server.url, &params, &voters, 0);
    let fetch = |url: &str, name: &str| {
        let out = verifier(&["fetch", "--board", url, s(&dir.join(name))]);
        assert!(!dir.join(name).exists(), "{name}: a failed fetch leaves no record");
        out
    };
    // A file name that is not one of the record's (a path out of the directory).
    let url = tampering(server.url.clone(), |path, body| {
        if path == "/record" {
            String::from_utf8(body).unwrap().replace("cosignatures.jsonl", "../../evil").into_bytes()
        } else {
            body
        }
    });
    let out = fetch(&url, "unknown");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("../../evil") && text(&out).contains("not one of the record's files"),
        "{}",
        text(&out)
    );
    // A header larger than any header.
    let url = tampering(server.url.clone(), |path, mut body| {
        if path.starts_with("/record/record.json") {
            body.splice(1..1, std::iter::repeat_n(b' ', 5000));
        }
        body
    });
    let out = fetch(&url, "oversize");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("record.json") && text(&out).contains("larger than a record file may be"),
        "{}",
        text(&out)
    );
    // Events other than the ones the board signed (two swapped): served for a fetch and to a
    // watcher, both catch it.
    let swap = |path: &str, body: Vec<u8>| -> Vec<u8> {
        let text = String::from_utf8(body).unwrap();
        if path.starts_with("/record/events.jsonl") {
            let mut lines: Vec<&str> = text.lines().collect();
            let n = lines.len();
            lines.swap(n - 1, n - 2);
            return (lines.join("\n") + "\n").into_bytes();
        }
        if path.starts_with("/entries") {
            let mut entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            let n = entries.len();
            entries.swap(n - 1, n - 2);
            let parts: Vec<String> = entries.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
            return format!("[{}]", parts.join(",")).into_bytes();
        }
        text.into_bytes()
    };
    let url = tampering(server.url.clone(), swap);
    let out = fetch(&url, "swapped");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("signs one log and serves another"), "{}", text(&out));
    let state = dir.join("w.state");
    let out = watch(&url, &state, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("signs one log and serves another"), "{}", text(&out));
    // The honest board, for comparison: both succeed.
    assert!(watch(&server.url, &state, &[]).status.success());
    assert!(verifier(&["fetch", "--board", &server.url, s(&dir.join("honest"))]).status.success());
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}
