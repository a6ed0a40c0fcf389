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
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]},
   {"id":"council","kind":"approval","min":0,"max":2,"winners":2,"title":{"en":"C","kk":"C","ru":"C"},
    "options":[{"id":"ann","label":{"en":"Ann","kk":"Ann","ru":"Ann"}},{"id":"bob","label":{"en":"Bob","kk":"Bob","ru":"Bob"}},
      {"id":"cem","label":{"en":"Cem","kk":"Cem","ru":"Cem"}}]}]}"#;

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

    let operator = root.join("operator.key");
    ok(&["board", "init", "--dir", s(&board), "--manifest", s(&manifest), "--operator-key", s(&operator)]);
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
    // A trustee number the election does not have: refused, and no key file left behind.
    let stray = root.join("trustee-4.key");
    let (made, text) = dauys(&["trustee", "init", "--dir", s(&board), "--index", "4", "--key", s(&stray)]);
    assert!(!made && text.contains("trustees 1 to 3") && !stray.exists(), "{text}");
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
    assert!(ok(&["board", "status", "--dir", s(&board)]).contains("`dauys board open`"));
    // Another election's list, and a list that names no election, are refused.
    let other = root.join("other");
    let other_manifest = root.join("other.json");
    std::fs::write(&other_manifest, MANIFEST.replace("cli-test", "other-election")).unwrap();
    ok(&["registrar", "issue", "--manifest", s(&other_manifest), "--roll", s(&roll), "--out", s(&other)]);
    let (opened, text) =
        dauys(&["board", "open", "--dir", s(&board), "--credentials", s(&other.join("credentials.json"))]);
    assert!(
        !opened && text.contains("issued for election \"other-election\"") && text.contains("another election's list"),
        "{text}"
    );
    let bare = root.join("bare.json");
    let issued: serde_json::Value = serde_json::from_str(&issued).unwrap();
    std::fs::write(&bare, issued["credentials"].to_string()).unwrap();
    let (opened, text) = dauys(&["board", "open", "--dir", s(&board), "--credentials", s(&bare)]);
    assert!(!opened && text.contains("names no election"), "{text}");
    let mut short = issued.clone();
    short["count"] = serde_json::json!(2);
    std::fs::write(&bare, short.to_string()).unwrap();
    let (opened, text) = dauys(&["board", "open", "--dir", s(&board), "--credentials", s(&bare)]);
    assert!(!opened && text.contains("says it holds 2 credentials but holds 3"), "{text}");
    ok(&["board", "open", "--dir", s(&board), "--credentials", s(&registrar.join("credentials.json"))]);
    let ballot = ok(&["ballot", "--manifest", s(&manifest)]);
    assert!(ballot.contains("--choice council=bob") && ballot.contains("or none (`--choice council=`)"), "{ballot}");

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
        "--choice",
        "council=ann,cem",
        "--challenge",
        "--receipt",
        s(&receipt),
    ]);
    assert!(cast.contains("posted as spoiled") && cast.contains("tracking code"), "{cast}");
    ok(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no", "--choice", "council="]);
    ok(&["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=no", "--choice", "council=bob"]);
    // Voter 3 changes their mind: only the last ballot counts.
    ok(&["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes", "--choice", "council=bob"]);
    let (refused, text) = dauys(&[
        "vote",
        "--dir",
        s(&board),
        "--credential",
        &creds[1],
        "--choice",
        "ref=maybe",
        "--choice",
        "council=",
    ]);
    assert!(!refused && text.contains("no option \"maybe\"; its options: yes, no"), "{text}");
    // A contest forgotten is refused, not cast empty.
    let (refused, text) = dauys(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=yes"]);
    assert!(!refused && text.contains("no choice for contest(s) council"), "{text}");
    let (refused, text) = dauys(&[
        "vote",
        "--dir",
        s(&board),
        "--credential",
        "0000-0000-0000-0000-0000-0000-0000-0000",
        "--choice",
        "ref=yes",
        "--choice",
        "council=",
    ]);
    assert!(!refused && text.contains("not in the credential list"), "{text}");

    let (early, text) = dauys(&["tally", "--dir", s(&board)]);
    assert!(!early && text.contains("voting is still open: close it first"), "{text}");
    ok(&["board", "close", "--dir", s(&board)]);
    assert!(ok(&["board", "close", "--dir", s(&board)]).contains("already closed"), "a second close is no error");
    let (late, text) =
        dauys(&["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=yes", "--choice", "council="]);
    assert!(!late && text.contains("not allowed after voting closed"), "{text}");
    ok(&["tally", "--dir", s(&board)]);
    let (early, text) = dauys(&["result", "--dir", s(&board)]);
    assert!(!early && text.contains("0 of the 2 decryptions"), "{text}");
    assert!(ok(&["board", "status", "--dir", s(&board)]).contains("trustees run `dauys trustee decrypt`"));
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[2])]);
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[0])]);
    let table = ok(&["result", "--dir", s(&board), "--lang", "ru"]);
    assert!(table.contains("учтено бюллетеней: 3"), "{table}");
    assert!(table.contains("ПРИНЯТО"), "two yes against one no: {table}");
    ok(&["export", "--dir", s(&board)]);
    let status = ok(&["board", "status", "--dir", s(&board)]);
    assert!(status.contains("4 cast, 3 counted, 1 spoiled"), "{status}");
    assert!(status.contains("the election is over"), "{status}");

    // The saved receipt verifies against the board's key.
    let receipt: dauys::log::checkpoint::Receipt =
        serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    let b = dauys::board::store::Board::open(&board).unwrap();
    receipt.verify(&b.setup_fingerprint(), &b.board_key()).unwrap();
    assert!(board.join("record/events.jsonl").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

#[allow(dead_code, unused_imports)]
#[path = "../src/cli/mod.rs"]
mod dauys_cli;

#[allow(dead_code, unused_imports)]
#[path = "../src/bin/dauys-verify.rs"]
mod dauys_verify_cli;

/// Every argument of `command` and of its subcommands, at any depth, without a description.
fn undescribed(command: &clap::Command, path: &str, out: &mut Vec<String>) {
    let path = format!("{path} {}", command.get_name());
    if command.get_about().is_none() && command.get_long_about().is_none() {
        out.push(format!("{path}: the command"));
    }
    for arg in command.get_arguments() {
        let builtin = ["help", "version"].contains(&arg.get_id().as_str());
        if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
            out.push(format!("{path}: {}", arg.get_id()));
        }
    }
    for sub in command.get_subcommands() {
        undescribed(sub, &path, out);
    }
}

