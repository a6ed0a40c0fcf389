//! The staff through a running board: the README's role sequence command by command with one
//! server up throughout, the signed requests (only a role's key can take its steps), and TLS
//! with a private CA.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use dauys::board::auth::{Access, RequestLine, Role, authorize, enrollment_key};
use dauys::board::client::{BoardClient, Signer};
use dauys::board::store::Board;
use dauys::crypto::group::{Element, from_hex};
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::trustee::TrusteeSecrets;
use dauys::log::event::Event;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST};
use rand::RngExt;

mod serving;
use serving::Server;

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dauys-roles-{}-{}", std::process::id(), rand::rng().random::<u32>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn run(bin: &str, args: &[&str]) -> (bool, String) {
    run_with_input(bin, args, "")
}

/// `bin args` with `input` on its standard input (a voter's `cast` or `challenge`).
fn run_with_input(bin: &str, args: &[&str], input: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    // A command that does not read its input may exit first: the write may then fail.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn ok_with_input(args: &[&str], input: &str) -> String {
    let (success, text) = run_with_input(env!("CARGO_BIN_EXE_dauys"), args, input);
    assert!(success, "dauys {args:?} failed:\n{text}");
    text
}

fn dauys(args: &[&str]) -> (bool, String) {
    run(env!("CARGO_BIN_EXE_dauys"), args)
}

fn ok(args: &[&str]) -> String {
    let (success, text) = dauys(args);
    assert!(success, "dauys {args:?} failed:\n{text}");
    text
}

fn refused(args: &[&str], expected: &str) {
    let (success, text) = dauys(args);
    assert!(!success && text.contains(expected), "dauys {args:?} should fail with {expected:?}:\n{text}");
}

