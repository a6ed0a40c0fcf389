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
    let ballot = ok(&["ballot", "--manifest", s(&manifest)]);
    assert!(ballot.contains("--choice council=bob") && ballot.contains("or none (`--choice council=`)"), "{ballot}");
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
    let ballot = ok(&["ballot", "--manifest", s(&manifest)]);
    assert!(ballot.contains("--choice council=bob") && ballot.contains("or none (`--choice council=`)"), "{ballot}");

    let sheet = std::fs::read_to_string(registrar.join("credential-sheet.csv")).unwrap();
    let creds: Vec<String> = sheet.lines().skip(1).map(|l| l.rsplit(',').next().unwrap().to_string()).collect();
    let receipt = root.join("receipt.json");
    // Voter 1: encrypt, see the code, challenge; a new ballot, see its code, cast.
    let vote =
        ["vote", "--dir", s(&board), "--credential", &creds[0], "--choice", "ref=yes", "--choice", "council=ann,cem"];
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
    let (none, text) = dauys_with_input(
        &["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no", "--choice", "council="],
        "",
    );
    assert!(!none && text.contains("nothing was cast"), "{text}");
    let again = dauys_with_input(
        &["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=no", "--choice", "council="],
        "yes\ncast\n",
    );
    assert!(again.0 && again.1.contains("type cast or challenge") && again.1.contains("ballot cast"), "{}", again.1);
    // Two steps: prepare (0600, with the nonces), then cast or challenge.
    let state = root.join("ballot.state");
    let prepare = [
        "vote",
        "prepare",
        "--dir",
        s(&board),
        "--credential",
        &creds[2],
        "--choice",
        "ref=no",
        "--choice",
        "council=bob",
        "--out",
        s(&state),
    ];
    assert!(codes(&ok(&prepare)).len() == 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&state).unwrap().permissions().mode() & 0o777, 0o600);
    }
    ok(&["vote", "cast", "--dir", s(&board), s(&state)]);
    assert!(!state.exists(), "a cast ballot's nonces are not kept");
    let prepare = [
        "vote",
        "prepare",
        "--dir",
        s(&board),
        "--credential",
        &creds[2],
        "--choice",
        "ref=yes",
        "--choice",
        "council=",
        "--out",
        s(&state),
    ];
    let code = codes(&ok(&prepare)).remove(0);
    let opening2 = root.join("opening2.json");
    ok(&["vote", "challenge", "--dir", s(&board), s(&state), "--opening", s(&opening2)]);
    assert!(!state.exists() && opening2.exists());
    // Voter 3 changes their mind: only the last ballot counts.
    let revote = dauys_with_input(
        &["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes", "--choice", "council=bob"],
        "cast\n",
    );
    assert!(revote.0, "{}", revote.1);
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
    let (refused, text) = dauys_with_input(
        &[
            "vote",
            "--dir",
            s(&board),
            "--credential",
            "0000-0000-0000-0000-0000-0000-0000-0000",
            "--choice",
            "ref=yes",
            "--choice",
            "council=",
        ],
        "cast\n",
    );
    assert!(!refused && text.contains("not in the credential list"), "{text}");

    let (early, text) = dauys(&["tally", "--dir", s(&board)]);
    assert!(!early && text.contains("voting is still open: close it first"), "{text}");
    ok(&["board", "close", "--dir", s(&board)]);
    assert!(ok(&["board", "close", "--dir", s(&board)]).contains("already closed"), "a second close is no error");
    let (late, text) = dauys_with_input(
        &["vote", "--dir", s(&board), "--credential", &creds[1], "--choice", "ref=yes", "--choice", "council="],
        "cast\n",
    );
    assert!(!late && text.contains("not allowed after voting closed"), "{text}");
    ok(&["tally", "--dir", s(&board)]);
    let (early, text) = dauys(&["result", "--dir", s(&board)]);
    assert!(!early && text.contains("0 of the 2 decryptions"), "{text}");
    assert!(ok(&["board", "status", "--dir", s(&board)]).contains("trustees run `dauys trustee decrypt`"));
    // Trustee 3 was not ready: it decrypts, revealing no lot seed; trustee 1 reveals its own.
    assert!(ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[2])]).contains("checks out"));
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[0])]);
    let table = ok(&["result", "--dir", s(&board), "--lang", "ru"]);
    assert!(table.contains("учтено бюллетеней: 3"), "{table}");
    assert!(table.contains("ПРИНЯТО"), "two yes against one no: {table}");
    ok(&["export", "--dir", s(&board)]);
    let status = ok(&["board", "status", "--dir", s(&board)]);
    assert!(status.contains("4 cast, 3 counted, 2 spoiled"), "{status}");
    assert!(status.contains("the election is over"), "{status}");
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
            marks: vec![vec![u64::from(i == 0), u64::from(i != 0)], vec![0, 0, 0]],
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
    let (mut tree, mut edge) = (dauys::log::merkle::Tree::new(), dauys::log::merkle::Frontier::default());
    {
        let mut stmt = db.prepare("SELECT leaf_hash FROM events ORDER BY idx").unwrap();
        for h in stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            let h: [u8; 32] = h.unwrap().try_into().unwrap();
            tree.push(h);
            edge.push_completing(h, |_, _, _| {});
        }
    }
    let leaf = Event::Tally(forged).to_leaf();
    let hash = dauys::log::merkle::leaf_hash(leaf.as_bytes());
    tree.push(hash);
    // The tree's nodes the board stores beside its log (specs/record.md §11.5), as its own
    // append would have written them.
    edge.push_completing(hash, |level, index, h| {
        dauys::board::schema::insert_node(&db, level, index, h).unwrap();
    });
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
    for args in [
        vec!["--help"],
        vec!["board", "serve", "--help"],
        vec!["trustee", "init", "--help"],
        vec!["trustee", "ready", "--help"],
        vec!["vote", "prepare", "--help"],
        vec!["challenge", "check", "--help"],
    ] {
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
    let err = fresh.decrypt(election.params(), &election.ceremony().unwrap(), &tally, false, &mut rng).unwrap_err();
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
