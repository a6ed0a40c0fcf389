//! The command line, role by role: each role runs from its own files and reaches the others
//! only through the board.

use std::path::{Path, PathBuf};
use std::process::Command;

use rand::RngExt;

fn dauys(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dauys")).args(args).env_remove("DAUYS_LANG").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// `dauys args` with `input` on its standard input.
fn dauys_with_input(args: &[&str], input: &str) -> (bool, String) {
    dauys_in(None, args, input)
}

/// `dauys args` with DAUYS_LANG set to `lang` (unset with `None`) and `input` on its standard
/// input.
fn dauys_in(lang: Option<&str>, args: &[&str], input: &str) -> (bool, String) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_dauys"));
    match lang {
        Some(lang) => command.env("DAUYS_LANG", lang),
        None => command.env_remove("DAUYS_LANG"),
    };
    let mut child = command
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

/// The manifest with the trustees' identity keys (hex) in `trustees.identities`, as the
/// operator writes it from what `dauys trustee keygen` printed.
fn with_identities(manifest: &str, identities: &[String]) -> String {
    let mut m: serde_json::Value = serde_json::from_str(manifest).unwrap();
    m["trustees"]["identities"] = identities.iter().map(|id| serde_json::Value::from(id.as_str())).collect();
    m.to_string()
}

/// The output line that starts with `prefix`, without it.
fn after<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines().find_map(|l| l.strip_prefix(prefix)).unwrap_or_else(|| panic!("no {prefix:?} in:\n{text}")).trim()
}