/// A child process, killed when dropped (a failing test leaves no server behind).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `dauys board serve` as a child process, and its URL from its first line.
fn serve(dir: &Path, extra: &[&str]) -> (Killed, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dauys"))
        .args(["board", "serve", "--dir", s(dir), "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let child = Killed(child);
    assert!(url.contains("://127.0.0.1:"), "{line}");
    (child, url)
}

#[test]
fn the_readme_role_sequence_with_one_server_throughout() {
    let root = temp_dir();
    let (e, m, roll, op) = (root.join("E"), root.join("m.json"), root.join("roll.csv"), root.join("op.key"));
    std::fs::write(&m, NATIONAL_MANIFEST).unwrap();
    let mut rng = rand::rng();
    let iins: Vec<String> = (0..3).map(|_| dauys::election::registrar::random_iin(&mut rng)).collect();
    std::fs::write(&roll, format!("iin,precinct\n{},P1\n{},P2\n{},P2\n", iins[0], iins[1], iins[2])).unwrap();

    // Each trustee makes its key file; the operator puts their identity keys in the manifest.
    let keys: Vec<PathBuf> = (1..=5).map(|i| root.join(format!("t{i}.key"))).collect();
    let mut identities = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let out = ok(&["trustee", "keygen", "--index", &(i + 1).to_string(), "--key", s(key)]);
        identities.push(out.lines().find_map(|l| l.strip_prefix("identity key ")).unwrap().trim().to_string());
    }
    // The (synthetic) national CA's public key: the manifest names it, so the setup binds it.
    let ca = root.join("ca.json");
    let ca_out = ok(&["ca", "init", "--out", s(&ca)]);
    let ca_public = ca_out.lines().find_map(|l| l.strip_prefix("CA public key ")).unwrap().trim().to_string();
    let mut manifest: serde_json::Value = serde_json::from_str(NATIONAL_MANIFEST).unwrap();
    manifest["trustees"]["identities"] = identities.iter().map(|id| serde_json::Value::from(id.as_str())).collect();
    manifest["citizen_ca"] = serde_json::Value::from(ca_public.as_str());
    std::fs::write(&m, manifest.to_string()).unwrap();
    let init = ok(&["board", "init", "--dir", s(&e), "--manifest", s(&m), "--operator-key", s(&op)]);
    let codes: Vec<String> = init
        .lines()
        .filter_map(|l| l.strip_prefix("trustee ").and_then(|l| l.split_once(" enrollment code ")))
        .map(|(_, code)| code.trim().to_string())
        .collect();
    assert_eq!(codes.len(), 5, "{init}");
    let reg_key = root.join("registrar.key");
    let (server, b) = serve(&e, &["--registrar-key", s(&reg_key)]);
    // The board's signing key is the server's alone: no command below may need it.
    std::fs::rename(e.join("board.key"), root.join("board.key.away")).unwrap();

    refused(&["board", "open", "--board", &b, "--operator-key", s(&op)], "no roll and no credential list");
    for (i, key) in keys.iter().enumerate() {
        let index = (i + 1).to_string();
        ok(&["trustee", "init", "--board", &b, "--index", &index, "--code", &codes[i], "--key", s(key)]);
    }
    // Another run of init with the same key file is a no-op, not a second trustee.
    assert!(
        ok(&["trustee", "init", "--board", &b, "--index", "1", "--key", s(&keys[0])]).contains("already on the board")
    );
    let status = ok(&["board", "status", "--board", &b]);
    assert!(status.contains("trustees 1, 2, 3, 4, 5 run `dauys trustee deal`"), "{status}");
    for key in &keys {
        ok(&["trustee", "deal", "--board", &b, "--key", s(key)]);
    }
    for key in &keys {
        assert!(ok(&["trustee", "receive", "--board", &b, "--key", s(key)]).contains("0 complaint(s)"));
    }
    let status = ok(&["board", "status", "--board", &b]);
    assert!(
        status.contains("trustees 1, 2, 3, 4, 5 run `dauys trustee receive`, then `dauys trustee ready`"),
        "{status}"
    );

    // Registration: the synthetic CA certifies each citizen; each voter makes its credential;
    // the registrar posts the roll; each citizen registers through the board's desk.
    let citizens: Vec<PathBuf> = (0..3).map(|i| root.join(format!("citizen{i}.json"))).collect();
    let creds: Vec<PathBuf> = (0..3).map(|i| root.join(format!("cred{i}.json"))).collect();
    let election_id = manifest["election_id"].as_str().unwrap().to_string();
    for i in 0..3 {
        ok(&["ca", "issue", "--ca", s(&ca), "--iin", &iins[i], "--out", s(&citizens[i])]);
        ok(&["voter", "keygen", "--election-id", &election_id, "--out", s(&creds[i])]);
    }
    let register = |i: usize, cred: &Path| {
        let iin = &iins[i];
        dauys(&["register", "--board", &b, "--citizen", s(&citizens[i]), "--credential", s(cred), "--iin", iin])
    };
    let (early, text) = register(0, &creds[0]);
    assert!(!early && text.contains("the roll comes first"), "{text}");
    refused(
        &["registrar", "roll", "--board", &b, "--roll", s(&roll), "--ca-public", &ca_public, "--key", s(&reg_key)],
        "--operator-key",
    );
    assert!(!reg_key.exists());
    let roll_args = [
        "registrar",
        "roll",
        "--board",
        &b,
        "--operator-key",
        s(&op),
        "--roll",
        s(&roll),
        "--ca-public",
        &ca_public,
        "--key",
        s(&reg_key),
    ];
    assert!(ok(&roll_args).contains("roll posted: 3 pseudonyms"));
    for (i, cred) in creds.iter().enumerate() {
        let (done, text) = register(i, cred);
        assert!(done && text.contains("your registration (P and X) is there"), "{text}");
    }
    let (again, text) = register(1, &creds[1]);
    assert!(!again && text.contains("has registered already"), "{text}");
    refused(&["board", "open", "--board", &b, "--operator-key", s(&op)], "registration is still open (3 registered)");
    refused(&["trustee", "shuffle", "--board", &b, "--key", s(&keys[0])], "registration has not closed");
    assert!(ok(&["registrar", "close", "--board", &b, "--operator-key", s(&op)]).contains("after 3 registrations"));
    let (late, text) = register(2, &creds[2]);
    assert!(!late && text.contains("registration closed"), "{text}");
    for key in &keys[..2] {
        assert!(ok(&["trustee", "shuffle", "--board", &b, "--key", s(key)]).contains("3 credentials shuffled"));
    }
    refused(&["trustee", "shuffle", "--board", &b, "--key", s(&keys[1])], "trustee 2 has shuffled already");
    refused(&["board", "open", "--board", &b, "--operator-key", s(&op)], "1 more shuffle(s) needed: 2 of the 3");
    ok(&["trustee", "shuffle", "--board", &b, "--key", s(&keys[2])]);
    assert!(ok(&["board", "status", "--board", &b]).contains("the credentials are shuffled"));

    refused(&["board", "open", "--board", &b], "--operator-key");
    let open = ["board", "open", "--board", &b, "--operator-key", s(&op)];
    refused(&open, "trustee(s) [1, 2, 3, 4, 5] are not ready");
    for key in &keys[..4] {
        assert!(ok(&["trustee", "ready", "--board", &b, "--key", s(key)]).contains("ready"));
    }
    refused(&open, "trustee(s) [5] are not ready");
    assert!(ok(&[&open[..], &["--quorum"]].concat()).contains("warning: opening with a quorum: trustee(s) [5]"));
    let ballot = ok(&["ballot", "--board", &b]);
    assert!(ballot.contains("--choice president=candidate-a"), "{ballot}");

    let creds: Vec<String> = creds.iter().map(|c| s(c).to_string()).collect();
    let receipt = root.join("r.json");
    let choices = ["--choice", "referendum=yes", "--choice", "president=candidate-a", "--choice", "mazhilis=party-b"];
    let vote = |cred: &str, extra: &[&str], input: &str| {
        let mut args = vec!["vote", "--board", &b, "--credential", cred];
        args.extend(choices);
        args.extend(extra);
        ok_with_input(&args, input)
    };
    vote(&creds[0], &["--receipt", s(&receipt)], "challenge\ncast\n");
    vote(&creds[1], &[], "cast\n");
    vote(&creds[2], &[], "cast\n");
    assert!(ok(&["receipt", "check", "--board", &b, s(&receipt)]).contains("receipt OK"));
    refused(&["tally", "--board", &b, "--operator-key", s(&op)], "close it first");
    ok(&["board", "close", "--board", &b, "--operator-key", s(&op)]);
    assert!(ok(&["board", "close", "--board", &b, "--operator-key", s(&op)]).contains("already closed"));
    refused(&["trustee", "decrypt", "--board", &b, "--key", s(&keys[2])], "no tally");
    ok(&["tally", "--board", &b, "--operator-key", s(&op)]);
    for key in [&keys[2], &keys[0], &keys[4]] {
        assert!(ok(&["trustee", "decrypt", "--board", &b, "--key", s(key)]).contains("checks out"));
    }
    // Trustee 5 was not ready: 2 of the 3 decryptions reveal a lot seed, 3 are needed.
    refused(&["result", "--board", &b, "--operator-key", s(&op)], "reveal a lot seed, the result needs 3");
    ok(&["trustee", "decrypt", "--board", &b, "--key", s(&keys[1])]);
    let table = ok(&["result", "--board", &b, "--operator-key", s(&op), "--lang", "kk"]);
    assert!(table.contains('3'), "{table}");
    let record = root.join("record");
    ok(&["export", "--board", &b, "--out", s(&record)]);
    assert!(ok(&["board", "status", "--board", &b]).contains("the election is over"));
    drop(server);
    let (valid, report) = run(env!("CARGO_BIN_EXE_dauys-verify"), &[s(&record)]);
    assert!(valid, "{report}");
    audit_no_iin_beside_a_credential(&root, &e, &record, &iins);
    std::fs::remove_dir_all(&root).unwrap();
}

/// Every file of the election (the board's directory, its SQLite database table by table,
/// the exported record) and every file the roles wrote: none holds an IIN next to a
/// registered or a final credential; the board's files and the record hold no IIN at all.
/// What the roles' files hold: `roll.csv` IINs (no credential); `registrar.key` the election
/// id and k_P (no IIN, no credential); `ca.json` the CA's key; `citizenN.json` a citizen's
/// key, certificate and salt (no IIN, no credential); `credN.json` a voter's credential
/// secret and X (no IIN); trustees' and operator's keys.
fn audit_no_iin_beside_a_credential(root: &Path, election: &Path, record: &Path, iins: &[String]) {
    // The credentials, registered (x·g) and final (x·h_final), from the record.
    let mut credentials: Vec<[u8; 32]> = Vec::new();
    for item in dauys::log::record::events(record).unwrap() {
        let (_, line) = item.unwrap();
        match serde_json::from_str::<Event>(&line).unwrap() {
            Event::Registration(r) => credentials.push(r.credential.to_bytes()),
            Event::Shuffle(sh) => credentials.extend(sh.output.iter().copied()),
            _ => {}
        }
    }
    assert_eq!(credentials.len(), 3 + 3 * 3, "3 registered, 3 shuffles of 3");
    let holds = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let iin_in = |bytes: &[u8]| iins.iter().any(|iin| holds(bytes, iin.as_bytes()));
    let credential_in = |bytes: &[u8]| {
        credentials.iter().any(|c| holds(bytes, c) || holds(bytes, dauys::crypto::group::to_hex(c).as_bytes()))
    };
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    assert!(files.iter().any(|f| f.starts_with(election)) && files.iter().any(|f| f.starts_with(record)));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert!(!(iin_in(&bytes) && credential_in(&bytes)), "{} links an IIN to a credential", file.display());
        if file.starts_with(election) || file.starts_with(record) {
            assert!(!iin_in(&bytes), "{} holds an IIN", file.display());
        }
    }
    // The database, table by table, every cell (text as is, blobs raw and in hex).
    let db = rusqlite::Connection::open(election.join("election.db")).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tables.len() > 3, "{tables:?}");
    for table in &tables {
        let mut stmt = db.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut cells: Vec<u8> = Vec::new();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => cells.extend_from_slice(t),
                    rusqlite::types::ValueRef::Blob(b) => {
                        cells.extend_from_slice(b);
                        cells.extend_from_slice(dauys::crypto::group::to_hex(b).as_bytes());
                    }
                    other => cells.extend_from_slice(format!("{other:?}").as_bytes()),
                }
                cells.push(0);
            }
        }
        assert!(!iin_in(&cells), "table {table} holds an IIN");
    }
    // The check can fail: the roll holds the IINs, a credential file its credential.
    assert!(iin_in(&std::fs::read(root.join("roll.csv")).unwrap()));
    assert!(credential_in(&std::fs::read(root.join("cred0.json")).unwrap()));
}

