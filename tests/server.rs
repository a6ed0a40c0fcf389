//! The board over HTTP, on loopback: voters posting concurrently, every bad input refused
//! with its status and nothing appended, and the record served at the end passing the
//! verifier.

use std::path::{Path, PathBuf};

use dauys::board::client::BoardClient;
use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{Element, Fingerprint};
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::log::checkpoint::{Checkpoint, Receipt};
use dauys::runner::{DEMO_MANIFEST, LocalElection, NATIONAL_MANIFEST};
use dauys::verify::{Check, Options, verify};
use rand::RngExt;

mod serving;
use serving::Server;

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("dauys-server-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

fn marks(i: usize) -> Vec<Vec<u64>> {
    let hot = |n: usize, k: usize| (0..n).map(|j| u64::from(j == k % n)).collect();
    vec![hot(2, i), hot(5, i), hot(9, i)]
}

#[test]
fn an_election_over_http() {
    let dir = temp_dir();
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> =
        (0..24).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    let trustees = std::mem::take(&mut election.trustees);
    drop(election);

    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    let info = client.get("/election").unwrap();
    assert_eq!(info["phase"], "voting");
    let board_key: dauys::crypto::group::Element = serde_json::from_value(info["board_key"].clone()).unwrap();
    let events = |c: &BoardClient| c.get("/health").unwrap()["events"].as_u64().unwrap();

    // Voters post concurrently, from four threads.
    let receipts: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = voters
            .chunks(6)
            .enumerate()
            .map(|(t, chunk)| {
                let (params, url) = (&params, &server.url);
                s.spawn(move || {
                    let client = BoardClient::new(url);
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let (ballot, _) = Ballot::encrypt(params, v, &marks(t * 6 + i), &mut rand::rng()).unwrap();
                            client.cast(&ballot).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(receipts.len(), 24);
    for r in &receipts {
        r.verify(&params.setup, &board_key).unwrap();
    }

    // Every bad input: a clear 4xx and an unchanged log.
    let before = events(&client);
    let (good, secrets) = Ballot::encrypt(&params, &voters[0], &marks(1), &mut rng).unwrap();
    let good_json = serde_json::to_vec(&good).unwrap();
    let mut bad_proof = good.clone();
    bad_proof.contests[0].option_proofs[0].0.responses[0] += curve25519_dalek::scalar::Scalar::ONE;
    let stranger = Ballot::encrypt(&params, &KeyPair::generate(&mut rng), &marks(0), &mut rng).unwrap().0;
    let mut other_election = good.clone();
    other_election.election = Fingerprint([1; 32]);
    let cases: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        ("/ballots", "application/json", b"{\"contests\": [".to_vec(), 400, "malformed"),
        ("/ballots", "application/json", b"{\"contests\":[],\"extra\":1}".to_vec(), 400, "malformed"),
        ("/ballots", "text/plain", good_json.clone(), 415, "content_type"),
        ("/ballots", "application/json", serde_json::to_vec(&bad_proof).unwrap(), 422, "rejected"),
        ("/ballots", "application/json", serde_json::to_vec(&stranger).unwrap(), 422, "rejected"),
        ("/ballots", "application/json", serde_json::to_vec(&other_election).unwrap(), 422, "rejected"),
    ];
    for (path, content_type, body, status, code) in cases {
        let (got, bytes) = client.request("POST", path, Some((content_type, body))).unwrap();
        assert_eq!(got, status, "{code}: {}", String::from_utf8_lossy(&bytes));
        if !code.is_empty() {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(v["error"], code);
            assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
        }
        assert_eq!(events(&client), before, "a refused request changed the log");
    }
    // A duplicate: the same ballot twice. The 409 carries the receipt of the ballot in the
    // log, so a voter whose first reply was lost gets it.
    let first = client.cast(&good).unwrap();
    let refusal = client.cast(&good).unwrap_err();
    assert_eq!((refusal.status, refusal.code.as_str()), (409, "duplicate"));
    let again = refusal.receipt.expect("the 409 carries the receipt");
    assert_eq!((again.index, again.leaf_hash), (first.index, first.leaf_hash));
    again.verify(&params.setup, &board_key).unwrap();
    // A challenged ballot: held by the board (202, not in the log), then the same ballot cast:
    // refused; posted again: refused.
    let (challenged, challenged_secrets) = Ballot::encrypt(&params, &voters[1], &marks(2), &mut rng).unwrap();
    let spoiled = challenged.challenge(challenged_secrets);
    let before = events(&client);
    let (status, bytes) =
        client.request("POST", "/spoiled", Some(("application/json", serde_json::to_vec(&spoiled).unwrap()))).unwrap();
    let held: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!((status, held["status"].as_str()), (202, Some("held")), "{held}");
    assert_eq!(held["tracking_code"].as_str(), Some(challenged.tracking_code().as_str()));
    assert!(held["detail"].as_str().unwrap().contains("when voting closes"));
    assert_eq!(events(&client), before, "a challenged ballot is not in the log while voting is open");
    assert_eq!(client.cast(&challenged).unwrap_err().status, 409);
    assert_eq!(client.challenge(&spoiled).unwrap_err().status, 409);
    drop(secrets);

    // Proofs served by the board check out against its checkpoint.
    let cp: dauys::log::checkpoint::Checkpoint = serde_json::from_value(client.get("/checkpoint").unwrap()).unwrap();
    let r = &receipts[5];
    let incl = client.get(&format!("/proof/inclusion?index={}&size={}", r.index, cp.size)).unwrap();
    let proof: Vec<[u8; 32]> = serde_json::from_value::<Vec<String>>(incl["proof"].clone())
        .unwrap()
        .iter()
        .map(|h| dauys::crypto::group::hex32("h", h).unwrap())
        .collect();
    dauys::log::merkle::verify_inclusion(r.index, cp.size, &r.leaf_hash, &proof, &cp.root).unwrap();
    let entries = client.get("/entries?start=0&end=3").unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 3);
    assert_eq!(client.request("GET", "/entries?start=0&end=100000", None).unwrap().0, 400);
    server.stop();

    // The operator closes and tallies; trustees decrypt (offline, on the same files).
    let mut board = dauys::board::store::Board::open(&dir).unwrap();
    dauys::runner::post_all(&mut board, vec![dauys::log::event::Event::Close], &mut rng).unwrap();
    let mut local = LocalElection { board, trustees };
    local.tally(&[2, 4, 5], &mut rng).unwrap();
    drop(local);

    // The record served over HTTP passes the verifier; voting is closed, so a ballot is refused.
    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    let before = events(&client);
    let (late, _) = Ballot::encrypt(&params, &voters[3], &marks(3), &mut rng).unwrap();
    let refusal = client.cast(&late).unwrap_err();
    assert_eq!((refusal.status, refusal.code.as_str()), (422, "rejected"));
    assert!(refusal.detail.contains("is not allowed after"), "{refusal}");
    assert_eq!(events(&client), before);
    let record = dir.join("downloaded");
    client.download_record(&record).unwrap();

    // An earlier signed snapshot: every file cut at its size, the log consistent with it.
    let first: dauys::log::checkpoint::Checkpoint = serde_json::from_str(
        std::str::from_utf8(&client.request("GET", "/record/checkpoints.jsonl", None).unwrap().1)
            .unwrap()
            .lines()
            .nth(3)
            .unwrap(),
    )
    .unwrap();
    let earlier = dir.join("earlier");
    std::fs::create_dir_all(&earlier).unwrap();
    for file in ["record.json", "events.jsonl", "checkpoints.jsonl", "cosignatures.jsonl"] {
        let (status, bytes) = client.request("GET", &format!("/record/{file}?size={}", first.size), None).unwrap();
        assert_eq!(status, 200, "{file}");
        std::fs::write(earlier.join(file), bytes).unwrap();
    }
    let prefix = verify(&earlier, &Options::default()).unwrap();
    assert_eq!(prefix.summary.events, first.size);
    for check in [Check::RecordWellFormed, Check::FinalRoot, Check::CheckpointSignatures, Check::CheckpointConsistency]
    {
        assert!(prefix.outcome(check).unwrap().passed(), "{check:?} on the snapshot of size {}", first.size);
    }
    assert!(!prefix.valid(), "a snapshot during the ceremony is not a finished election");
    let beyond = client.get("/record").unwrap()["size"].as_u64().unwrap() + 1;
    let unsigned = client.request("GET", &format!("/record/events.jsonl?size={beyond}"), None).unwrap();
    assert_eq!(unsigned.0, 404, "only signed sizes are served");
    server.stop();
    let report = verify(&record, &Options::default()).unwrap();
    assert!(
        report.valid(),
        "{:?}",
        report.checks.iter().filter(|c| !c.passed()).map(|c| c.detail()).collect::<Vec<_>>()
    );
    assert_eq!(report.summary.counted, 24);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `dauys board serve` as a child process; its URL from its first line of output.
fn spawn_server(dir: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args(["board", "serve", "--dir", dir.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url)
}

/// The inclusion proof (or consistency proof) a board serves, as hashes.
fn hashes(v: serde_json::Value) -> Vec<[u8; 32]> {
    serde_json::from_value::<Vec<String>>(v["proof"].clone())
        .unwrap()
        .iter()
        .map(|h| dauys::crypto::group::hex32("h", h).unwrap())
        .collect()
}

/// Every receipt's entry is in the board's newest log, which extends the receipt's.
fn receipts_hold(client: &BoardClient, receipts: &[Receipt], setup: &Fingerprint, board_key: &Element) -> Checkpoint {
    let newest: Checkpoint = serde_json::from_value(client.get("/checkpoint").unwrap()).unwrap();
    newest.verify(setup, board_key).unwrap();
    for r in receipts {
        r.verify(setup, board_key).unwrap();
        let incl = client.get(&format!("/proof/inclusion?index={}&size={}", r.index, newest.size)).unwrap();
        dauys::log::merkle::verify_inclusion(r.index, newest.size, &r.leaf_hash, &hashes(incl), &newest.root).unwrap();
        if r.checkpoint.size < newest.size {
            let cons =
                client.get(&format!("/proof/consistency?from={}&to={}", r.checkpoint.size, newest.size)).unwrap();
            dauys::log::merkle::verify_consistency(
                r.checkpoint.size,
                newest.size,
                &hashes(cons),
                &r.checkpoint.root,
                &newest.root,
            )
            .unwrap();
        } else {
            assert_eq!(r.checkpoint.root, newest.root);
        }
    }
    newest
}

/// `rounds` times: a server, four clients posting `per_round` new voters' ballots, a SIGKILL
/// at a random moment. After every restart the stored state is a replay's (`board check`)
/// and every receipt ever issued holds. Returns the receipts, the credentials (the last one
/// unused) and the board's directory.
fn crash_rounds(rounds: usize, per_round: usize) -> (Vec<Receipt>, Vec<Credential>, PathBuf) {
    let dir = temp_dir();
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let creds: Vec<Credential> = (0..rounds * per_round + 1).map(|_| Credential::generate(&mut rng)).collect();
    let voters: Vec<KeyPair> = creds.iter().map(|c| c.key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    let (setup, board_key) = (election.board.setup_fingerprint(), election.board.board_key());
    drop(election);
    let mut receipts: Vec<Receipt> = Vec::new();
    for round in 0..rounds {
        let (mut child, url) = spawn_server(&dir);
        if round > 0 {
            let report = dauys::board::check::check(&dir).unwrap();
            assert!(report.consistent(), "after crash {round}: {:?}", report.differences);
            receipts_hold(&BoardClient::new(&url), &receipts, &setup, &board_key);
        }
        let issued = std::sync::Mutex::new(Vec::new());
        let chunk = &voters[round * per_round..(round + 1) * per_round];
        let kill_after = std::time::Duration::from_millis(rng.random_range(20..400));
        std::thread::scope(|s| {
            for t in 0..4 {
                let (params, url, issued) = (&params, &url, &issued);
                s.spawn(move || {
                    let client = BoardClient::new(url);
                    for (i, v) in chunk.iter().enumerate().skip(t).step_by(4) {
                        let (ballot, _) = Ballot::encrypt(params, v, &marks(i), &mut rand::rng()).unwrap();
                        match client.cast(&ballot) {
                            Ok(r) => issued.lock().unwrap().push(r),
                            Err(_) => return, // the server is gone
                        }
                    }
                });
            }
            std::thread::sleep(kill_after);
            child.kill().unwrap();
            child.wait().unwrap();
        });
        receipts.extend(issued.into_inner().unwrap());
    }
    (receipts, creds, dir)
}

#[test]
fn receipts_survive_crashes() {
    let (receipts, creds, dir) = crash_rounds(3, 40);
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let (setup, board_key) = {
        let stored = dauys::board::reader::LogReader::open(&dir).unwrap().state().unwrap();
        (stored.setup_fingerprint().unwrap(), stored.board_key().unwrap())
    };
    let (mut child, url) = spawn_server(&dir);
    let client = BoardClient::new(&url);
    receipts_hold(&client, &receipts, &setup, &board_key);
    let served = dauys::board::reader::LogReader::open(&dir).unwrap().state().unwrap().state.setup.unwrap().manifest;
    assert_eq!((served.setup_fingerprint(), &served.election_id), (setup, &manifest.election_id));

    // The voter's commands over HTTP: vote (challenge the first ballot, cast the second), then
    // check the receipt.
    let saved = dir.join("receipt.json");
    let mut vote = std::process::Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args([
            "vote",
            "--board",
            &url,
            "--credential",
            creds.last().unwrap().as_str(),
            "--receipt",
            saved.to_str().unwrap(),
        ])
        .args(["--choice", "referendum=yes", "--choice", "president=candidate-b", "--choice", "mazhilis=party-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        vote.stdin.take().unwrap().write_all(b"challenge\ncast\n").unwrap();
    }
    let out = vote.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("ballot cast, tracking code"), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args(["receipt", "check", "--board", &url, saved.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("receipt OK"));
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The long run: ten SIGKILLs under load (`cargo test --test server -- --ignored`).
#[test]
#[ignore]
fn receipts_survive_ten_crashes() {
    let (receipts, _, dir) = crash_rounds(10, 200);
    let stored = dauys::board::reader::LogReader::open(&dir).unwrap().state().unwrap();
    let (mut child, url) = spawn_server(&dir);
    receipts_hold(
        &BoardClient::new(&url),
        &receipts,
        &stored.setup_fingerprint().unwrap(),
        &stored.board_key().unwrap(),
    );
    eprintln!("10 crashes: {} receipts issued, none lost; {} events", receipts.len(), stored.len());
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A full disk, as a file-size limit on the server process (`prlimit`): the transaction that
/// cannot be written is rolled back, on disk and in memory; nothing of it is counted or
/// proved; the board says so on `/health`; once the limit is lifted it appends again, from
/// where it was.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_loses_nothing_and_the_board_recovers() {
    use rustix::process::{Pid, Resource, Rlimit, prlimit};
    let dir = temp_dir();
    let (election, voters) = {
        let mut rng = rand::rng();
        let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
        let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
        let voters: Vec<KeyPair> =
            (0..12).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
        election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
        (election, voters)
    };
    let params = election.params().clone();
    let (setup, board_key) = (election.board.setup_fingerprint(), election.board.board_key());
    drop(election);
    let (mut child, url) = spawn_server(&dir);
    let client = BoardClient::new(&url);
    let ballot = |i: usize| Ballot::encrypt(&params, &voters[i], &marks(i), &mut rand::rng()).unwrap().0;
    let mut receipts = vec![client.cast(&ballot(0)).unwrap(), client.cast(&ballot(1)).unwrap()];
    let events = |c: &BoardClient| c.get("/health").unwrap()["events"].as_u64().unwrap();
    let before = events(&client);

    // The write-ahead log may not grow: the next transaction cannot be written.
    let wal = std::fs::metadata(dir.join(format!("{}-wal", dauys::board::store::DB_FILE))).unwrap().len();
    let pid = Pid::from_child(&child);
    prlimit(Some(pid), Resource::Fsize, Rlimit { current: Some(wal), maximum: None }).unwrap();
    let refused = ballot(2);
    let refusal = client.cast(&refused).unwrap_err();
    assert_eq!((refusal.status, refusal.code.as_str()), (500, "storage"), "{refusal}");
    let second = client.cast(&ballot(3)).unwrap_err();
    assert_eq!(second.status, 500, "the disk is still full: {second}");
    let health = client.get("/health").unwrap();
    assert_eq!((health["events"].as_u64(), health["status"].as_str()), (Some(before), Some("storage_failing")));
    assert!(health["error"].as_str().is_some_and(|e| !e.is_empty()), "{health}");
    // Nothing that was not written is proved or served.
    let (status, _) =
        client.request("GET", &format!("/proof/inclusion?index={before}&size={}", before + 1), None).unwrap();
    assert_eq!(status, 400);
    let (status, _) = client.request("GET", &format!("/entries?start={before}&end={}", before + 1), None).unwrap();
    assert_eq!(status, 400);
    let cp: Checkpoint = serde_json::from_value(client.get("/checkpoint").unwrap()).unwrap();
    assert_eq!(cp.size, before);

    // Storage recovers: the refused ballot is new to the board (nothing of it was kept, not even
    // in memory), and takes the next index.
    prlimit(Some(pid), Resource::Fsize, Rlimit { current: None, maximum: None }).unwrap();
    let receipt = client.cast(&refused).unwrap();
    assert_eq!(receipt.index, before);
    receipts.push(receipt);
    receipts.push(client.cast(&ballot(3)).unwrap());
    let health = client.get("/health").unwrap();
    assert_eq!((health["events"].as_u64(), health["status"].as_str()), (Some(before + 2), Some("ok")));
    receipts_hold(&client, &receipts, &setup, &board_key);
    child.kill().unwrap();
    child.wait().unwrap();
    let report = dauys::board::check::check(&dir).unwrap();
    assert!(report.consistent(), "{:?}", report.differences);
    assert_eq!((report.events, report.cast), (before + 2, 4));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_load_generator_runs_on_loopback_only() {
    let dir = temp_dir();
    let mut rng = rand::rng();
    // The demo's manifest: two ballot styles, so the voters are dealt round them and each
    // ballot is of its credential's style.
    let mut manifest = Manifest::from_json(DEMO_MANIFEST).unwrap();
    manifest.citizen_ca = Some(LocalElection::load_test_ca().public().key);
    let election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let trustees: Vec<std::path::PathBuf> = election
        .trustees
        .iter()
        .take(3)
        .map(|t| {
            let key = dir.join(format!("t{}.key", t.index));
            std::fs::write(&key, t.to_json().as_bytes()).unwrap();
            key
        })
        .collect();
    drop(election);
    let credentials = dir.join("voters.txt");
    let dauys = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_dauys")).args(args).output().unwrap();
    let mut register = vec!["loadtest", "--register", dir.to_str().unwrap(), "--voters", "20"];
    register.extend(["--credentials", credentials.to_str().unwrap()]);
    for key in &trustees {
        register.extend(["--trustee-key", key.to_str().unwrap()]);
    }
    let out = dauys(&register);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("20 synthetic voters registered"), "{text}");
    assert_eq!(text.matches("shuffle by trustee").count(), 3 * 2, "three trustees, two lists: {text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&credentials).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Written once: a second registration refuses to replace the file.
    let again = dauys(&register);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("written once"));
    let (mut child, url) = spawn_server(&dir);
    let run = |board: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dauys"))
            .args([
                "loadtest",
                "--board",
                board,
                "--credentials",
                credentials.to_str().unwrap(),
                "--ballots",
                "20",
                "--concurrency",
                "4",
            ])
            .output()
            .unwrap()
    };
    let out = run(&url);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("20 of 20 ballots accepted"), "{text}");
    assert!(text.contains("latency p50") && text.contains("% checking"), "{text}");
    // Anything but this machine is refused before a single request.
    let out = run("http://10.0.0.1:8080");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only targets this machine"));
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn witnesses_co_sign_and_catch_a_fork() {
    let dir = temp_dir();
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..6).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    let trustees = std::mem::take(&mut election.trustees);
    drop(election);
    let (mut child, url) = spawn_server(&dir);
    let client = BoardClient::new(&url);
    let watch = |key: &Path, state: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
            .args([
                "watch",
                "--board",
                &url,
                "--witness-key",
                key.to_str().unwrap(),
                "--state",
                state.to_str().unwrap(),
            ])
            .args(["--polls", "1", "--interval", "0"])
            .output()
            .unwrap()
    };
    let (k1, k2, s1, s2) = (dir.join("w1.key"), dir.join("w2.key"), dir.join("w1.state"), dir.join("w2.state"));
    // Two witnesses poll between ballots.
    for (i, v) in voters.iter().enumerate() {
        let (ballot, _) = Ballot::encrypt(&params, v, &marks(i), &mut rng).unwrap();
        client.cast(&ballot).unwrap();
        let (key, state) = if i % 2 == 0 { (&k1, &s1) } else { (&k2, &s2) };
        let out = watch(key, state);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let witness_of = |key: &Path| {
        let text = std::fs::read_to_string(key).unwrap();
        dauys::crypto::group::Element::from_point(dauys::crypto::group::mul_g(
            &dauys::crypto::group::scalar_from_hex("k", text.trim()).unwrap(),
        ))
    };
    let (w1, w2) = (witness_of(&k1), witness_of(&k2));
    assert_eq!(client.get("/witness/cosignatures").unwrap().as_array().unwrap().len(), 6);

    // A fork: a checkpoint signed by this board over another log of the same size. A watcher
    // that was shown it (its saved state) catches the board at its next poll.
    let board_secret = {
        let text = std::fs::read_to_string(dir.join("board.key")).unwrap();
        dauys::crypto::group::SecretScalar::new(dauys::crypto::group::scalar_from_hex("k", text.trim()).unwrap())
    };
    let shown: dauys::log::checkpoint::Checkpoint = serde_json::from_value(client.get("/checkpoint").unwrap()).unwrap();
    let fork = dauys::log::checkpoint::Checkpoint::sign(&params.setup, &board_secret, shown.size, [7; 32], &mut rng);
    let forked_state = dir.join("forked.state");
    let mut state = dauys::watch::State::read(&s1).unwrap();
    (state.checkpoint, state.verified, state.refused) = (Some(fork.clone()), 0, vec![]);
    std::fs::write(&forked_state, serde_json::to_string(&state).unwrap()).unwrap();
    let out = watch(&k1, &forked_state);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another history"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A co-signature of the forked checkpoint is refused by the board.
    let bogus = dauys::log::checkpoint::Cosignature::sign(
        &params.setup,
        &board_secret.public(),
        &dauys::watch::witness_key(&k1).unwrap(),
        &fork,
        &mut rng,
    );
    assert_eq!(client.cosign(&bogus).unwrap_err().status, 422);
    child.kill().unwrap();
    child.wait().unwrap();

    // The record carries the co-signatures; the verifier checks those of the keys it is given.
    let mut board = dauys::board::store::Board::open(&dir).unwrap();
    dauys::runner::post_all(&mut board, vec![dauys::log::event::Event::Close], &mut rng).unwrap();
    let mut local = LocalElection { board, trustees };
    local.tally(&[1, 2, 3], &mut rng).unwrap();
    local.board.export(&dir.join("record")).unwrap();
    drop(local);
    let record = dir.join("record");
    let with = |witnesses: Vec<dauys::crypto::group::Element>| {
        verify(&record, &Options { witnesses, ..Default::default() }).unwrap()
    };
    let report = with(vec![w1, w2]);
    assert!(report.valid(), "{:?}", report.failed());
    assert_eq!(report.outcome(dauys::verify::Check::Witnesses).unwrap().count, 6);
    let stranger = KeyPair::generate(&mut rng).public;
    assert_eq!(with(vec![w1, stranger]).failed(), vec![dauys::verify::Check::Witnesses]);
    let code = std::process::Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
        .args([record.to_str().unwrap(), "--witness", &w1.to_hex(), "--witness", &w2.to_hex()])
        .status()
        .unwrap()
        .code();
    assert_eq!(code, Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One raw HTTP/1.1 exchange on a fresh connection (`Connection: close`): the status and the
/// body as JSON (`Null` if it is not JSON).
fn raw(addr: &str, request: &[u8]) -> (u16, serde_json::Value) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

/// A board opened for `voters` fresh credentials, in a new directory.
fn open_board(voters: usize) -> (PathBuf, dauys::election::params::ElectionParams, Vec<KeyPair>) {
    let dir = temp_dir();
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let keys: Vec<KeyPair> =
        (0..voters).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(keys.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    (dir, params, keys)
}

#[test]
fn every_error_is_the_json_the_api_promises() {
    let (dir, params, voters) = open_board(2);
    let server = Server::start(&dir);
    let addr = server.url.trim_start_matches("http://").to_string();
    let client = BoardClient::new(&server.url);
    let events = client.get("/health").unwrap()["events"].as_u64().unwrap();
    let ballot =
        serde_json::to_string(&Ballot::encrypt(&params, &voters[0], &marks(0), &mut rand::rng()).unwrap().0).unwrap();
    let post = |content_type: &str, body: &str| {
        format!(
            "POST /ballots HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let get =
        |target: &str, extra: &str| format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n");
    let cases: Vec<(String, u16, &str)> = vec![
        (get("/nowhere", ""), 404, "not_found"),
        (get("/ballots", ""), 405, "method_not_allowed"),
        ("PUT /ballots HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".to_string(), 405, "method_not_allowed"),
        // Declared too large: refused before a byte of the body is sent.
        (
            "POST /ballots HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n"
                .to_string(),
            413,
            "too_large",
        ),
        (get(&format!("/entries?start=0&end=1&pad={}", "a".repeat(9000)), ""), 414, "uri_too_long"),
        (get("/health", &format!("X-Pad: {}\r\n", "a".repeat(40_000))), 431, "headers_too_large"),
        (get("/entries?start=x&end=1", ""), 400, "malformed"),
        (get("/entries?start=0&end=1&start=2", ""), 400, "malformed"),
        (get("/proof/inclusion?index=-1&size=2", ""), 400, "malformed"),
        (get("/witness/cosignatures?size=9223372036854775808", ""), 400, "range"),
        (get("/witness/cosignatures?size=18446744073709551615", ""), 400, "range"),
        (post("application/jsonp", &ballot), 415, "content_type"),
        (post("application/json-seq", &ballot), 415, "content_type"),
        (post("text/plain; x=application/json", &ballot), 415, "content_type"),
    ];
    for (request, status, code) in cases {
        let (got, body) = raw(&addr, request.as_bytes());
        let head = request.lines().next().unwrap_or("").chars().take(60).collect::<String>();
        assert_eq!((got, body["error"].as_str()), (status, Some(code)), "{head}: {body}");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{head}: {body}");
    }
    assert_eq!(client.get("/health").unwrap()["events"].as_u64().unwrap(), events, "nothing was appended");
    // The media type is compared, not its prefix: parameters and case are fine.
    let (got, body) = raw(&addr, post("Application/JSON; charset=utf-8", &ballot).as_bytes());
    assert_eq!(got, 200, "{body}");
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Raises this process's open-file limit as far as it goes; returns it.
fn raise_open_files() -> u64 {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = limit.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every platform
        {
            limit.rlim_cur as u64
        }
    }
}

#[test]
fn idle_and_endless_connections_do_not_shut_out_voters() {
    use std::io::{Read, Write};
    let (dir, params, voters) = open_board(2);
    let cap = 64;
    let limits = dauys::board::listen::Limits {
        max_connections: cap,
        header_timeout: std::time::Duration::from_secs(1),
        body_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    };
    let server = Server::start_with(&dir, dauys::board::server::Options { tls: None, limits, desk: None });
    let addr = server.url.trim_start_matches("http://").to_string();

    // About a thousand connections that send nothing, far over the cap.
    let idle = 1000.min(raise_open_files().saturating_sub(200) as usize);
    let mut silent: Vec<std::net::TcpStream> =
        (0..idle).map(|_| std::net::TcpStream::connect(&addr).unwrap()).collect();
    // A voter still casts a ballot.
    let client = BoardClient::new(&server.url);
    let (ballot, _) = Ballot::encrypt(&params, &voters[0], &marks(0), &mut rand::rng()).unwrap();
    let board_key: dauys::crypto::group::Element =
        serde_json::from_value(client.get("/election").unwrap()["board_key"].clone()).unwrap();
    client.cast(&ballot).unwrap().verify(&params.setup, &board_key).unwrap();
    // The server closed every idle connection it had to (at the cap, or silent past the
    // header timeout): each reads as closed, none stays open.
    for s in &mut silent {
        s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        let read = s.read(&mut [0u8; 1]);
        let closed =
            matches!(read, Ok(0)) || matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset);
        assert!(closed, "an idle connection was left open: {read:?}");
    }
    drop(silent);

    // A chunked body that never ends is cut off with a 408, and the connection closed.
    let mut endless = std::net::TcpStream::connect(&addr).unwrap();
    endless
        .write_all(b"POST /ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n")
        .unwrap();
    endless.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut response = Vec::new();
    let _ = endless.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"error\":\"timeout\""), "{text}");
    // A head that never ends is cut off too.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    assert!(slow.read_to_end(&mut rest).is_ok(), "closed, not left hanging");

    // The board still serves.
    let (ballot, _) = Ballot::encrypt(&params, &voters[1], &marks(1), &mut rand::rng()).unwrap();
    client.cast(&ballot).unwrap();
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_board_gracefully() {
    let (dir, _, _) = open_board(1);
    let (child, url) = spawn_server(&dir);
    let client = BoardClient::new(&url);
    let events = client.get("/health").unwrap()["events"].as_u64().unwrap();
    // SAFETY: kill only sends a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "SIGTERM is a graceful stop: {:?}", out.status);
    // The board reopens whole.
    assert_eq!(dauys::board::store::Board::open(&dir).unwrap().len(), events);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A proxy to `target` that forwards the first request and drops the board's reply (the
/// connection closes instead), then forwards every later connection whole.
fn reply_losing_proxy(target: String) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().enumerate() {
            let Ok(mut client) = client else { return };
            let mut upstream = std::net::TcpStream::connect(&target).unwrap();
            let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut u2);
            });
            if n == 0 {
                // Wait for the board's reply, then lose it.
                let _ = upstream.read(&mut [0u8; 1]);
                let _ = client.shutdown(std::net::Shutdown::Both);
            } else {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut upstream, &mut client);
                    let _ = client.flush();
                });
            }
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_voter_whose_reply_was_lost_gets_the_receipt() {
    let (dir, params, voters) = open_board(1);
    let server = Server::start(&dir);
    let proxy = reply_losing_proxy(server.url.trim_start_matches("http://").to_string());
    let (ballot, _) = Ballot::encrypt(&params, &voters[0], &marks(0), &mut rand::rng()).unwrap();
    let receipt = BoardClient::new(&proxy).cast(&ballot).unwrap();
    assert_eq!(receipt.leaf_hash, dauys::log::event::Event::Cast(Box::new(ballot)).leaf_hash());
    let client = BoardClient::new(&server.url);
    assert_eq!(client.get("/checkpoint").unwrap()["size"].as_u64().unwrap(), receipt.index + 1, "cast once");
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The registrar's desk over HTTP: absent unless served, and each refusal with its own code
/// and a detail that names it; nothing is posted on a refusal.
#[test]
fn the_registrars_desk_refuses_clearly_over_http() {
    use dauys::board::desk::{Desk, DeskFile, PseudonymRequest, RegisterRequest};
    use dauys::election::citizen_ca::{CitizenKeys, SyntheticCaIssuer};
    use dauys::election::registration::{Pseudonym, Roll};
    let dir = temp_dir();
    let mut rng = rand::rng();
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let setup = election.board.setup_fingerprint();
    let desk = Desk::new(&manifest.election_id, dauys::election::pseudonym::PseudonymKey::generate(&mut rng));
    let mut iins: Vec<String> = Vec::new();
    while iins.len() < 3 {
        let iin = dauys::election::registrar::random_iin(&mut rng);
        if !iins.contains(&iin) {
            iins.push(iin);
        }
    }
    let mut pseudonyms: Vec<Pseudonym> = iins[..2].iter().map(|i| desk.pseudonym(i)).collect();
    pseudonyms.sort();
    let roll = Roll { styles: Vec::new(), ca_key: ca.public().key, count: 2, pseudonyms };
    let roll = dauys::log::event::Event::Roll(Box::new(roll));
    dauys::runner::post_all(&mut election.board, vec![roll], &mut rng).unwrap();
    drop(election);
    let key = dir.join("registrar.key");
    dauys::keyfile::write_private(&key, desk.to_file().as_bytes()).unwrap();
    let ask = |keys: &CitizenKeys, iin: &str| PseudonymRequest::new(keys, &setup, iin);
    let (alice, bob) = (ca.issue(&iins[0], &mut rng), ca.issue(&iins[1], &mut rng));

    let server = Server::start(&dir);
    let refused = BoardClient::new(&server.url).post_json("/register/pseudonym", &ask(&alice, &iins[0])).unwrap_err();
    assert_eq!((refused.status, refused.code.as_str()), (404, "no_desk"), "{refused}");
    server.stop();

    let desk_file = std::sync::Arc::new(DeskFile::open(key).unwrap());
    let server =
        Server::start_with(&dir, dauys::board::server::Options { desk: Some(desk_file), ..Default::default() });
    let client = BoardClient::new(&server.url);
    let events = || client.get("/health").unwrap()["events"].as_u64().unwrap();
    let before = events();
    let refusal = |r: Result<serde_json::Value, dauys::board::client::Refusal>, status: u16, code: &str| {
        let e = r.unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (status, code), "{e}");
        e.detail
    };
    let mut extra = serde_json::to_value(ask(&alice, &iins[0])).unwrap();
    extra["name"] = "Alice".into();
    refusal(client.post_json("/register/pseudonym", &extra), 400, "malformed");
    let detail = refusal(client.post_json("/register/pseudonym", &ask(&alice, "12345")), 400, "malformed");
    assert!(detail.contains("IIN"), "{detail}");
    let rogue = SyntheticCaIssuer::generate(&mut rng).issue(&iins[0], &mut rng);
    let detail = refusal(client.post_json("/register/pseudonym", &ask(&rogue, &iins[0])), 403, "certificate");
    assert!(detail.contains("not from the roll's CA"), "{detail}");
    let detail = refusal(client.post_json("/register/pseudonym", &ask(&alice, &iins[1])), 403, "identity");
    assert!(detail.contains("does not match the IIN"), "{detail}");
    let outsider = ca.issue(&iins[2], &mut rng);
    let detail = refusal(client.post_json("/register/pseudonym", &ask(&outsider, &iins[2])), 422, "not_on_roll");
    assert!(detail.contains(&format!("IIN {} is not on the roll", iins[2])), "{detail}");
    let answer = client.post_json("/register/pseudonym", &ask(&alice, &iins[0])).unwrap();
    let p: Pseudonym = serde_json::from_value(answer["pseudonym"].clone()).unwrap();
    assert_eq!(p, desk.pseudonym(&iins[0]));
    // Bob, certified and on the roll, signs a registration under Alice's pseudonym (public
    // on the roll): the desk gives each certified identity its own P only.
    let x = dauys::crypto::group::SecretScalar::random(&mut rng);
    let stolen = bob.register(&setup, p, &x, &mut rng);
    let request = RegisterRequest { iin: iins[1].clone(), opening: *bob.opening.0, registration: stolen };
    let detail = refusal(client.post_json("/register", &request), 422, "rejected");
    assert!(detail.contains("not the one of the IIN"), "{detail}");
    assert_eq!(events(), before, "nothing was posted");
    let own = RegisterRequest {
        iin: iins[0].clone(),
        opening: *alice.opening.0,
        registration: alice.register(&setup, p, &x, &mut rng),
    };
    let receipt: Receipt =
        serde_json::from_value(client.post_json("/register", &own).unwrap()["receipt"].clone()).unwrap();
    let board_key: Element = serde_json::from_value(client.get("/election").unwrap()["board_key"].clone()).unwrap();
    receipt.verify(&setup, &board_key).unwrap();
    let detail = refusal(client.post_json("/register", &own), 409, "already_registered");
    assert!(detail.contains("has registered already"), "{detail}");
    assert_eq!(events(), before + 1);
    server.stop();
    std::fs::remove_dir_all(&dir).unwrap();
}