/// Registration by roles on the board in `board` (trustees' transport keys posted): a
/// synthetic CA, each citizen's key, each voter's credential, the roll, every registration,
/// the close and two shuffles; with the refusals of each step. Returns the credential files.
fn register_by_roles(root: &Path, board: &Path, iins: &[String], keys: &[PathBuf]) -> Vec<PathBuf> {
    let roll = root.join("roll.csv");
    // The CA was made before the setup: the manifest names its key (`citizen_ca`).
    let ca = root.join("ca.json");
    let ca_file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&ca).unwrap()).unwrap();
    let ca_public = ca_file["public"].as_str().unwrap().to_string();
    let (again, text) = dauys(&["ca", "init", "--out", s(&ca)]);
    assert!(!again && text.contains("exists"), "{text}");
    let citizens: Vec<PathBuf> = (0..iins.len()).map(|i| root.join(format!("citizen-{i}.json"))).collect();
    for (iin, file) in iins.iter().zip(&citizens) {
        ok(&["ca", "issue", "--ca", s(&ca), "--iin", iin, "--out", s(file)]);
        assert!(!std::fs::read_to_string(file).unwrap().contains(iin.as_str()), "a citizen file holds no IIN");
    }
    let (issued, text) = dauys(&["ca", "issue", "--ca", s(&ca), "--iin", "123", "--out", s(&root.join("c.json"))]);
    assert!(!issued && text.contains("--iin"), "{text}");
    let creds: Vec<PathBuf> = (0..iins.len()).map(|i| root.join(format!("credential-{i}.json"))).collect();
    for c in &creds {
        let out = ok(&["voter", "keygen", "--election-id", "cli-test", "--out", s(c)]);
        let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(c).unwrap()).unwrap();
        assert_eq!(after(&out, "public credential X "), file["public"].as_str().unwrap());
        assert!(!out.contains(file["credential"].as_str().unwrap()), "the secret is never printed: {out}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(c).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    let kept = std::fs::read_to_string(&creds[0]).unwrap();
    let (again, text) = dauys(&["voter", "keygen", "--election-id", "cli-test", "--out", s(&creds[0])]);
    assert!(!again && text.contains("never overwritten"), "{text}");
    assert_eq!(std::fs::read_to_string(&creds[0]).unwrap(), kept);

    let registrar = root.join("registrar.key");
    let register = |citizen: &Path, credential: &Path, iin: &str| {
        dauys(&[
            "register",
            "--dir",
            s(board),
            "--registrar-key",
            s(&registrar),
            "--citizen",
            s(citizen),
            "--credential",
            s(credential),
            "--iin",
            iin,
        ])
    };
    let roll_args =
        ["registrar", "roll", "--dir", s(board), "--roll", s(&roll), "--ca-public", &ca_public, "--key", s(&registrar)];
    assert!(ok(&roll_args).contains(&format!("roll posted: {} pseudonyms", iins.len())));
    let (again, text) = dauys(&roll_args);
    assert!(!again && text.contains("never overwritten"), "{text}");
    let other = root.join("registrar-2.key");
    let (again, text) = dauys(&[&roll_args[..8], &["--key", s(&other)]].concat());
    assert!(!again && text.contains("the roll comes once") && !other.exists(), "{text}");
    // Refusals: another citizen's IIN, an IIN not on the roll, another CA's certificate, a
    // credential for another election.
    let (done, text) = register(&citizens[0], &creds[0], &iins[1]);
    assert!(!done && text.contains("does not match the IIN"), "{text}");
    let outsider = loop {
        let iin = dauys::election::registrar::random_iin(&mut rand::rng());
        if !iins.contains(&iin) {
            break iin;
        }
    };
    let outsider_file = root.join("outsider.json");
    ok(&["ca", "issue", "--ca", s(&ca), "--iin", &outsider, "--out", s(&outsider_file)]);
    let (done, text) = register(&outsider_file, &creds[0], &outsider);
    assert!(!done && text.contains(&format!("IIN {outsider} is not on the roll")), "{text}");
    let rogue_ca = root.join("rogue-ca.json");
    ok(&["ca", "init", "--out", s(&rogue_ca)]);
    let rogue = root.join("rogue.json");
    ok(&["ca", "issue", "--ca", s(&rogue_ca), "--iin", &iins[0], "--out", s(&rogue)]);
    let (done, text) = register(&rogue, &creds[0], &iins[0]);
    assert!(!done && text.contains("not from the roll's CA"), "{text}");
    let elsewhere = root.join("elsewhere.json");
    ok(&["voter", "keygen", "--election-id", "other-election", "--out", s(&elsewhere)]);
    let (done, text) = register(&citizens[0], &elsewhere, &iins[0]);
    assert!(!done && text.contains("a credential for election \"other-election\""), "{text}");
    let (shuffled, text) = dauys(&["trustee", "shuffle", "--dir", s(board), "--key", s(&keys[0])]);
    assert!(!shuffled && text.contains("registration has not closed"), "{text}");
    for ((citizen, credential), iin) in citizens.iter().zip(&creds).zip(iins) {
        let (done, text) = register(citizen, credential, iin);
        assert!(done && text.contains("your registration (P and X) is there"), "{text}");
    }
    let (done, text) = register(&citizens[0], &root.join("stranger-digits"), &iins[0]);
    assert!(!done && text.contains("not a credential file"), "{text}");
    let fresh = root.join("fresh.json");
    ok(&["voter", "keygen", "--election-id", "cli-test", "--out", s(&fresh)]);
    let (done, text) = register(&citizens[0], &fresh, &iins[0]);
    assert!(!done && text.contains("has registered already"), "{text}");
    let (opened, text) = dauys(&["board", "open", "--dir", s(board)]);
    assert!(!opened && text.contains("registration is still open (3 registered)"), "{text}");
    assert!(ok(&["board", "status", "--dir", s(board)]).contains("`dauys registrar close`"));
    assert!(ok(&["registrar", "close", "--dir", s(board)]).contains("after 3 registrations"));
    let (done, text) = register(&citizens[1], &fresh, &iins[1]);
    assert!(!done && text.contains("registration closed"), "{text}");
    assert!(ok(&["trustee", "shuffle", "--dir", s(board), "--key", s(&keys[0])]).contains("3 credentials shuffled"));
    let (again, text) = dauys(&["trustee", "shuffle", "--dir", s(board), "--key", s(&keys[0])]);
    assert!(!again && text.contains("trustee 1 has shuffled already"), "{text}");
    let (opened, text) = dauys(&["board", "open", "--dir", s(board)]);
    assert!(!opened && text.contains("1 more shuffle(s) needed: 1 of the 2"), "{text}");
    ok(&["trustee", "shuffle", "--dir", s(board), "--key", s(&keys[1])]);
    // After a roll, a credential list of the operator's own is refused.
    let manifest = dauys::board::store::Board::open(board).unwrap().state().setup.clone().unwrap().manifest;
    let stuffed = dauys::election::credential::CredentialList::new(vec![
        dauys::crypto::group::SecretScalar::random(&mut rand::rng()).public(),
    ])
    .unwrap();
    let list = root.join("list.json");
    let issued = dauys::election::registrar::IssuedList::new(&manifest, stuffed);
    std::fs::write(&list, serde_json::to_string(&issued).unwrap()).unwrap();
    let (opened, text) = dauys(&["board", "open", "--dir", s(board), "--credentials", s(&list), "--quorum"]);
    assert!(!opened && text.contains("open without --credentials"), "{text}");
    creds
}

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
    // Each trustee makes its key file first; the manifest names their identity keys.
    let keys: Vec<PathBuf> = (1..=3).map(|i| root.join(format!("trustee-{i}.key"))).collect();
    let mut identities = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let out = ok(&["trustee", "keygen", "--index", &(i + 1).to_string(), "--key", s(key)]);
        identities.push(out.lines().find_map(|l| l.strip_prefix("identity key ")).unwrap().trim().to_string());
    }
    let init = ["board", "init", "--dir", s(&board), "--manifest", s(&manifest), "--operator-key", s(&operator)];
    let (made, text) = dauys(&init);
    assert!(!made && text.contains("dauys trustee keygen") && !board.exists(), "{text}");
    // The synthetic national CA's key goes in the manifest too, so the setup binds it.
    let ca_public = after(&ok(&["ca", "init", "--out", s(&root.join("ca.json"))]), "CA public key ").to_string();
    let mut with_ca: serde_json::Value = serde_json::from_str(&with_identities(MANIFEST, &identities)).unwrap();
    with_ca["citizen_ca"] = serde_json::Value::from(ca_public.as_str());
    std::fs::write(&manifest, with_ca.to_string()).unwrap();
    ok(&init);
    assert!(ok(&["registrar", "check", "--roll", s(&roll), &iins[1]]).contains("precinct P2"));
    let (found, text) =
        dauys(&["registrar", "check", "--roll", s(&roll), &dauys::election::registrar::random_iin(&mut rng)]);
    assert!(!found && text.contains("not on the roll"), "{text}");

    // A trustee number the election does not have: refused, and no key file left behind.
    let stray = root.join("trustee-4.key");
    let (made, text) = dauys(&["trustee", "init", "--dir", s(&board), "--index", "4", "--key", s(&stray)]);
    assert!(!made && text.contains("trustees 1 to 3") && !stray.exists(), "{text}");
    // A key file whose identity key the manifest does not name for the seat: refused, nothing
    // posted; so is a seat whose key file was never made.
    let usurper = root.join("usurper.key");
    ok(&["trustee", "keygen", "--index", "1", "--key", s(&usurper)]);
    let (posted, text) = dauys(&["trustee", "init", "--dir", s(&board), "--index", "1", "--key", s(&usurper)]);
    assert!(!posted && text.contains("names another identity key"), "{text}");
    let (posted, text) = dauys(&["trustee", "init", "--dir", s(&board), "--index", "1", "--key", s(&stray)]);
    assert!(!posted && text.contains("dauys trustee keygen --index 1"), "{text}");
    for (i, key) in keys.iter().enumerate() {
        ok(&["trustee", "init", "--dir", s(&board), "--index", &(i + 1).to_string(), "--key", s(key)]);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&keys[0]).unwrap().permissions().mode() & 0o777, 0o600);
    }
    for key in &keys {
        ok(&["trustee", "deal", "--dir", s(&board), "--key", s(key)]);
    }
    for key in &keys {
        assert!(ok(&["trustee", "receive", "--dir", s(&board), "--key", s(key)]).contains("0 complaint(s)"));
    }
    assert!(ok(&["board", "status", "--dir", s(&board)]).contains("`dauys board open`"));
    let creds = register_by_roles(&root, &board, &iins, &keys);
    let ballot = ok(&["ballot", "--manifest", s(&manifest)]);
    assert!(ballot.contains("--choice council=bob") && ballot.contains("or none (`--choice council=`)"), "{ballot}");
    let (early, text) = dauys(&["board", "open", "--dir", s(&board)]);
    assert!(!early && text.contains("trustee(s) [1, 2, 3] are not ready"), "{text}");
    for key in &keys[..2] {
        assert!(ok(&["trustee", "ready", "--dir", s(&board), "--key", s(key)]).contains("ready"));
    }
    let (early, text) = dauys(&["board", "open", "--dir", s(&board)]);
    assert!(!early && text.contains("trustee(s) [3] are not ready") && text.contains("--quorum"), "{text}");
    let opened = ok(&["board", "open", "--dir", s(&board), "--quorum"]);
    assert!(opened.contains("warning: opening with a quorum: trustee(s) [3]"), "{opened}");
    let ballot = ok(&["ballot", "--manifest", s(&manifest)]);
    assert!(ballot.contains("--choice council=bob") && ballot.contains("or none (`--choice council=`)"), "{ballot}");

    let creds: Vec<String> = creds.iter().map(|c| s(c).to_string()).collect();
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
    assert!(
        checked.contains("matches the ballot style and the ciphertexts") && checked.contains("Q: Yes"),
        "{checked}"
    );
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
    // In Russian (`--lang` after the subcommand, as before it was global): the same steps, the
    // same codes, the glossary's words.
    let prepared = ok(&[&prepare[..], &["--lang", "ru"]].concat());
    assert!(
        prepared.contains("бюллетень зашифрован, код отслеживания ") && prepared.contains("сохранён в"),
        "{prepared}"
    );
    assert!(!prepared.contains("tracking code"), "{prepared}");
    let code = codes(&prepared).remove(0);
    let opening2 = root.join("opening2.json");
    let challenged =
        ok(&["--lang", "ru", "vote", "challenge", "--dir", s(&board), s(&state), "--opening", s(&opening2)]);
    assert!(challenged.contains(&format!("бюллетень {code} вскрыт для проверки (не учитывается)")), "{challenged}");
    assert!(challenged.contains("проверьте его на другом устройстве"), "{challenged}");
    assert!(!state.exists() && opening2.exists());
    // Voter 3 changes their mind: only the last ballot counts. In Kazakh, from DAUYS_LANG: the
    // tracking code shown before the question is the one cast.
    let revote = dauys_in(
        Some("kk"),
        &["vote", "--dir", s(&board), "--credential", &creds[2], "--choice", "ref=yes", "--choice", "council=bob"],
        "cast\n",
    );
    assert!(revote.0, "{}", revote.1);
    assert!(revote.1.contains("бюллетень шифрланды, қадағалау коды "), "{}", revote.1);
    assert!(revote.1.contains("бюллетень тапсырылды, қадағалау коды "), "{}", revote.1);
    assert!(revote.1.contains("(cast)") && !revote.1.contains("tracking code"), "{}", revote.1);
    let shown = codes(&revote.1);
    assert!(shown.len() == 2 && shown[0] == shown[1], "{}", revote.1);
    // --lang wins over DAUYS_LANG; an unknown DAUYS_LANG is refused, saying what it takes.
    let (early, text) = dauys_in(Some("kk"), &["--lang", "ru", "tally", "--dir", s(&board)], "");
    assert!(!early && text.starts_with("dauys: голосование ещё открыто: сначала закройте его"), "{text}");
    let (early, text) = dauys_in(Some("de"), &["tally", "--dir", s(&board)], "");
    assert!(!early && text.contains("DAUYS_LANG=\"de\": the language is kk, ru or en"), "{text}");
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
    assert!(!refused && text.contains("not in the election's final credential list"), "{text}");
    let stranger = root.join("stranger.json");
    ok(&["voter", "keygen", "--election-id", "cli-test", "--out", s(&stranger)]);
    let (refused, text) = dauys(&[
        "vote",
        "--dir",
        s(&board),
        "--credential",
        s(&stranger),
        "--choice",
        "ref=yes",
        "--choice",
        "council=",
    ]);
    assert!(
        !refused && text.contains("not in the election's final credential list") && text.contains("nothing was cast"),
        "{text}"
    );

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
    // Two decryptions, one revealing a lot seed: a coalition of t − 1 could know the lots.
    let (early, text) = dauys(&["result", "--dir", s(&board)]);
    assert!(!early && text.contains("1 of the decryptions reveal a lot seed, the result needs 2"), "{text}");
    ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(&keys[1])]);
    let table = ok(&["result", "--dir", s(&board), "--lang", "ru"]);
    assert!(table.contains("учтено бюллетеней: 3"), "{table}");
    assert!(table.contains("ПРИНЯТО"), "two yes against one no: {table}");
    ok(&["export", "--dir", s(&board)]);
    let status = ok(&["board", "status", "--dir", s(&board)]);
    assert!(status.contains("4 cast, 3 counted, 2 opened for checking"), "{status}");
    assert!(status.contains("the election is over"), "{status}");
    // In Kazakh, the labels are longer: the values still start in one column.
    let status = ok(&["board", "status", "--dir", s(&board), "--lang", "kk"]);
    assert!(status.contains("4 тапсырылды, 3 есептеледі, 2 тексеру үшін ашылды (есептелмейді)"), "{status}");
    let column = |label: &str| {
        let line = status.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label}: {status}"));
        label.chars().count() + line[label.len()..].chars().take_while(|c| *c == ' ').count()
    };
    assert_eq!(column("кезең"), column("бақылау нүктесі"), "{status}");
    assert_eq!(column("кезең"), "кілт сақтаушылар".chars().count() + 1, "{status}");
    // After close the challenged ballots are in the record; a second device finds them there.
    let found = ok(&["challenge", "check", "--record", s(&board.join("record")), s(&opening2), "--code", &code]);
    assert!(found.contains("published in the record as a challenged ballot"), "{found}");
    let found = ok(&[
        "challenge",
        "check",
        "--record",
        s(&board.join("record")),
        s(&opening2),
        "--code",
        &code,
        "--lang",
        "ru",
    ]);
    assert!(found.contains(&format!("код отслеживания {code}: соответствует виду бюллетеня")), "{found}");
    assert!(found.contains("опубликован в записи как вскрытый для проверки бюллетень"), "{found}");

    // The saved receipt verifies against the board's key.
    let receipt: dauys::log::checkpoint::Receipt =
        serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    let b = dauys::board::store::Board::open(&board).unwrap();
    receipt.verify(&b.setup_fingerprint(), &b.board_key()).unwrap();
    assert!(board.join("record/events.jsonl").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

/// A board of the maslikhat example (six ballot styles, 3 trustees, t = 2) with its key
/// ceremony done by the trustees' commands (not ready yet); with `ca_public`, the manifest names
/// that citizen CA. Returns the trustees' key files and the manifest as set up.
fn maslikhat_board(root: &Path, board: &Path, ca_public: Option<&str>) -> (Vec<PathBuf>, serde_json::Value) {
    let keys: Vec<PathBuf> = (1..=3).map(|i| root.join(format!("trustee-{i}.key"))).collect();
    let identities: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let out = ok(&["trustee", "keygen", "--index", &(i + 1).to_string(), "--key", s(key)]);
            after(&out, "identity key ").to_string()
        })
        .collect();
    let maslikhat = include_str!("../specs/examples/maslikhat-manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&with_identities(maslikhat, &identities)).unwrap();
    if let Some(ca) = ca_public {
        m["citizen_ca"] = serde_json::Value::from(ca);
    }
    let manifest = root.join("manifest.json");
    std::fs::write(&manifest, m.to_string()).unwrap();
    let operator = root.join("operator.key");
    ok(&["board", "init", "--dir", s(board), "--manifest", s(&manifest), "--operator-key", s(&operator)]);
    for step in ["init", "deal", "receive"] {
        for (i, key) in keys.iter().enumerate() {
            let index = (i + 1).to_string();
            let args = ["trustee", step, "--dir", s(board), "--key", s(key), "--index", &index];
            ok(if step == "init" { &args[..] } else { &args[..6] });
        }
    }
    (keys, m)
}

