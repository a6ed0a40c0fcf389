//! Attacks on the observer's tooling (`specs/verifier.md` §6) by a hostile board, and by
//! someone who reaches the observer's disk only through what the board serves: the proven
//! prefix of `dauys-verify RECORD --state` must never spare a check a full verification would
//! fail, and `watch` and `fetch` must refuse what the board did not sign, within bounds,
//! leaving the observer's files as they were.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use dauys::board::client::BoardClient;
use dauys::crypto::elgamal::KeyPair;
use dauys::election::ballot::Ballot;
use dauys::election::params::ElectionParams;
use dauys::log::event::Event;
use dauys::log::merkle::{Frontier, leaf_hash};
use dauys::verify::{Check, Options, Proven, Report, verify};

mod serving;
mod watching;
use serving::{Server, hostile_proxy};
use watching::{cast, marks, open_election, s, temp_dir, text, verifier, watch};

/// A board open for voting, with `voters` voters of whom `cast` have voted.
fn voting_board(dir: &Path, voters: usize, cast: usize) -> (ElectionParams, Vec<KeyPair>) {
    let mut rng = rand::rng();
    let (mut election, voters) = open_election(dir, voters);
    let params = election.params().clone();
    for (i, v) in voters[..cast].iter().enumerate() {
        let (ballot, _) = Ballot::encrypt(&params, v, &marks(i), &mut rng).unwrap();
        dauys::runner::post_all(&mut election.board, vec![Event::Cast(Box::new(ballot))], &mut rng).unwrap();
    }
    (params, voters)
}

/// A cast event's line whose signature is another ballot's: its 3.3 fails.
fn forged_line(params: &ElectionParams, voter: &KeyPair) -> String {
    let mut rng = rand::rng();
    let (mut forged, _) = Ballot::encrypt(params, voter, &marks(0), &mut rng).unwrap();
    let (other, _) = Ballot::encrypt(params, voter, &marks(1), &mut rng).unwrap();
    forged.signature = other.signature;
    serde_json::to_string(&Event::Cast(Box::new(forged))).unwrap()
}

/// The Merkle root of the first `size` lines.
fn root_of(lines: &[&str], size: usize) -> [u8; 32] {
    let mut f = Frontier::new();
    for l in &lines[..size] {
        f.push(leaf_hash(l.as_bytes()));
    }
    f.root()
}

