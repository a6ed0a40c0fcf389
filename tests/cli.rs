//! The command line, role by role: each role runs from its own files and reaches the others
//! only through the board.

use std::path::{Path, PathBuf};
use std::process::Command;

use rand::RngExt;

fn dauys(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dauys")).args(args).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// `dauys args` with `input` on its standard input.
fn dauys_with_input(args: &[&str], input: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// The tracking codes a `dauys` output shows, in order.
fn codes(text: &str) -> Vec<String> {
    text.split_whitespace().filter(|w| w.len() == 64 && w.split('-').count() == 13).map(str::to_string).collect()
}

fn ok(args: &[&str]) -> String {
    let (success, text) = dauys(args);
    assert!(success, "dauys {args:?} failed:\n{text}");
    text
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dauys-cli-{}-{}", std::process::id(), rand::rng().random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const MANIFEST: &str = r#"{"version":1,"election_id":"cli-test","title":{"en":"CLI","kk":"CLI","ru":"CLI"},
  "trustees":{"count":3,"threshold":2},"revote":"last_counts",
  "contests":[{"id":"ref","kind":"referendum","title":{"en":"Q","kk":"С","ru":"В"},
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#;

#[test]
fn an_election_by_roles() {
    let root = temp_dir();
    let board = root.join("board");
    let manifest = root.join("manifest.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    let mut rng = rand::rng();
    let iins: Vec<String> = (0..3).map(|_| dauys::election::registrar::random_iin(&mut rng)).collect();
    let roll = root.join("roll.csv");
    std::fs::write(&roll, format!("iin,precinct\n{},P1\n{},P2\n{},P2\n", iins[0], iins[1], iins[2])).unwrap();

    ok(&["board", "init", "--dir", s(&board), "--manifest", s(&manifest)]);
    let registrar = root.join("registrar");
    ok(&["registrar", "issue", "--manifest", s(&manifest), "--roll", s(&roll), "--out", s(&registrar)]);
    let issued = std::fs::read_to_string(registrar.join("credentials.json")).unwrap();
    let (again, text) =
        dauys(&["registrar", "issue", "--manifest", s(&manifest), "--roll", s(&roll), "--out", s(&registrar)]);
    assert!(!again && text.contains("issued already"), "{text}");
    assert_eq!(std::fs::read_to_string(registrar.join("credentials.json")).unwrap(), issued, "the issued list is kept");
    assert!(ok(&["registrar", "check", "--roll", s(&roll), &iins[1]]).contains("precinct P2"));
    let (found, text) =
        dauys(&["registrar", "check", "--roll", s(&roll), &dauys::election::registrar::random_iin(&mut rng)]);
    assert!(!found && text.contains("not on the roll"), "{text}");

    let keys: Vec<PathBuf> = (1..=3).map(|i| root.join(format!("trustee-{i}.key"))).collect();
    for (i, key) in keys.iter().enumerate() {
        ok(&["trustee", "init", "--dir", s(&board), "--index", &(i + 1).to_string(), "--key", s(key)]);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&keys[0]).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            std::fs::metadata(registrar.join("credential-sheet.csv")).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    for key in &keys {
        ok(&["trustee", "deal", "--dir", s(&board), "--key", s(key)]);
    }
    for key in &keys {
        assert!(ok(&["trustee", "receive", "--dir", s(&board), "--key", s(key)]).contains("0 complaint(s)"));
    }
    let credentials = registrar.join("credentials.json");
    let (early, text) = dauys(&["board", "open", "--dir", s(&board), "--credentials", s(&credentials)]);
    assert!(!early && text.contains("trustee(s) [1, 2, 3] are not ready"), "{text}");
    for key in &keys[..2] {
        assert!(ok(&["trustee", "ready", "--dir", s(&board), "--key", s(key)]).contains("ready"));
    }
    let (early, text) = dauys(&["board", "open", "--dir", s(&board), "--credentials", s(&credentials)]);
    assert!(!early && text.contains("trustee(s) [3] are not ready") && text.contains("--quorum"), "{text}");
    let opened = ok(&["board", "open", "--dir", s(&board), "--credentials", s(&credentials), "--quorum"]);
    assert!(opened.contains("warning: opening with a quorum: trustee(s) [3]"), "{opened}");

    let sheet = std::fs::read_to_string(registrar.join("credential-sheet.csv")).unwrap();
    let creds: Vec<String> = sheet.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect();
    let receipt = root.join("receipt.json");
    // Voter 1: encrypt, see the code, challenge; a new ballot, see its code, cast.
    let vote = ["vote", "--dir", s(&board), "--credential", &creds[0], "--choice", "ref=yes"];
    let (cast, text) = dauys_with_input(&[&vote[..], &["--receipt", s(&receipt)]].concat(), "challenge\ncast\n");
    assert!(cast, "{text}");
    let shown = codes(&text);
    assert!(shown.len() >= 2 && shown[0] != *shown.last().unwrap(), "{text}");
    assert!(
        text.find(&shown[0]).unwrap() < text.find("[cast/challenge]").unwrap(),
        "the code comes before the question"
    );
    assert!(text.contains("challenged: it will never count") || text.contains("challenged: it will never"), "{text}");
    let opening_json = text.lines().find(|l| l.starts_with("{\"contests\"")).expect("the opening").to_string();
    let opening = root.join("opening.json");
    std::fs::write(&opening, &opening_json).unwrap();
    // A second device: the code of the challenged ballot, its choices by label.
    let check = ["challenge", "check", "--dir", s(&board), s(&opening), "--code", &shown[0]];
    let checked = ok(&check);
    assert!(checked.contains("matches the ciphertexts") && checked.contains("Q: Yes"), "{checked}");
    let kk = ok(&[&check[..], &["--lang", "kk"]].concat());
    assert!(kk.contains("Иә"), "{kk}");
    let cast_code = shown.last().unwrap();
    let (wrong, text) = dauys(&["challenge", "check", "--dir", s(&board), s(&opening), "--code", cast_code]);
    assert!(!wrong && text.contains("not for the ballot you were shown"), "{text}");
    let lie = root.join("lie.json");
    std::fs::write(&lie, opening_json.replacen("\"marks\":[1,0]", "\"marks\":[0,1]", 1)).unwrap();
    let (lied, text) = dauys(&["challenge", "check", "--dir", s(&board), s(&lie), "--code", &shown[0]]);
    assert!(!lied && text.contains("does NOT re-encrypt"), "{text}");
    // No decision, no ballot; an answer that is neither is asked again.
    let (none, text) =
        dauys_with_input(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no"], "");
    assert!(!none && text.contains("nothing was cast"), "{text}");
    let again =
        dauys_with_input(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no"], "yes\ncast\n");
    assert!(again.0 && again.1.contains("type cast or challenge") && again.1.contains("ballot cast"), "{}", again.1);
    // Two steps: prepare (0600, with the nonces), then cast or challenge.
    let state = root.join("ballot.state");
    let prepare =
        ["vote", "prepare", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=no", "--out", s(&state)];
    assert!(codes(&ok(&prepare)).len() == 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&state).unwrap().permissions().mode() & 0o777, 0o600);
    }
    ok(&["vote", "cast", "--dir", s(&board), s(&state)]);
    assert!(!state.exists(), "a cast ballot's nonces are not kept");
    let prepare =
        ["vote", "prepare", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes", "--out", s(&state)];
    let code = codes(&ok(&prepare)).remove(0);
    let opening2 = root.join("opening2.json");
    ok(&["vote", "challenge", "--dir", s(&board), s(&state), "--opening", s(&opening2)]);
    assert!(!state.exists() && opening2.exists());
    // Voter 3 changes their mind: only the last ballot counts.
    let revote =
        dauys_with_input(&["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes"], "cast\n");
    assert!(revote.0, "{}", revote.1);
    let (refused, text) = dauys(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=maybe"]);
    assert!(!refused && text.contains("no option \"maybe\""), "{text}");
    let (refused, text) = dauys_with_input(
        &["vote", "--dir", s(&board), "--credential", "0000-0000-0000-0000-0000-0000-0000-0000", "--choice", "ref=yes"],
        "cast\n",
    );
    assert!(!refused && text.contains("not in the credential list"), "{text}");

    ok(&["board", "close", "--dir", s(&board)]);
    let (late, text) =
        dauys_with_input(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=yes"], "cast\n");
    assert!(!late && text.contains("not allowed after voting closed"), "{text}");
    ok(&["tally", "--dir", s(&board)]);
    let (early, text) = dauys(&["result", "--dir", s(&board)]);
    assert!(!early && text.contains("0 of the 2 decryptions"), "{text}");
    // Trustee 3 was not ready: it decrypts, revealing no lot seed; trustee 1 reveals its own.
    assert!(ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[2])]).contains("checks out"));
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[0])]);
    let table = ok(&["result", "--dir", s(&board), "--lang", "ru"]);
    assert!(table.contains("учтено бюллетеней: 3"), "{table}");
    assert!(table.contains("ПРИНЯТО"), "two yes against one no: {table}");
    ok(&["export", "--dir", s(&board)]);
    let status = ok(&["board", "status", "--dir", s(&board)]);
    assert!(status.contains("4 cast, 3 counted, 2 spoiled"), "{status}");
    // After close the challenged ballots are in the record; a second device finds them there.
    let found = ok(&["challenge", "check", "--record", s(&board.join("record")), s(&opening2), "--code", &code]);
    assert!(found.contains("published in the record as a challenged ballot"), "{found}");

    // The saved receipt verifies against the board's key.
    let receipt: dauys::log::checkpoint::Receipt =
        serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    let b = dauys::board::store::Board::open(&board).unwrap();
    receipt.verify(&b.setup_fingerprint(), &b.board_key()).unwrap();
    assert!(board.join("record/events.jsonl").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

/// A board that forges its tally (one voter's ciphertexts, which decrypted would reveal that
/// vote) and writes it to its own database, with a checkpoint signed by its key: the board's
/// append would have refused it, so it goes around it. Every trustee refuses to decrypt.
#[test]
fn a_trustee_refuses_to_decrypt_a_forged_tally() {
    use dauys::election::credential::{Credential, CredentialList};
    use dauys::log::event::Event;
    let root = temp_dir();
    let dir = root.join("board");
    let mut rng = rand::rng();
    let manifest = dauys::election::manifest::Manifest::from_json(MANIFEST).unwrap();
    let mut election = dauys::runner::LocalElection::setup(&dir, manifest, &mut rng).unwrap();
    let voters: Vec<_> = (0..3).map(|_| Credential::generate(&mut rng).key_pair("cli-test")).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let plans: Vec<_> = voters
        .iter()
        .enumerate()
        .map(|(i, v)| dauys::runner::VoterPlan {
            key: v.clone(),
            marks: vec![vec![u64::from(i == 0), u64::from(i != 0)]],
            earlier: None,
            challenge: false,
        })
        .collect();
    election.vote(&plans, &mut rng, |_| {}).unwrap();
    election.close(&mut rng).unwrap();
    let key = root.join("t1.key");
    dauys::keyfile::write_private(&key, election.trustees[0].to_json().as_bytes()).unwrap();
    // The "tally": voter 1's ballot alone, claiming the count of three.
    let ballots = election.board.cast_ballots().unwrap();
    let forged = dauys::election::tally::EncryptedTally { ballots: 3, contests: ballots[0].1.ciphertexts() };
    let honest = election.board.compute_tally().unwrap();
    assert_ne!(forged, honest);
    let (setup, len) = (election.board.setup_fingerprint(), election.board.len());
    drop(election);
    let board_key = std::fs::read_to_string(dir.join("board.key")).unwrap();
    let board_key = dauys::crypto::group::SecretScalar::new(
        dauys::crypto::group::scalar_from_hex("board key", board_key.trim()).unwrap(),
    );
    let db = rusqlite::Connection::open(dir.join("election.db")).unwrap();
    let mut tree = dauys::log::merkle::Tree::new();
    {
        let mut stmt = db.prepare("SELECT leaf_hash FROM events ORDER BY idx").unwrap();
        for h in stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            tree.push(h.unwrap().try_into().unwrap());
        }
    }
    let leaf = Event::Tally(forged).to_leaf();
    let hash = dauys::log::merkle::leaf_hash(leaf.as_bytes());
    tree.push(hash);
    let checkpoint = dauys::log::checkpoint::Checkpoint::sign(
        &setup,
        &board_key,
        tree.len(),
        tree.root(tree.len()).unwrap(),
        &mut rng,
    );
    db.execute(
        "INSERT INTO events (idx, kind, leaf, leaf_hash) VALUES (?1, 'tally', ?2, ?3)",
        rusqlite::params![len as i64, leaf, hash.as_slice()],
    )
    .unwrap();
    db.execute(
        "INSERT INTO checkpoints (size, checkpoint) VALUES (?1, ?2)",
        rusqlite::params![tree.len() as i64, serde_json::to_string(&checkpoint).unwrap()],
    )
    .unwrap();
    drop(db);
    let (decrypted, text) = dauys(&["trustee", "decrypt", "--dir", s(&dir), "--key", s(&key)]);
    assert!(!decrypted, "the trustee decrypted a forged tally:\n{text}");
    assert!(text.contains("trustee 1 refuses to decrypt") && text.contains("check 5.1"), "{text}");
    assert!(text.contains("not the sum of the counted ballots"), "{text}");
    assert_eq!(dauys::board::store::Board::open(&dir).unwrap().len(), len + 1, "nothing was posted");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["simulate", "--help"],
        vec!["board", "--help"],
        vec!["board", "init", "--help"],
        vec!["registrar", "issue", "--help"],
        vec!["trustee", "deal", "--help"],
        vec!["trustee", "ready", "--help"],
        vec!["vote", "prepare", "--help"],
        vec!["vote", "cast", "--help"],
        vec!["vote", "challenge", "--help"],
        vec!["challenge", "check", "--help"],
        vec!["vote", "--help"],
        vec!["tally", "--help"],
        vec!["result", "--help"],
        vec!["export", "--help"],
    ] {
        assert!(ok(&args).contains("Usage"), "{args:?}");
    }
}

#[test]
fn simulate_replays_counts_exactly() {
    let root = temp_dir();
    let manifest = root.join("manifest.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    let votes = root.join("votes.json");
    std::fs::write(&votes, r#"{"ref":{"yes":7,"no":5}}"#).unwrap();
    let out = ok(&["simulate", "--manifest", s(&manifest), "--votes", s(&votes), "--dir", s(&root.join("e"))]);
    assert!(out.contains("equal the votes file"), "{out}");
    let (bad, text) =
        dauys(&["simulate", "--manifest", s(&manifest), "--votes", s(&votes), "--dir", s(&root.join("e"))]);
    assert!(!bad && text.contains("already exists"), "{text}");
    std::fs::remove_dir_all(&root).unwrap();
}
