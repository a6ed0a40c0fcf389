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
    ok(&["board", "open", "--dir", s(&board), "--credentials", s(&registrar.join("credentials.json"))]);

    let sheet = std::fs::read_to_string(registrar.join("credential-sheet.csv")).unwrap();
    let creds: Vec<String> = sheet.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect();
    let receipt = root.join("receipt.json");
    let cast = ok(&[
        "vote",
        "--dir",
        s(&board),
        "--credential",
        &creds[0],
        "--choice",
        "ref=yes",
        "--challenge",
        "--receipt",
        s(&receipt),
    ]);
    assert!(cast.contains("posted as spoiled") && cast.contains("tracking code"), "{cast}");
    ok(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no"]);
    ok(&["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=no"]);
    // Voter 3 changes their mind: only the last ballot counts.
    ok(&["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes"]);
    let (refused, text) = dauys(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=maybe"]);
    assert!(!refused && text.contains("no option \"maybe\""), "{text}");
    let (refused, text) = dauys(&[
        "vote",
        "--dir",
        s(&board),
        "--credential",
        "0000-0000-0000-0000-0000-0000-0000-0000",
        "--choice",
        "ref=yes",
    ]);
    assert!(!refused && text.contains("not in the credential list"), "{text}");

    ok(&["board", "close", "--dir", s(&board)]);
    let (late, text) = dauys(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=yes"]);
    assert!(!late && text.contains("not allowed after voting closed"), "{text}");
    ok(&["tally", "--dir", s(&board)]);
    let (early, text) = dauys(&["result", "--dir", s(&board)]);
    assert!(!early && text.contains("0 of the 2 decryptions"), "{text}");
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[2])]);
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[0])]);
    let table = ok(&["result", "--dir", s(&board), "--lang", "ru"]);
    assert!(table.contains("учтено бюллетеней: 3"), "{table}");
    assert!(table.contains("ПРИНЯТО"), "two yes against one no: {table}");
    ok(&["export", "--dir", s(&board)]);
    let status = ok(&["board", "status", "--dir", s(&board)]);
    assert!(status.contains("4 cast, 3 counted, 1 spoiled"), "{status}");

    // The saved receipt verifies against the board's key.
    let receipt: dauys::log::checkpoint::Receipt =
        serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    let b = dauys::board::store::Board::open(&board).unwrap();
    receipt.verify(&b.setup_fingerprint(), &b.board_key()).unwrap();
    assert!(board.join("record/events.jsonl").exists());
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