/// A copy of the record `from` whose events are `lines`.
fn record_with(from: &Path, to: &Path, lines: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for f in ["record.json", "checkpoints.jsonl"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    std::fs::write(to.join("events.jsonl"), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
}

fn codes(report: &Report, check: Check) -> Vec<&'static str> {
    report.outcome(check).map(|c| c.failures.iter().map(|f| f.code).collect()).unwrap_or_default()
}

/// What an answer of the hostile board is: its body and the length its header claims.
/// A proxy that changes only the answers to paths starting with `prefix`.
fn tamper_with(target: &str, prefix: &'static str, f: fn(Vec<u8>) -> (Vec<u8>, usize)) -> String {
    hostile_proxy(
        target.to_string(),
        Arc::new(move |path, body| {
            if path.starts_with(prefix) {
                f(body)
            } else {
                let n = body.len();
                (body, n)
            }
        }),
    )
}

fn no_panic(out: &Output) {
    assert!(!text(out).contains("panicked"), "{}", text(out));
}

/// A ballot cast before voting opened, where the watcher's prefix ends between the two: the
/// watcher had no parameters to verify it with (so it neither verified nor refused it), while
/// the final verification, whose chunk ends after the open event, has them. Before the fix it
/// took the ballot as proven and passed 3.3 where a full verification fails it.
#[test]
fn a_ballot_before_an_open_after_the_prefix_is_not_spared() {
    let dir = temp_dir("dauys-watch-attacks");
    let (params, voters) = voting_board(&dir.join("board"), 2, 1);
    let server = Server::start(&dir.join("board"));
    let record = dir.join("record");
    dauys::watch::fetch(&server.url, None, &record, std::time::Duration::from_secs(30)).unwrap();
    server.stop();
    let text = std::fs::read_to_string(record.join("events.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let open = lines.iter().position(|l| l.starts_with(r#"{"kind":"open""#)).unwrap();
    let forged = forged_line(&params, &voters[1]);
    lines.insert(open, &forged);
    let hostile = dir.join("hostile");
    record_with(&record, &hostile, &lines);

    // What the watcher saw: the log up to the forged ballot, before voting opened.
    let prefix = dir.join("prefix");
    record_with(&record, &prefix, &lines[..=open]);
    let seen = verify(&prefix, &Options::default()).unwrap();
    assert!(seen.summary.proof_failures.is_empty(), "the watcher refused nothing: {:?}", seen.summary.proof_failures);
    let proven = Proven { size: open as u64 + 1, root: root_of(&lines, open + 1), refused: vec![] };

    let full = verify(&hostile, &Options::default()).unwrap();
    assert!(codes(&full, Check::BallotSignature).contains(&"fail-ballot-signature"), "{:?}", full.failed());
    let with_state = verify(&hostile, &Options { proven: Some(proven.clone()), ..Default::default() }).unwrap();
    assert!(codes(&with_state, Check::BallotSignature).contains(&"fail-ballot-signature"), "{:?}", with_state.failed());
    // The prefix matched: nothing else is blamed on it.
    assert!(!codes(&with_state, Check::BallotSignature).contains(&"fail-not-proven-prefix"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Records that do not extend the proven prefix, or extend it by a forged ballot: nothing the
/// watcher did not verify is spared.
#[test]
fn a_proven_prefix_spares_only_the_events_it_pins() {
    let dir = temp_dir("dauys-watch-attacks");
    let (params, voters) = voting_board(&dir.join("board"), 3, 2);
    let server = Server::start(&dir.join("board"));
    let record = dir.join("record");
    dauys::watch::fetch(&server.url, None, &record, std::time::Duration::from_secs(30)).unwrap();
    server.stop();
    let text = std::fs::read_to_string(record.join("events.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let proven = Proven { size: n as u64, root: root_of(&lines, n), refused: vec![] };
    let with = |dir: &Path, proven: &Proven| {
        verify(dir, &Options { proven: Some(proven.clone()), ..Default::default() }).unwrap()
    };
    let spared = [Check::BallotSignature, Check::OptionProofs, Check::SumProofs];
    assert!(with(&record, &proven).failed().iter().all(|c| !spared.contains(c)));

    // The last event of the prefix (a ballot) replaced by a forged one: the root differs.
    let forged = forged_line(&params, &voters[2]);
    let mut swapped = lines.clone();
    swapped[n - 1] = &forged;
    record_with(&record, &dir.join("swapped"), &swapped);
    let r = with(&dir.join("swapped"), &proven);
    for c in spared {
        assert!(codes(&r, c).contains(&"fail-not-proven-prefix"), "{c:?}: {:?}", r.failed());
    }

    // A record shorter than the prefix (the root is never reached).
    record_with(&record, &dir.join("short"), &lines[..n - 1]);
    let r = with(&dir.join("short"), &proven);
    for c in spared {
        assert!(codes(&r, c).contains(&"fail-not-proven-prefix"), "{c:?}: {:?}", r.failed());
    }

    // A forged ballot right after the prefix (its first unproven index, inside the same
    // chunk): verified, and refused, though the prefix matches.
    let mut longer = lines.clone();
    longer.push(&forged);
    record_with(&record, &dir.join("longer"), &longer);
    let r = with(&dir.join("longer"), &proven);
    assert_eq!(codes(&r, Check::BallotSignature), vec!["fail-ballot-signature"]);
    assert_eq!(r.summary.proof_failures, vec![n as u64]);

    // The same prefix with a prefix size one past it: the forged ballot would be spared, but
    // the root at that size is not the proven one, so 3.3–3.5 fail all the same.
    let off_by_one = Proven { size: n as u64 + 1, ..proven.clone() };
    let r = with(&dir.join("longer"), &off_by_one);
    for c in spared {
        assert!(codes(&r, c).contains(&"fail-not-proven-prefix"), "{c:?}: {:?}", r.failed());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Answers beyond any bound: a `/checkpoint` padded to a megabyte, an `/entries` page with one
/// event too many, an answer shorter than its `content-length`. Each is refused without a
/// panic, and the watcher's events and state stay as they were.
#[test]
fn a_watcher_refuses_oversize_short_and_miscounted_answers() {
    let dir = temp_dir("dauys-watch-attacks");
    let (params, voters) = voting_board(&dir.join("board"), 3, 1);
    let server = Server::start(&dir.join("board"));
    let state = dir.join("w.state");
    assert!(watch(&server.url, &state, &[]).status.success());
    cast(&server.url, &params, &voters[1..], 1);
    let events = dauys::watch::record_dir(&state).join("events.jsonl");
    let held = std::fs::read(&events).unwrap();
    let saved = std::fs::read(&state).unwrap();

    // JSON whitespace is valid JSON: only a bound stops it.
    let padded = tamper_with(&server.url, "/checkpoint", |mut body| {
        body.splice(1..1, std::iter::repeat_n(b' ', 1 << 20));
        let n = body.len();
        (body, n)
    });
    let out = watch(&padded, &state, &[]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("larger than"), "{}", text(&out));

    let one_more = tamper_with(&server.url, "/entries", |body| {
        let mut entries: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        entries.push(entries[0].clone());
        let parts: Vec<String> = entries.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
        let body = format!("[{}]", parts.join(",")).into_bytes();
        let n = body.len();
        (body, n)
    });
    let out = watch(&one_more, &state, &[]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("3 events for 2 asked"), "{}", text(&out));

    let short = tamper_with(&server.url, "/entries", |mut body| {
        let n = body.len();
        body.truncate(n / 2);
        (body, n)
    });
    let out = watch(&short, &state, &[]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    assert_eq!(std::fs::read(&events).unwrap(), held, "a refused download leaves the events held");
    assert_eq!(std::fs::read(&state).unwrap(), saved, "and the state");
    let out = watch(&server.url, &state, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("ballots checked: 3, refused: 0"), "{}", text(&out));
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A board that serves an older signed checkpoint after a newer one (its log shrank), and a
/// state file edited by hand: both refused, naming what is wrong.
#[test]
fn a_shrinking_log_and_an_edited_state_are_refused() {
    let dir = temp_dir("dauys-watch-attacks");
    let (params, voters) = voting_board(&dir.join("board"), 3, 1);
    let server = Server::start(&dir.join("board"));
    let state = dir.join("w.state");
    assert!(watch(&server.url, &state, &[]).status.success());
    let old = serde_json::to_vec(&dauys::watch::State::read(&state).unwrap().checkpoint.unwrap()).unwrap();
    cast(&server.url, &params, &voters[1..], 1);
    assert!(watch(&server.url, &state, &[]).status.success());
    let saved = std::fs::read(&state).unwrap();
    let replay = hostile_proxy(
        server.url.clone(),
        Arc::new(move |path, body| {
            let body = if path == "/checkpoint" { old.clone() } else { body };
            let n = body.len();
            (body, n)
        }),
    );
    let out = watch(&replay, &state, &[]);
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(std::fs::read(&state).unwrap(), saved);

    // Edited by hand: more events verified than its checkpoint holds, or `refused` out of order.
    let record = dir.join("record");
    dauys::watch::fetch(&server.url, None, &record, std::time::Duration::from_secs(30)).unwrap();
    server.stop();
    let mut json: serde_json::Value = serde_json::from_slice(&saved).unwrap();
    json["verified"] = serde_json::json!(json["verified"].as_u64().unwrap() + 1);
    let edited = dir.join("more.state");
    std::fs::write(&edited, json.to_string()).unwrap();
    let out = verifier(&[s(&record), "--state", s(&edited)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("not those of its checkpoint"), "{}", text(&out));
    let mut json: serde_json::Value = serde_json::from_slice(&saved).unwrap();
    json["refused"] = serde_json::json!([5, 3]);
    std::fs::write(&edited, json.to_string()).unwrap();
    let out = verifier(&[s(&record), "--state", s(&edited)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Untouched, the state verifies the record.
    assert_eq!(verifier(&[s(&record), "--state", s(&state)]).status.code(), Some(3));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fetch whose files are not of one snapshot (`checkpoints.jsonl` of an earlier moment), or
/// whose events stop short of their `content-length`: refused, leaving no directory, no
/// temporary one, nothing to verify by mistake.
#[test]
fn a_fetch_of_mixed_or_cut_files_leaves_nothing() {
    let dir = temp_dir("dauys-watch-attacks");
    let (_params, _voters) = voting_board(&dir.join("board"), 2, 2);
    let server = Server::start(&dir.join("board"));
    let fetch = |url: &str, name: &str| {
        let out = verifier(&["fetch", "--board", url, s(&dir.join(name))]);
        no_panic(&out);
        assert!(!dir.join(name).exists(), "{name}: a failed fetch leaves no record");
        let partial =
            std::fs::read_dir(&dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("partial"));
        assert!(!partial, "{name}: nor a partial one");
        out
    };
    let earlier = tamper_with(&server.url, "/record/checkpoints.jsonl", |body| {
        let text = String::from_utf8(body).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let body = lines[..lines.len() - 1].iter().map(|l| format!("{l}\n")).collect::<String>().into_bytes();
        let n = body.len();
        (body, n)
    });
    let out = fetch(&earlier, "earlier");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("not of one snapshot"), "{}", text(&out));

    let cut = tamper_with(&server.url, "/record/events.jsonl", |mut body| {
        let n = body.len();
        body.truncate(n - 10);
        (body, n)
    });
    let out = fetch(&cut, "cut");
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));

    assert!(verifier(&["fetch", "--board", &server.url, s(&dir.join("honest"))]).status.success());
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A board that accepts the connection and never answers does not hold the watcher: an answer
/// that has not begun within `--wait` seconds makes the board unreachable (exit 2). (Found by
/// the adversarial review: the client had a connect timeout only.) The body of an answer has
/// no time limit, so a long honest answer is not cut.
#[test]
fn a_board_that_never_answers_does_not_hold_the_watcher() {
    let dir = temp_dir("dauys-watch-attacks");
    voting_board(&dir.join("board"), 1, 0);
    let server = Server::start(&dir.join("board"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = server.url.clone();
    std::thread::spawn(move || {
        let client = BoardClient::new(&target);
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let path = String::from_utf8_lossy(&buf[..n]).split(' ').nth(1).unwrap_or("/").to_string();
            if path == "/checkpoint" {
                held.push(stream);
                continue;
            }
            let (status, body) = client.request("GET", &path, None).unwrap();
            let head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
        .args(["watch", "--board", &url, "--polls", "1", "--interval", "0", "--wait", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut ended = None;
    for _ in 0..50 {
        if let Some(status) = child.try_wait().unwrap() {
            ended = Some(status.code());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if ended.is_none() {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(ended, Some(Some(2)), "the watcher still waits for a board that never answers, or did not say so");
}