#[test]
fn every_subcommand_has_help() {
    use clap::CommandFactory;
    let mut missing = Vec::new();
    undescribed(&dauys_cli::Cli::command(), "", &mut missing);
    undescribed(&dauys_verify_cli::Cli::command(), "", &mut missing);
    assert!(missing.is_empty(), "arguments without a description in --help:\n{}", missing.join("\n"));
    for args in [vec!["--help"], vec!["board", "serve", "--help"], vec!["trustee", "init", "--help"]] {
        assert!(ok(&args).contains("Usage"), "{args:?}");
    }
}

#[test]
fn staff_errors_say_what_to_do() {
    // A trustee that never received its shares cannot decrypt, and is told why.
    let dir = temp_dir().join("e");
    let mut rng = rand::rng();
    let manifest = dauys::election::manifest::Manifest::from_json(MANIFEST).unwrap();
    let mut election = dauys::runner::LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voter = dauys::election::credential::Credential::generate(&mut rng).key_pair(&manifest.election_id);
    election.open(dauys::election::credential::CredentialList::new(vec![voter.public]).unwrap(), &mut rng).unwrap();
    election.close(&mut rng).unwrap();
    let tally = election.board.compute_tally().unwrap();
    let fresh = dauys::election::trustee::TrusteeSecrets::new(1, &mut rng);
    let err = fresh.decrypt(election.params(), &election.ceremony().unwrap(), &tally, &mut rng).unwrap_err();
    assert!(err.to_string().contains("never received its shares"), "{err}");
    drop(election);

    // A roll as a spreadsheet writes it: byte-order mark, `;`, quotes, an IIN that lost its
    // leading zero; and one with bad lines, every one of them listed.
    let root = dir.parent().unwrap().to_path_buf();
    let zero = loop {
        let iin = dauys::election::registrar::random_iin(&mut rng);
        if iin.starts_with('0') && !iin.starts_with("00") {
            break iin;
        }
    };
    let plain = dauys::election::registrar::random_iin(&mut rng);
    let roll = root.join("sheet.csv");
    std::fs::write(
        &roll,
        format!("\u{feff}\"IIN\";\"Precinct\"\r\n{};\"Almaty, 114\"\r\n\"{plain}\";P2\r\n", &zero[1..]),
    )
    .unwrap();
    let m = root.join("m.json");
    std::fs::write(&m, MANIFEST).unwrap();
    assert!(
        ok(&["registrar", "issue", "--manifest", s(&m), "--roll", s(&roll), "--out", s(&root.join("r"))])
            .contains("2 credentials")
    );
    assert!(ok(&["registrar", "check", "--roll", s(&roll), &zero]).contains("precinct Almaty, 114"));
    std::fs::write(&roll, format!("iin,precinct\n123-45,P1\n{plain},P2\n{plain},P3\nx\n")).unwrap();
    let (issued, text) =
        dauys(&["registrar", "issue", "--manifest", s(&m), "--roll", s(&roll), "--out", s(&root.join("r2"))]);
    assert!(!issued && text.contains("3 bad line(s)"), "{text}");
    for line in ["roll line 2:", "roll line 4: IIN", "roll line 5: expected two fields"] {
        assert!(text.contains(line), "{line}: {text}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn simulate_replays_counts_exactly() {
    let root = temp_dir();
    let manifest = root.join("manifest.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    let votes = root.join("votes.json");
    std::fs::write(&votes, r#"{"ref":{"yes":7,"no":5},"council":{"ann":3,"bob":2}}"#).unwrap();
    let out = ok(&["simulate", "--manifest", s(&manifest), "--votes", s(&votes), "--dir", s(&root.join("e"))]);
    assert!(out.contains("equal the votes file"), "{out}");
    let (bad, text) =
        dauys(&["simulate", "--manifest", s(&manifest), "--votes", s(&votes), "--dir", s(&root.join("e"))]);
    assert!(!bad && text.contains("already exists"), "{text}");
    std::fs::remove_dir_all(&root).unwrap();
}