const SMALL: &str = r#"{"version":1,"election_id":"roles","title":{"en":"R","kk":"R","ru":"R"},
  "trustees":{"count":3,"threshold":2},"revote":"last_counts",
  "contests":[{"id":"q","kind":"referendum","title":{"en":"Q","kk":"Q","ru":"Q"},
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#;

/// The board in a thread of this process.

#[test]
fn only_a_role_can_take_its_steps() {
    let dir = temp_dir().join("board");
    let mut rng = rand::rng();
    let mut trustees: Vec<TrusteeSecrets> = (1..=3).map(|i| TrusteeSecrets::new(i, &mut rng)).collect();
    let mut manifest = Manifest::from_json(SMALL).unwrap();
    manifest.trustees.identities = trustees.iter().map(TrusteeSecrets::identity_key).collect();
    let board = Board::create(&dir, manifest, &mut rng).unwrap();
    let (setup, board_key) = (board.setup_fingerprint(), board.board_key());
    drop(board);
    let (access, staff) = Access::generate(&setup, 3, &mut rng);
    access.write(&dir).unwrap();
    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    let events = || client.get("/health").unwrap()["events"].as_u64().unwrap();
    let signer = |role, key| Signer { role, key, setup, board_key };
    let code = |i: u32| enrollment_key(&setup, i, &staff.codes[i as usize - 1]);
    let transport =
        |t: &TrusteeSecrets, rng: &mut rand::rngs::ThreadRng| Event::TransportKey(t.transport_key(&setup, rng));
    let post =
        |s: &Signer, path: &str, events: &[Event]| client.post_signed(s, path, &events.to_vec(), &mut rand::rng());
    let status =
        |r: Result<serde_json::Value, dauys::board::client::Refusal>| r.map(|_| 200).unwrap_or_else(|e| e.status);
    let before = events();

    // Unsigned; an outsider's key; another trustee's code; a code for another role.
    let body = serde_json::to_vec(&vec![transport(&trustees[0], &mut rng)]).unwrap();
    assert_eq!(client.request("POST", "/trustee/events", Some(("application/json", body))).unwrap().0, 401);
    let outsider = dauys::crypto::group::SecretScalar::random(&mut rng);
    assert_eq!(
        status(post(
            &signer(Role::Trustee(1), outsider.clone()),
            "/trustee/events",
            &[transport(&trustees[0], &mut rng)]
        )),
        401
    );
    assert_eq!(
        status(post(&signer(Role::Trustee(2), code(2)), "/trustee/events", &[transport(&trustees[0], &mut rng)])),
        403
    );
    assert_eq!(
        status(post(&signer(Role::Trustee(2), code(1)), "/trustee/events", &[transport(&trustees[1], &mut rng)])),
        401
    );
    assert_eq!(status(post(&signer(Role::Operator, outsider), "/operator/close", &[])), 401);
    assert_eq!(status(post(&signer(Role::Trustee(4), code(1)), "/trustee/events", &[])), 403, "no trustee 4");
    assert_eq!(events(), before, "nothing was posted");

    // Each trustee enrolls with its code; afterwards its code no longer signs anything.
    for t in &trustees {
        post(&signer(Role::Trustee(t.index), code(t.index)), "/trustee/events", &[transport(t, &mut rng)]).unwrap();
    }
    let before = events();
    assert_eq!(
        status(post(&signer(Role::Trustee(1), code(1)), "/trustee/events", &[transport(&trustees[0], &mut rng)])),
        401
    );
    let as_trustee = |t: &TrusteeSecrets| signer(Role::Trustee(t.index), t.signing_key().clone());

    // Trustee 2 cannot post trustee 1's dealing; trustee 1 can, once.
    let keys: Vec<_> = {
        let b = BoardClient::new(&server.url);
        let entries = b.get(&format!("/entries?start=0&end={}", before)).unwrap();
        serde_json::from_value::<Vec<Event>>(entries)
            .unwrap()
            .into_iter()
            .filter_map(|e| match e {
                Event::TransportKey(k) => Some(k),
                _ => None,
            })
            .collect()
    };
    let params = Manifest::from_json(SMALL).unwrap().threshold_params().unwrap();
    let dealing = Event::Dealing(trustees[0].deal(&setup, &params, &keys, &mut rng).unwrap());
    assert_eq!(status(post(&as_trustee(&trustees[1]), "/trustee/events", std::slice::from_ref(&dealing))), 403);
    assert_eq!(
        status(post(
            &signer(Role::Operator, staff.operator.clone()),
            "/trustee/events",
            std::slice::from_ref(&dealing)
        )),
        403
    );
    assert_eq!(status(post(&as_trustee(&trustees[0]), "/operator/close", &[])), 403, "a trustee is not the operator");
    assert_eq!(events(), before);

    // A signed request is good once, for its path and its body.
    let body = serde_json::to_vec(&vec![dealing.clone()]).unwrap();
    let nonce = from_hex("n", client.get("/staff/nonce").unwrap()["nonce"].as_str().unwrap()).unwrap();
    let line = RequestLine { method: "POST", path: "/trustee/events", body: &body };
    let t1 = &trustees[0];
    let header = authorize(&setup, &board_key, Role::Trustee(1), t1.signing_key(), &nonce, &line, &mut rng);
    let send = |path: &str, body: &[u8]| {
        client.request_with("POST", path, Some(("application/json", body.to_vec())), Some(&header)).unwrap().0
    };
    assert_eq!(send("/trustee/events?x=1", &body), 401, "another path");
    assert_eq!(send("/trustee/events", b"[]"), 401, "another body");
    assert_eq!(send("/trustee/events", &body), 200);
    assert_eq!(send("/trustee/events", &body), 401, "a replay");
    assert_eq!(events(), before + 1);

    // The operator's steps out of order are refused with what to do; "already closed" is not
    // an error.
    let operator = signer(Role::Operator, staff.operator.clone());
    let refusal = client.post_signed(&operator, "/operator/close", &serde_json::json!({}), &mut rng).unwrap_err();
    assert_eq!((refusal.status, refusal.code.as_str()), (409, "order"), "{refusal}");
    let refusal = client.post_signed(&operator, "/operator/tally", &serde_json::json!({}), &mut rng).unwrap_err();
    assert_eq!(refusal.status, 409, "{refusal}");

    // A restart voids every nonce issued before; a board without staff keys refuses staff.
    let stale = client.get("/staff/nonce").unwrap()["nonce"].as_str().unwrap().to_string();
    server.stop();
    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    let body = b"{}".to_vec();
    let line = RequestLine { method: "POST", path: "/operator/close", body: &body };
    let header = authorize(
        &setup,
        &board_key,
        Role::Operator,
        &staff.operator,
        &from_hex("n", &stale).unwrap(),
        &line,
        &mut rng,
    );
    let (code_, answer) =
        client.request_with("POST", "/operator/close", Some(("application/json", body)), Some(&header)).unwrap();
    assert_eq!(code_, 401, "{}", String::from_utf8_lossy(&answer));
    assert!(String::from_utf8_lossy(&answer).contains("nonce"));
    server.stop();
    std::fs::remove_file(dir.join(dauys::board::auth::ACCESS_FILE)).unwrap();
    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    assert_eq!(
        client.post_signed(&operator, "/operator/close", &serde_json::json!({}), &mut rng).unwrap_err().status,
        403
    );
    server.stop();
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// A CA and a certificate it issued for 127.0.0.1, as PEM files in `dir`: (ca, cert, key).
fn private_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "dauys test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.subject_alt_names.push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    let paths = (dir.join("ca.pem"), dir.join("board.pem"), dir.join("board-key.pem"));
    std::fs::write(&paths.0, ca.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    paths
}

#[test]
fn tls_with_a_private_ca() {
    let root = temp_dir();
    let dir = root.join("board");
    let mut rng = rand::rng();
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let creds: Vec<Credential> = (0..2).map(|_| Credential::generate(&mut rng)).collect();
    let list = CredentialList::new(creds.iter().map(|c| c.public(&manifest.election_id)).collect()).unwrap();
    election.open(list, &mut rng).unwrap();
    drop(election);
    let (ca, cert, key) = private_ca(&root);
    let (server, url) = serve(&dir, &["--tls-cert", s(&cert), "--tls-key", s(&key)]);
    assert!(url.starts_with("https://"), "{url}");

    // Without the CA, the certificate is not trusted: refused, saying what to do.
    refused(&["board", "status", "--board", &url], "--ca");
    refused(&["ballot", "--board", &url], "not trusted");
    assert!(ok(&["board", "status", "--board", &url, "--ca", s(&ca)]).contains("voting is open"));
    // A voter, a receipt check and a witness over TLS.
    let receipt = root.join("r.json");
    ok_with_input(
        &[
            "vote",
            "--board",
            &url,
            "--ca",
            s(&ca),
            "--credential",
            creds[0].as_str(),
            "--receipt",
            s(&receipt),
            "--choice",
            "referendum=no",
            "--choice",
            "president=candidate-b",
            "--choice",
            "mazhilis=party-a",
        ],
        "cast\n",
    );
    refused(&["receipt", "check", "--board", &url, s(&receipt)], "--ca");
    assert!(ok(&["receipt", "check", "--board", &url, "--ca", s(&ca), s(&receipt)]).contains("receipt OK"));
    let (watched, text) = run(
        env!("CARGO_BIN_EXE_dauys-verify"),
        &["watch", "--board", &url, "--ca", s(&ca), "--polls", "1", "--interval", "0"],
    );
    assert!(watched, "{text}");
    let (watched, text) =
        run(env!("CARGO_BIN_EXE_dauys-verify"), &["watch", "--board", &url, "--polls", "1", "--interval", "0"]);
    assert!(!watched && text.contains("--ca"), "{text}");
    // Plain HTTP to the TLS port is refused, not left hanging.
    let plain = url.replace("https://", "http://");
    refused(&["board", "status", "--board", &plain], "");
    drop(server);
    let b = Board::open(&dir).unwrap();
    let key: Element = b.board_key();
    let r: dauys::log::checkpoint::Receipt = serde_json::from_str(&std::fs::read_to_string(&receipt).unwrap()).unwrap();
    r.verify(&b.setup_fingerprint(), &key).unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_operators_credential_list_may_be_larger_than_a_ballot() {
    let dir = temp_dir().join("board");
    let mut rng = rand::rng();
    let election = LocalElection::setup(&dir, Manifest::from_json(SMALL).unwrap(), &mut rng).unwrap();
    // The manifest as set up: with the identity keys of the trustees the election made.
    let manifest = election.board.state().setup.as_ref().unwrap().manifest.clone();
    let (setup, board_key) = (election.board.setup_fingerprint(), election.board.board_key());
    drop(election);
    let (access, staff) = Access::generate(&setup, 3, &mut rng);
    access.write(&dir).unwrap();
    let server = Server::start(&dir);
    let client = BoardClient::new(&server.url);
    let creds: Vec<Element> = (0..3).map(|_| Credential::generate(&mut rng).public("roles")).collect();
    let list = dauys::election::registrar::IssuedList::new(&manifest, CredentialList::new(creds).unwrap());
    // Over the 4 MiB of any other body (as a list of some 70,000 credentials would be).
    let mut body = serde_json::to_vec(&list).unwrap();
    body.extend(std::iter::repeat_n(b' ', dauys::board::server::MAX_BODY + 1));
    let send = |path: &str, authorization: Option<&str>| {
        client.request_with("POST", path, Some(("application/json", body.clone())), authorization).unwrap().0
    };
    // Declared only: refused before the body is sent.
    let declared = |path: &str| {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    };
    assert!(declared("/operator/open").starts_with("HTTP/1.1 413"), "unsigned: the ordinary limit");
    assert!(declared("/ballots").starts_with("HTTP/1.1 413"));
    let nonce = from_hex("n", client.get("/staff/nonce").unwrap()["nonce"].as_str().unwrap()).unwrap();
    let line = RequestLine { method: "POST", path: "/operator/open", body: &body };
    let header = authorize(&setup, &board_key, Role::Operator, &staff.operator, &nonce, &line, &mut rng);
    assert_eq!(send("/operator/open", Some(&header)), 200);
    assert_eq!(client.get("/election").unwrap()["phase"], "voting");
    server.stop();
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}