/// A region's maslikhat day (six ballot styles) run by the roles from the command line: the
/// roll gives each pseudonym its precinct's style, `dauys register` shows the citizen its style
/// and signs it, each trustee's `shuffle` shuffles every list, each voter votes its own style's
/// contests; the record verifies. A roll with a precinct on no style is refused.
#[test]
fn an_election_of_several_districts_by_roles() {
    let root = temp_dir();
    let board = root.join("board");
    let mut rng = rand::rng();
    let ca = root.join("ca.json");
    let ca_public = after(&ok(&["ca", "init", "--out", s(&ca)]), "CA public key ").to_string();
    let (keys, m) = maslikhat_board(&root, &board, Some(&ca_public));

    let iins: Vec<String> = (0..3).map(|_| dauys::election::registrar::random_iin(&mut rng)).collect();
    let roll = root.join("roll.csv");
    let registrar = root.join("registrar.key");
    let roll_args = [
        "registrar",
        "roll",
        "--dir",
        s(&board),
        "--roll",
        s(&roll),
        "--ca-public",
        &ca_public,
        "--key",
        s(&registrar),
    ];
    std::fs::write(&roll, format!("iin,precinct\n{},M01-002\n{},M02-001\n{},Z-999\n", iins[0], iins[1], iins[2]))
        .unwrap();
    let (posted, text) = dauys(&roll_args);
    assert!(
        !posted && text.contains(r#"precincts that no ballot style of the manifest lists: "Z-999" (1 voters)"#),
        "{text}"
    );
    assert!(!registrar.exists(), "a roll that was not posted leaves no registrar key");
    // The third citizen lives in M01-001, but the registrar's roll puts it in M03-001.
    let rolled = format!("iin,precinct\n{},M01-002\n{},M02-001\n{},M03-001\n", iins[0], iins[1], iins[2]);
    std::fs::write(&roll, rolled).unwrap();
    assert!(ok(&roll_args).contains("roll posted: 3 pseudonyms"));

    let election_id = m["election_id"].as_str().unwrap();
    let creds: Vec<PathBuf> = (0..3).map(|i| root.join(format!("credential-{i}.json"))).collect();
    let register = |i: usize, precinct: Option<&str>| {
        let citizen = root.join(format!("citizen-{i}.json"));
        if !citizen.exists() {
            ok(&["ca", "issue", "--ca", s(&ca), "--iin", &iins[i], "--out", s(&citizen)]);
            ok(&["voter", "keygen", "--election-id", election_id, "--out", s(&creds[i])]);
        }
        let args = ["register", "--dir", s(&board), "--registrar-key", s(&registrar), "--citizen", s(&citizen)];
        let args = [&args[..], &["--credential", s(&creds[i]), "--iin", &iins[i]]].concat();
        dauys(&[&args[..], &precinct.map_or(vec![], |p| vec!["--precinct", p])].concat())
    };
    // Where there are several styles the citizen says its precinct, and signs nothing unless
    // the desk's style is that precinct's: a registration is final.
    let (done, text) = register(0, None);
    assert!(!done && text.contains("give --precinct"), "{text}");
    let (done, text) = register(2, Some("M01-001"));
    assert!(
        !done && text.contains(r#"the desk gave ballot style "m03", but precinct "M01-001" votes in style "m01""#),
        "{text}"
    );
    for (i, precinct) in [(0, "M01-002"), (1, "M02-001")] {
        let (done, said) = register(i, Some(precinct));
        let district = format!("single-member district No. {}", i + 1);
        assert!(
            done && said.contains(&format!("ballot style m0{} (precinct {precinct}): your ballot", i + 1)),
            "{said}"
        );
        assert!(said.contains("Regional maslikhat, party lists") && said.contains(&district), "{said}");
    }
    let creds = &creds[..2];
    ok(&["registrar", "close", "--dir", s(&board)]);
    for key in &keys[..2] {
        let said = ok(&["trustee", "shuffle", "--dir", s(&board), "--key", s(key)]);
        assert!(said.contains("2 credentials shuffled in 2 lists (one per ballot style)"), "{said}");
    }
    for key in &keys {
        ok(&["trustee", "ready", "--dir", s(&board), "--key", s(key)]);
    }
    ok(&["board", "open", "--dir", s(&board)]);
    for (i, credential) in creds.iter().enumerate() {
        let district = format!("maslikhat-0{}=candidate-b", i + 1);
        let args = ["vote", "--dir", s(&board), "--credential", s(credential), "--choice", "regional-list=party-c"];
        let (cast, text) = dauys_with_input(&[&args[..], &["--choice", &district]].concat(), "cast\n");
        assert!(cast && text.contains("ballot cast"), "{text}");
    }
    // District 1's voter cannot vote district 2's contest.
    let args = ["vote", "--dir", s(&board), "--credential", s(&creds[0]), "--choice", "regional-list=party-c"];
    let (cast, text) = dauys_with_input(&[&args[..], &["--choice", "maslikhat-02=candidate-a"]].concat(), "cast\n");
    assert!(!cast && text.contains("maslikhat-02"), "{text}");
    ok(&["board", "close", "--dir", s(&board)]);
    ok(&["tally", "--dir", s(&board)]);
    for key in &keys[..2] {
        ok(&["trustee", "decrypt", "--dir", s(&board), "--key", s(key)]);
    }
    let table = ok(&["result", "--dir", s(&board)]);
    assert!(table.contains("single-member district No. 2"), "{table}");
    ok(&["export", "--dir", s(&board)]);
    let report = dauys::verify::verify(&board.join("record"), &dauys::verify::Options::default()).unwrap();
    assert!(report.failed().is_empty(), "{:?}", report.failed());
    let registrations = report.outcome(dauys::verify::Check::Registrations).unwrap().detail();
    assert!(registrations.contains("2 registered, on a roll of 3"), "{registrations}");
    assert!(registrations.ends_with("; fewest registered in a ballot style: 1 (m01)"), "{registrations}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Without a roll, an election of several styles opens with one credential list per style.
#[test]
fn an_election_of_several_districts_opens_with_a_list_per_style() {
    let root = temp_dir();
    let board = root.join("board");
    let (keys, m) = maslikhat_board(&root, &board, None);
    for key in &keys {
        ok(&["trustee", "ready", "--dir", s(&board), "--key", s(key)]);
    }
    let manifest: dauys::election::manifest::Manifest = serde_json::from_value(m.clone()).unwrap();
    let election_id = m["election_id"].as_str().unwrap();
    let creds: Vec<PathBuf> = (0..6).map(|i| root.join(format!("credential-{i}.json"))).collect();
    let xs: Vec<dauys::crypto::group::Element> = creds
        .iter()
        .map(|c| {
            let out = ok(&["voter", "keygen", "--election-id", election_id, "--out", s(c)]);
            dauys::crypto::group::Element::from_hex("X", after(&out, "public credential X ")).unwrap()
        })
        .collect();
    let list_of = |xs: Vec<_>| dauys::election::credential::CredentialList::new(xs).unwrap();
    let list = root.join("list.json");
    let open = ["board", "open", "--dir", s(&board), "--credentials", s(&list)];
    // One list for six styles: refused, with what the file must give.
    let single = dauys::election::registrar::IssuedList::new(&manifest, list_of(xs.clone()));
    std::fs::write(&list, serde_json::to_string(&single).unwrap()).unwrap();
    let (opened, text) = dauys(&open);
    assert!(!opened && text.contains("`style_credentials`, 6 lists in the manifest's style order"), "{text}");
    let lists = xs.iter().map(|x| list_of(vec![*x])).collect();
    let per_style = dauys::election::registrar::IssuedList::per_style(&manifest, lists);
    std::fs::write(&list, serde_json::to_string(&per_style).unwrap()).unwrap();
    assert!(ok(&open).contains("voting open: 6 credentials"));
    let args = ["vote", "--dir", s(&board), "--credential", s(&creds[3]), "--choice", "regional-list=party-a"];
    let (cast, text) = dauys_with_input(&[&args[..], &["--choice", "maslikhat-04=candidate-a"]].concat(), "cast\n");
    assert!(cast && text.contains("ballot cast"), "{text}");
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
    let forged =
        dauys::election::tally::EncryptedTally { ballots: 3, contests: ballots[0].1.ciphertexts(), turnout: vec![] };
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
        vec!["trustee", "keygen", "--help"],
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
    assert!(ok(&["registrar", "check", "--roll", s(&roll), &zero]).contains("precinct Almaty, 114"));
    assert!(ok(&["registrar", "check", "--roll", s(&roll), &plain]).contains("precinct P2"));
    std::fs::write(&roll, format!("iin,precinct\n123-45,P1\n{plain},P2\n{plain},P3\nx\n")).unwrap();
    let key = root.join("registrar.key");
    let ca = "11".repeat(32);
    let (posted, text) =
        dauys(&["registrar", "roll", "--dir", s(&dir), "--roll", s(&roll), "--ca-public", &ca, "--key", s(&key)]);
    assert!(!posted && text.contains("3 bad line(s)") && !key.exists(), "{text}");
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

/// `dauys demo --manifest` on the maslikhat example (a regional list, six districts): the
/// table grouped by district with each one's ballots, `dauys result` printing it again with
/// the turnout per style in its JSON and each contest's district in its CSV, and the record
/// VALID for `dauys-verify`; a manifest that does not parse is refused with the file named.
#[test]
fn demo_runs_a_manifest_with_districts() {
    let root = temp_dir();
    let dir = root.join("e");
    let maslikhat = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/examples/maslikhat-manifest.json");
    // 13 voters over 6 styles: 3 in the first district, 2 in each other.
    let out = ok(&["demo", "--manifest", s(&maslikhat), "--voters", "13", "--dir", s(&dir)]);
    assert!(out.contains("equal the plaintext choices"), "{out}");
    let region = out.find("Example region — ballots counted: 13").expect(&out);
    let first = out.find("Maslikhat district No. 1 — ballots counted: 3").expect(&out);
    assert!(region < first && out.contains("Maslikhat district No. 6 — ballots counted: 2"), "{out}");
    assert!(out.contains("ballot style m01  Maslikhat district No. 1  3"), "{out}");
    let (json, csv) = (root.join("r.json"), root.join("r.csv"));
    let again = ok(&["result", "--dir", s(&dir), "--lang", "ru", "--json", s(&json), "--csv", s(&csv)]);
    assert!(again.contains("учтено бюллетеней по видам бюллетеня"), "{again}");
    let result: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(result["turnout"], serde_json::json!({"m01": 3, "m02": 2, "m03": 2, "m04": 2, "m05": 2, "m06": 2}));
    assert_eq!(result["contests"]["maslikhat-01"]["district"], "m01");
    assert_eq!(result["contests"]["maslikhat-01"]["ballots"], 3);
    assert_eq!(result["contests"]["regional-list"]["ballots"], 13);
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("contest,kind,title,option,label,count,percent,seats,district,ballots\r\n"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("maslikhat-06,plurality,") && l.ends_with(",m06,2")), "{csv}");
    let verified = Command::new(env!("CARGO_BIN_EXE_dauys-verify")).arg(dir.join("record")).output().unwrap();
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));

    let broken = root.join("broken.json");
    std::fs::write(&broken, r#"{"version":1}"#).unwrap();
    let (success, text) = dauys(&["demo", "--manifest", s(&broken), "--dir", s(&root.join("f"))]);
    assert!(!success && text.contains("broken.json") && text.contains("manifest"), "{text}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// The string literals of Rust source `text` outside comments and attributes, each with the
/// code just before it (to tell a panic's message and a macro's format from the rest).
fn literals(text: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut out, mut i, mut attribute) = (Vec::new(), 0, 0usize);
    let before = |i: usize| chars[i.saturating_sub(40)..i].iter().filter(|c| !c.is_whitespace()).collect::<String>();
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '#' && (next == Some('[') || (next == Some('!') && chars.get(i + 2) == Some(&'['))) {
            attribute = 1;
            i += if next == Some('[') { 2 } else { 3 };
        } else if attribute > 0 && (c == '[' || c == ']') {
            attribute = if c == '[' { attribute + 1 } else { attribute - 1 };
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime.
            i += match (next, chars.get(i + 2)) {
                (Some('\\'), _) => 3 + chars[i + 3..].iter().position(|&c| c == '\'').unwrap() + 1,
                (_, Some('\'')) => 3,
                _ => 1,
            };
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !chars[i - 1].is_alphanumeric() {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            let start = i + 1 + hashes + 1;
            let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let len = chars[start..].iter().collect::<String>().find(&close).unwrap();
            let body: String = chars[start..].iter().collect::<String>()[..len].to_string();
            if attribute == 0 {
                out.push((before(i), body.clone()));
            }
            i = start + body.chars().count() + close.chars().count();
        } else if c == '"' {
            let mut body = String::new();
            let mut j = i + 1;
            while chars[j] != '"' {
                if chars[j] != '\\' {
                    body.push(chars[j]);
                } else {
                    j += 1;
                    match chars[j] {
                        'n' => body.push('\n'),
                        't' => body.push('\t'),
                        // A line continuation: the newline and the next line's indent go.
                        '\n' => {
                            while chars[j + 1].is_whitespace() {
                                j += 1;
                            }
                        }
                        escaped => body.push(escaped),
                    }
                }
                j += 1;
            }
            if attribute == 0 {
                out.push((before(i), body));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// `text` without its format placeholders (`{}`, `{code}`, `{:.1?}`).
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_literal_scanner_finds_what_it_must() {
    let source = "// \"a comment\"\n#[arg(help = \"an attribute [x]\")]\nlet c = '\"'; fn f<'a>() {}\n\
                  println!(\"ballot cast, {code}\"); let r = r#\"raw \"two words\"\"#; x.expect(\"a panic\");\
                  writeln!(out, \"\\n{}\"); fail(\"one \\\n    line\")";
    let found = literals(source);
    let texts: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["ballot cast, {code}", "raw \"two words\"", "a panic", "\n{}", "one line"]);
    assert!(found[0].0.ends_with("println!("));
    assert_eq!(without_placeholders("{} of {n:?} ballots"), " of  ballots");
}

/// Words users read come from `locales/*/cli.ftl`: what `dauys` prints or fails with is never
/// an English sentence in its source (a print's or a `fail`'s format has no words; no other
/// literal holds two English words in a row, but for the panics' messages and the few listed
/// here), and every message it asks for exists.
#[test]
fn the_command_line_prints_no_words_of_its_own() {
    // Not shown to people: a value of the board's JSON answer, and a file's header line.
    let allowed = ["already closed", "# dauys load test:"];
    let english = dauys::locale::Words::of(dauys::election::manifest::Lang::En);
    let mut found = Vec::new();
    let mut messages = 0;
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (before, text) in literals(&std::fs::read_to_string(&path).unwrap()) {
            let bare = without_placeholders(&text);
            let at = format!("src/cli/{name}: {text:?}");
            if ["expect(", "unreachable!(", "panic!("].iter().any(|p| before.ends_with(p))
                || allowed.iter().any(|a| text.starts_with(a))
            {
                continue;
            }
            // `t!(` and `say(` themselves, not `print!(` or `format!(`.
            let call = |name: &str| {
                before.strip_suffix(name).is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            };
            if call("t!(") || call("say(") {
                messages += 1;
                if !english.has(&text) {
                    found.push(format!("{at}: no such message in locales/en/cli.ftl"));
                }
                continue;
            }
            let printed = ["println!(", "print!(", "fail(", "format!("].iter().any(|p| before.ends_with(p));
            if printed && (before.ends_with("fail(format!(") || !before.ends_with("format!(")) {
                // Flags and URL paths are no words: `--iin: {e}`, `/election: {e}`.
                let worded = bare.split(' ').filter(|w| !w.starts_with("--") && !w.starts_with('/'));
                if worded.flat_map(str::chars).any(char::is_alphabetic) {
                    found.push(format!("{at}: words in a message's format"));
                }
                continue;
            }
            let words: Vec<&str> = bare.split(' ').collect();
            let word = |w: &str| {
                w.len() > 1 && w.trim_end_matches([',', ';', ':', '.']).chars().all(|c| c.is_ascii_alphabetic())
            };
            if words.windows(2).any(|pair| word(pair[0]) && word(pair[1])) {
                found.push(format!("{at}: English words"));
            }
        }
    }
    // The progress and summary lines of `dauys demo` and `dauys simulate`.
    for name in ["demo.rs", "simulate.rs"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(name);
        for (before, text) in literals(&std::fs::read_to_string(&path).unwrap()) {
            if before.ends_with("writeln!(out,") && without_placeholders(&text).chars().any(char::is_alphabetic) {
                found.push(format!("src/{name}: {text:?}: words in a progress line's format"));
            }
        }
    }
    assert!(found.is_empty(), "words outside locales/:\n{}", found.join("\n"));
    assert!(messages > 150, "{messages} messages: the scanner lost the t!() calls");
}
