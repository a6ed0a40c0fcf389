//! Adversarial review of the registrar's desk (`specs/protocol.md` §14.7): the two-request
//! round trip of `POST /register/pseudonym` and `POST /register` (`src/board/desk.rs`), played
//! against a board served in this process with the desk, by a malicious citizen or voter
//! device, a network attacker, a malicious desk or board, and an observer running the
//! verifier on a record the board forged and re-signed. Each test names the defence it relies
//! on and how it was checked to fail without it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dauys::board::client::{BoardClient, Refusal};
use dauys::board::desk::{Desk, DeskFile, PseudonymRequest, RegisterRequest};
use dauys::board::store::Board;
use dauys::crypto::group::{Element, Fingerprint, SecretScalar, hex32, scalar_from_bytes, to_hex};
use dauys::election::citizen_ca::{CitizenKeys, SyntheticCaIssuer};
use dauys::election::manifest::Manifest;
use dauys::election::pseudonym::PseudonymKey;
use dauys::election::registrar::random_iin;
use dauys::election::registration::{Authenticator, Pseudonym, Registration, Roll};
use dauys::log::checkpoint::{Checkpoint, Receipt};
use dauys::log::event::Event;
use dauys::log::merkle::{Tree, leaf_hash};
use dauys::log::record;
use dauys::log::state::{LogState, Verification};
use dauys::runner::LocalElection;
use dauys::verify::{Check, Options, verify};
use rand::RngExt;
use serde_json::{Value, json};

mod serving;
use serving::Server;

/// Three trustees (t = 2): the ceremony is quick, and nothing here depends on its size.
const SMALL: &str = r#"{"version":1,"election_id":"desk","title":{"en":"D","kk":"D","ru":"D"},
  "trustees":{"count":3,"threshold":2},"revote":"last_counts",
  "contests":[{"id":"q","kind":"referendum","title":{"en":"Q","kk":"Q","ru":"Q"},
    "options":[{"id":"yes","label":{"en":"Yes","kk":"Иә","ru":"Да"}},{"id":"no","label":{"en":"No","kk":"Жоқ","ru":"Нет"}}]}]}"#;

/// Another election's setup fingerprint, for requests and registrations made for it.
const ELSEWHERE: Fingerprint = Fingerprint([9; 32]);

fn temp() -> PathBuf {
    std::env::temp_dir().join(format!("dauys-desk-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

/// The board in a thread of this process, serving the registrar's desk.
fn serve_desk(dir: &Path) -> Server {
    let desk = Arc::new(DeskFile::open(dir.join("registrar.key")).unwrap());
    Server::start_with(dir, dauys::board::server::Options { desk: Some(desk), ..Default::default() })
}

fn desk_client(server: &Server) -> BoardClient {
    BoardClient::new(&server.url)
}

/// An election after its key ceremony with a roll posted, the registrar's key file beside
/// the board, and its citizens: the first `on_roll` are on the roll, the others certified by
/// the same CA but not on it.
struct World {
    dir: PathBuf,
    ca: SyntheticCaIssuer,
    desk: Desk,
    setup: Fingerprint,
    /// (IIN, the citizen's keys from the CA).
    citizens: Vec<(String, CitizenKeys)>,
}

fn world(on_roll: usize, off_roll: usize) -> World {
    let dir = temp();
    let mut rng = rand::rng();
    let ca = SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(SMALL).unwrap();
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let setup = election.board.setup_fingerprint();
    let desk = Desk::new(&manifest.election_id, PseudonymKey::generate(&mut rng));
    let mut iins: Vec<String> = Vec::new();
    while iins.len() < on_roll + off_roll {
        let iin = random_iin(&mut rng);
        if !iins.contains(&iin) {
            iins.push(iin);
        }
    }
    let mut pseudonyms: Vec<Pseudonym> = iins[..on_roll].iter().map(|i| desk.pseudonym(i)).collect();
    pseudonyms.sort();
    let roll = Roll { styles: Vec::new(), ca_key: ca.public().key, count: on_roll as u64, pseudonyms };
    dauys::runner::post_all(&mut election.board, vec![Event::Roll(Box::new(roll))], &mut rng).unwrap();
    drop(election);
    dauys::keyfile::write_private(&dir.join("registrar.key"), desk.to_file().as_bytes()).unwrap();
    let citizens = iins.into_iter().map(|iin| (iin.clone(), ca.issue(&iin, &mut rand::rng()))).collect();
    World { dir, ca, desk, setup, citizens }
}

fn secret() -> SecretScalar {
    SecretScalar::random(&mut rand::rng())
}

impl World {
    fn iin(&self, i: usize) -> &str {
        &self.citizens[i].0
    }

    fn keys(&self, i: usize) -> &CitizenKeys {
        &self.citizens[i].1
    }

    fn p(&self, i: usize) -> Pseudonym {
        self.desk.pseudonym(self.iin(i))
    }

    /// Citizen i's step 1, as `dauys register` sends it.
    fn ask(&self, i: usize) -> PseudonymRequest {
        PseudonymRequest::new(self.keys(i), &self.setup, self.iin(i))
    }

    /// Citizen i's step 2 with a fresh credential under pseudonym `p`.
    fn register(&self, i: usize, p: Pseudonym) -> RegisterRequest {
        self.register_as(self.keys(i), i, p)
    }

    /// Step 2 for citizen i's IIN and opening, signed with `keys` (its own, or a renewed card).
    fn register_as(&self, keys: &CitizenKeys, i: usize, p: Pseudonym) -> RegisterRequest {
        RegisterRequest {
            iin: self.iin(i).to_string(),
            opening: *keys.opening.0,
            registration: keys.register(&self.setup, p, &secret(), &mut rand::rng()),
        }
    }

    fn board(&self) -> Board {
        Board::open(&self.dir).unwrap()
    }

    /// The board's events, from its exported record.
    fn events(&self) -> Vec<Event> {
        let out = temp();
        self.board().export(&out).unwrap();
        let events =
            record::events(&out).unwrap().map(|l| serde_json::from_str(&l.unwrap().1).unwrap()).collect::<Vec<_>>();
        std::fs::remove_dir_all(&out).unwrap();
        events
    }

    fn registrations(&self) -> Vec<Registration> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Registration(r) => Some(*r),
                _ => None,
            })
            .collect()
    }

    /// The record of `events` as a board that forges would publish it: its checkpoint
    /// recomputed and signed with the board's own key, so that only the check under attack
    /// can catch the forgery.
    fn forge(&self, events: &[Event]) -> PathBuf {
        let key = std::fs::read_to_string(self.dir.join("board.key")).unwrap();
        let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap());
        let dir = temp();
        std::fs::create_dir_all(&dir).unwrap();
        let lines: Vec<String> = events.iter().map(Event::to_leaf).collect();
        std::fs::write(dir.join(record::EVENTS_FILE), lines.iter().map(|l| format!("{l}\n")).collect::<String>())
            .unwrap();
        let mut tree = Tree::new();
        for l in &lines {
            tree.push(leaf_hash(l.as_bytes()));
        }
        let last = Checkpoint::sign(&self.setup, &board, tree.len(), tree.root(tree.len()).unwrap(), &mut rand::rng());
        std::fs::write(dir.join(record::CHECKPOINTS_FILE), serde_json::to_string(&last).unwrap() + "\n").unwrap();
        let header = record::RecordHeader {
            checkpoint: last,
            format: record::FORMAT.into(),
            size: tree.len(),
            version: record::VERSION,
        };
        std::fs::write(dir.join(record::HEADER_FILE), serde_json::to_string(&header).unwrap() + "\n").unwrap();
        dir
    }

    fn remove(self) {
        std::fs::remove_dir_all(&self.dir).unwrap();
    }
}

/// 1.8's outcome on a record: `None` if it passes, else its detail.
fn check_1_8(record: &Path) -> Option<String> {
    let report = verify(record, &Options::default()).unwrap();
    let failed = report.failed().contains(&Check::Registrations);
    let detail = report.outcome(Check::Registrations).unwrap().detail();
    std::fs::remove_dir_all(record).unwrap();
    failed.then_some(detail)
}

/// The refusal's (status, code, detail), with a panic naming what was accepted.
fn refused(r: Result<Value, Refusal>) -> (u16, String, String) {
    match r {
        Ok(v) => panic!("accepted: {v}"),
        Err(e) => (e.status, e.code, e.detail),
    }
}

fn events_on(client: &BoardClient) -> u64 {
    client.get("/health").unwrap()["events"].as_u64().unwrap()
}

fn pseudonym_of(answer: &Value) -> Pseudonym {
    serde_json::from_value(answer["pseudonym"].clone()).unwrap()
}

// ---------------------------------------------------------------------------------------
// Control.
// ---------------------------------------------------------------------------------------

/// The honest round trip: the pseudonym is the IIN's, the receipt is the board's for this
/// very event, and the record passes 1.8. The forgeries below are measured against it.
#[test]
fn control_the_round_trip_posts_the_citizens_registration_and_passes_1_8() {
    let w = world(2, 0);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let p = pseudonym_of(&client.post_json("/register/pseudonym", &w.ask(0)).unwrap());
    assert_eq!(p, w.p(0));
    let request = w.register(0, p);
    let receipt: Receipt =
        serde_json::from_value(client.post_json("/register", &request).unwrap()["receipt"].clone()).unwrap();
    let board_key: Element = serde_json::from_value(client.get("/election").unwrap()["board_key"].clone()).unwrap();
    receipt.verify(&w.setup, &board_key).unwrap();
    assert_eq!(receipt.leaf_hash, Event::Registration(Box::new(request.registration.clone())).leaf_hash());
    server.stop();
    assert_eq!(w.registrations(), vec![request.registration]);
    assert_eq!(check_1_8(&w.forge(&w.events())), None);
    w.remove();
}

// ---------------------------------------------------------------------------------------
// The finding: a certificate is public, so it authenticates nobody.
// ---------------------------------------------------------------------------------------

/// The attacker holds Alice's certificate (public: it is in her registration on any board she
/// registered on), her IIN and her opening — the salt that the CA made, that every earlier
/// registrar saw, and that anyone who read one of her requests in transit saw — but not her
/// key. Before the fix the desk answered such a request with Alice's P, or with "has
/// registered already", or "not on the roll": who registered, which the threat model gives
/// the registrar (and observers with k_P) only. Now step 1 must be signed by the certified
/// key for this election, and step 2's registration signature is checked before the roll:
/// whoever lacks the key gets one answer, whatever the entry's state.
///
/// Checked: with the signature checks removed from `Desk::admit` and `Desk::check`, step 1
/// answers with P and the answers differ by entry (as on main before the fix).
#[test]
fn the_desk_tells_nothing_about_an_entry_to_whoever_lacks_the_citizens_key() {
    let w = world(2, 1);
    // Alice (0) registered; Bob (1) on the roll, not registered; Carol (2) not on the roll.
    let mut board = w.board();
    let alice = w.register(0, w.p(0)).registration;
    dauys::runner::post_all(&mut board, vec![Event::Registration(Box::new(alice))], &mut rand::rng()).unwrap();
    drop(board);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let before = events_on(&client);
    let mallory = w.ca.issue("000000000000", &mut rand::rng());
    let (mut step1, mut step2) = (Vec::new(), Vec::new());
    for i in 0..3 {
        let (iin, keys) = (w.iin(i), w.keys(i));
        // Unsigned, as the desk took it before the fix: now incomplete.
        let unsigned = json!({"citizen": keys.citizen, "iin": iin, "opening": to_hex(keys.opening.0.as_ref())});
        let (status, code, detail) = refused(client.post_json("/register/pseudonym", &unsigned));
        assert_eq!((status, code.as_str()), (400, "malformed"), "{detail}");
        assert!(detail.contains("signature"), "{detail}");
        // Signed by the attacker's own certified key; by the citizen, for another election.
        for signature in [mallory.sign_desk_request(&w.setup), keys.sign_desk_request(&ELSEWHERE)] {
            let mut ask = w.ask(i);
            ask.signature = signature;
            step1.push(refused(client.post_json("/register/pseudonym", &ask)));
        }
        // Step 2: a registration in the citizen's name under each P of the roll and one off it,
        // signed with the attacker's key (the only one it has).
        for p in [w.p(0), w.p(1), Pseudonym([7; 32])] {
            let mut registration = mallory.register(&w.setup, p, &secret(), &mut rand::rng());
            registration.citizen = keys.citizen.clone();
            let request = RegisterRequest { iin: iin.to_string(), opening: *keys.opening.0, registration };
            step2.push(refused(client.post_json("/register", &request)));
        }
    }
    for answers in [&step1, &step2] {
        for (status, code, detail) in answers {
            assert_eq!((*status, code.as_str()), (403, "signature"), "{detail}");
            assert!(!detail.contains("roll") && !detail.contains("registered"), "{detail}");
        }
        let shapes: std::collections::BTreeSet<String> =
            answers.iter().map(|a| (0..3).fold(a.2.clone(), |d, i| d.replace(w.iin(i), "IIN"))).collect();
        assert_eq!(shapes.len(), 1, "the answers differ by entry: {shapes:?}");
    }
    assert_eq!(events_on(&client), before);
    // The citizens themselves get their answers.
    assert_eq!(pseudonym_of(&client.post_json("/register/pseudonym", &w.ask(1)).unwrap()), w.p(1));
    assert_eq!(refused(client.post_json("/register/pseudonym", &w.ask(0))).1, "already_registered");
    assert_eq!(refused(client.post_json("/register/pseudonym", &w.ask(2))).1, "not_on_roll");
    server.stop();
    w.remove();
}

// ---------------------------------------------------------------------------------------
// (a) A malicious citizen or voter device.
// ---------------------------------------------------------------------------------------

/// A certified citizen with the key of its own card tries another IIN, another citizen's
/// (public) certificate, another roll entry's pseudonym, and its own entry twice.
///
/// Checked: with `check_identity` removed from `Desk::identify`, step 1 answers Mallory's
/// certificate for Alice's IIN; with the pseudonym comparison removed from `Desk::check`,
/// Mallory's registration under Alice's P is posted (the record would then verify: only the
/// roll audit could see it).
#[test]
fn a_citizen_registers_only_its_own_entry_and_only_once() {
    let w = world(2, 0);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let before = events_on(&client);
    let (alice, mallory) = (0, 1);
    // Mallory's card for Alice's IIN (its opening does not open to it).
    let mut ask = w.ask(mallory);
    ask.iin = w.iin(alice).to_string();
    let (status, code, _) = refused(client.post_json("/register/pseudonym", &ask));
    assert_eq!((status, code.as_str()), (403, "identity"));
    // Alice's certificate, Mallory's opening and signature.
    let mut ask = w.ask(mallory);
    ask.citizen = w.keys(alice).citizen.clone();
    ask.iin = w.iin(alice).to_string();
    assert_eq!(refused(client.post_json("/register/pseudonym", &ask)).1, "identity");
    // Mallory, on the roll, signs for Alice's pseudonym (public on the roll).
    let stolen = w.register(mallory, w.p(alice));
    let (status, code, detail) = refused(client.post_json("/register", &stolen));
    assert_eq!((status, code.as_str()), (422, "rejected"), "{detail}");
    assert!(detail.contains("not the one of the IIN"), "{detail}");
    // Alice's step 2 with Mallory's certificate in the registration.
    let mut grafted = w.register(alice, w.p(alice));
    grafted.registration = w.keys(mallory).register(&w.setup, w.p(alice), &secret(), &mut rand::rng());
    assert_eq!(refused(client.post_json("/register", &grafted)).1, "identity");
    assert_eq!(events_on(&client), before, "nothing was posted");
    // Mallory's own entry, then again with a new credential: the first stands.
    client.post_json("/register", &w.register(mallory, w.p(mallory))).unwrap();
    let (status, code, _) = refused(client.post_json("/register", &w.register(mallory, w.p(mallory))));
    assert_eq!((status, code.as_str()), (409, "already_registered"));
    assert_eq!(refused(client.post_json("/register/pseudonym", &w.ask(mallory))).1, "already_registered");
    server.stop();
    assert_eq!(w.registrations().len(), 1);
    w.remove();
}

/// The desk is stateless, so the "not registered" check (under the board's lock) and the post
/// (by the writer task, later) are two steps: a citizen who sends step 2 many times at once —
/// with a renewed card as well as its old one, so that "one citizen key, one entry" does not
/// stop it — passes the desk's check in every request. What makes it atomic is the log: the
/// writer applies each event to the state in order, inside the append's transaction, and the
/// state refuses a second registration for a pseudonym.
///
/// Checked: with `self.pseudonyms.contains` removed from `RegistrationState::registration`,
/// both cards' registrations are appended for one P. The verifier applies the same rule: a
/// record with both fails 1.8 (`a_desk_cannot_post_…`).
#[test]
fn step_2_raced_for_one_iin_posts_exactly_one_registration() {
    let w = world(1, 0);
    let renewed = w.ca.issue(w.iin(0), &mut rand::rng());
    // Library level, deterministic: both pass the desk against one state; the append takes one.
    let mut board = w.board();
    let first = w.register(0, w.p(0));
    let second = w.register_as(&renewed, 0, w.p(0));
    w.desk.check(board.state(), &first).unwrap();
    w.desk.check(board.state(), &second).unwrap();
    let events = [&first, &second].map(|r| Event::Registration(Box::new(r.registration.clone())));
    let results = board.append_batch(events.to_vec(), &mut rand::rng()).unwrap();
    assert!(results[0].is_ok());
    let reason = &results[1].as_ref().unwrap_err().reason;
    assert!(reason.contains("has registered already"), "{reason}");
    drop(board);
    assert_eq!(w.registrations().len(), 1);

    // Over HTTP: eight requests at once for a second election's roll entry, four per card.
    let w = world(1, 0);
    let renewed = w.ca.issue(w.iin(0), &mut rand::rng());
    let server = serve_desk(&w.dir);
    let requests: Vec<RegisterRequest> =
        (0..8).map(|k| w.register_as(if k % 2 == 0 { w.keys(0) } else { &renewed }, 0, w.p(0))).collect();
    let gate = std::sync::Barrier::new(requests.len());
    let outcomes: Vec<Result<Value, Refusal>> = std::thread::scope(|s| {
        let handles: Vec<_> = requests
            .iter()
            .map(|r| {
                let (gate, client) = (&gate, desk_client(&server));
                s.spawn(move || {
                    gate.wait();
                    client.post_json("/register", r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
    for o in outcomes.into_iter().filter(|o| o.is_err()) {
        let (status, code, detail) = refused(o);
        // Refused by the desk (the winner was posted first) or by the log (both passed the desk).
        assert!(
            (status, code.as_str()) == (409, "already_registered")
                || (status, code.as_str()) == (422, "rejected") && detail.contains("registered already"),
            "{status} {code}: {detail}"
        );
    }
    server.stop();
    assert_eq!(w.registrations().len(), 1);
    w.remove();
}

/// The credential is the citizen's to choose until step 2 (P does not depend on it); what the
/// citizen may not choose is a credential it does not hold: another citizen's (public) X, or
/// the identity. And a registration made for another election, or after the registrar closed
/// registration, is refused (before the roll: `board::desk::tests`).
///
/// Checked: with the phase check removed from `Desk::identify`, step 1 after close answers
/// with P; with the desk's signature check removed, the request signed for another election
/// is answered too.
#[test]
fn a_registration_with_a_borrowed_credential_for_another_election_or_out_of_time_is_refused() {
    let w = world(3, 0);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let alice = w.register(0, w.p(0));
    client.post_json("/register", &alice).unwrap();
    let before = events_on(&client);
    // Bob registers Alice's credential with her proof (bound to her P), or with the identity.
    let a = &alice.registration;
    let copied = RegisterRequest {
        registration: w.keys(1).sign(&w.setup, w.p(1), a.credential, a.proof),
        ..w.register(1, w.p(1))
    };
    let (_, code, detail) = refused(client.post_json("/register", &copied));
    assert_eq!(code, "rejected", "{detail}");
    assert!(detail.contains("this credential is registered already"), "{detail}");
    let identity = RegisterRequest {
        registration: w.keys(1).sign(&w.setup, w.p(1), Element::identity(), a.proof),
        ..w.register(1, w.p(1))
    };
    assert!(refused(client.post_json("/register", &identity)).2.contains("identity element"));
    // Signed for another election (step 1 and step 2).
    let mut ask = w.ask(1);
    ask.signature = w.keys(1).sign_desk_request(&ELSEWHERE);
    assert_eq!(refused(client.post_json("/register/pseudonym", &ask)).1, "signature");
    let elsewhere = RegisterRequest {
        registration: w.keys(1).register(&ELSEWHERE, w.p(1), &secret(), &mut rand::rng()),
        ..w.register(1, w.p(1))
    };
    assert_eq!(refused(client.post_json("/register", &elsewhere)).1, "signature");
    assert_eq!(events_on(&client), before);
    server.stop();

    // After the registrar closes registration: refused by the desk and by the log.
    let mut board = w.board();
    dauys::runner::post_all(&mut board, vec![Event::RegistrationClose], &mut rand::rng()).unwrap();
    drop(board);
    let late = w.register(1, w.p(1));
    let mut state = LogState::new();
    for e in w.events() {
        state.apply(&e, Verification::Full).unwrap();
    }
    let refusal = state.apply(&Event::Registration(Box::new(late.registration.clone())), Verification::Full);
    assert!(refusal.is_err(), "the log refuses a registration after close");
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    for (path, body) in [
        ("/register/pseudonym", serde_json::to_value(w.ask(1)).unwrap()),
        ("/register", serde_json::to_value(&late).unwrap()),
    ] {
        let (status, code, detail) = refused(client.post_json(path, &body));
        assert_eq!((status, code.as_str()), (409, "order"), "{detail}");
        assert!(detail.contains("registration closed"), "{detail}");
    }
    server.stop();
    assert_eq!(w.registrations().len(), 1);
    w.remove();
}

/// Hostile bodies: each gets a 4xx with its code and a detail, none is posted, and the board
/// keeps serving. Nothing here panics or grows without bound: a body is at most 4 MiB (413
/// beyond, before it is read), JSON nesting stops at serde's depth limit, every field has a
/// fixed length or a checked form.
///
/// Checked: each case's status and code are the layer that refuses it (serde, `check_iin`,
/// the certificate, the desk's signature check); with the desk's signature check removed the
/// non-canonical S is refused by the log instead (422 `rejected`).
#[test]
fn hostile_bodies_get_a_clear_error_and_post_nothing() {
    let w = world(1, 0);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let before = events_on(&client);
    let ask = serde_json::to_value(w.ask(0)).unwrap();
    let step2 = serde_json::to_value(w.register(0, w.p(0))).unwrap();
    let with = |base: &Value, path: &[&str], v: Value| {
        let mut b = base.clone();
        let (last, parents) = path.split_last().unwrap();
        let node = parents.iter().fold(&mut b, |n, k| &mut n[*k]);
        if v.is_null() {
            node.as_object_mut().unwrap().remove(*last);
        } else {
            node[*last] = v;
        }
        serde_json::to_vec(&b).unwrap()
    };
    let upper = to_hex(w.keys(0).opening.0.as_ref()).to_uppercase();
    let mut high_s = w.register(0, w.p(0));
    // S + ℓ (little-endian, S < ℓ so it fits): the same signature with a non-canonical S.
    let l: [u8; 32] = hex32("l", "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap();
    let mut carry = 0u16;
    for (byte, l) in high_s.registration.signature[32..].iter_mut().zip(l) {
        let sum = u16::from(*byte) + u16::from(l) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    let deep = format!("{{\"iin\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("/register/pseudonym", b"{\"citizen\":".to_vec(), 400, "malformed"),
        ("/register/pseudonym", b"not json".to_vec(), 400, "malformed"),
        ("/register/pseudonym", [serde_json::to_vec(&ask).unwrap(), b"{}".to_vec()].concat(), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["name"], json!("Alice")), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["opening"], Value::Null), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["opening"], json!(upper)), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["opening"], json!("00".repeat(31))), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["signature"], json!("00".repeat(63))), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["citizen", "key"], json!("ff".repeat(32))), 403, "certificate"),
        ("/register/pseudonym", with(&ask, &["iin"], json!("٩٠٠١٠١٣٠٠٠١٧")), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["iin"], json!(format!("{}0", w.iin(0)))), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["iin"], json!(format!(" {}", &w.iin(0)[1..]))), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["iin"], json!(12)), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["iin"], json!("\"".repeat(1 << 20))), 400, "malformed"),
        ("/register/pseudonym", with(&ask, &["citizen"], json!("\"".repeat(1 << 20))), 400, "malformed"),
        ("/register/pseudonym", deep.into_bytes(), 400, "malformed"),
        ("/register", with(&step2, &["registration", "credential"], json!("ff".repeat(32))), 400, "malformed"),
        ("/register", with(&step2, &["registration", "pseudonym"], json!("00".repeat(33))), 400, "malformed"),
        ("/register", with(&step2, &["registration", "proof"], json!([])), 400, "malformed"),
        ("/register", serde_json::to_vec(&high_s).unwrap(), 403, "signature"),
    ];
    for (path, body, status, code) in cases {
        let (got, answer) = client.request("POST", path, Some(("application/json", body))).unwrap();
        let v: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!((got, v["error"].as_str().unwrap()), (status, code), "{path}: {v}");
        assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let (got, _) = client.request("POST", "/register", Some(("text/plain", b"{}".to_vec()))).unwrap();
    assert_eq!(got, 415);
    // Over 4 MiB, declared: refused before a byte of it is read.
    for path in ["/register/pseudonym", "/register"] {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(server.url.trim_start_matches("http://")).unwrap();
        let length = dauys::board::server::MAX_BODY + 1;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }
    assert_eq!(events_on(&client), before, "nothing was posted");
    client.post_json("/register", &w.register(0, w.p(0))).unwrap();
    server.stop();
    w.remove();
}

// ---------------------------------------------------------------------------------------
// (b) A network attacker who reads, replays or changes requests.
// ---------------------------------------------------------------------------------------

/// A request read in transit (plain HTTP, or a log) and replayed, held back, or changed:
/// replayed, it posts at most what its citizen signed, once; changed in any field it binds,
/// it posts nothing.
///
/// Checked: with the desk's signature check removed, the changed credential and pseudonym are
/// refused by the log's check of the same signature instead (422 `rejected`, still nothing
/// posted); with `check_identity` removed from `Desk::identify`, the changed IIN reaches the
/// pseudonym comparison (`rejected`) instead of `identity`.
#[test]
fn a_request_replayed_held_back_or_changed_posts_only_what_its_citizen_signed() {
    let w = world(3, 0);
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    let alice = w.register(0, w.p(0));
    let before = events_on(&client);
    // Alice's request, held back by the attacker, changed: the credential swapped for one the
    // attacker knows (with a proof of its own), the pseudonym moved to Bob's entry, the IIN or
    // opening changed, the citizen swapped for Carol (her certificate is public).
    let mine = w.keys(2).register(&w.setup, w.p(0), &secret(), &mut rand::rng());
    let mut changed = Vec::new();
    let mut swapped = alice.clone();
    (swapped.registration.credential, swapped.registration.proof) = (mine.credential, mine.proof);
    changed.push((swapped, "signature"));
    let mut moved = alice.clone();
    moved.registration.pseudonym = w.p(1);
    changed.push((moved, "signature"));
    let mut other_iin = alice.clone();
    other_iin.iin = w.iin(1).to_string();
    changed.push((other_iin, "identity"));
    let mut other_opening = alice.clone();
    other_opening.opening[0] ^= 1;
    changed.push((other_opening, "identity"));
    let mut other_citizen = alice.clone();
    other_citizen.registration.citizen = w.keys(2).citizen.clone();
    changed.push((other_citizen, "identity"));
    for (request, code) in &changed {
        assert_eq!(refused(client.post_json("/register", request)).1, *code);
    }
    assert_eq!(events_on(&client), before);
    // Replayed later by the attacker: the registration posted is Alice's own, to the byte.
    let receipt: Receipt =
        serde_json::from_value(client.post_json("/register", &alice).unwrap()["receipt"].clone()).unwrap();
    assert_eq!(receipt.leaf_hash, Event::Registration(Box::new(alice.registration.clone())).leaf_hash());
    // Replayed again (or Alice's own late copy): once.
    assert_eq!(refused(client.post_json("/register", &alice)).1, "already_registered");
    server.stop();
    assert_eq!(w.registrations(), vec![alice.registration]);
    w.remove();
}

// ---------------------------------------------------------------------------------------
// (c) A malicious or curious desk or board, and (d) the observer's verifier.
// ---------------------------------------------------------------------------------------

/// What the desk receives is Alice's signed registration; it cannot turn it into anything she
/// did not sign. Each forgery is refused by the board's log, and in a record the board forged
/// and re-signed, fails 1.8 naming the reason — including the two registrations for one P
/// that a non-atomic race would leave.
///
/// Checked: with the citizen-signature check removed from `RegistrationState::registration`
/// (shared by board and verifier) the swapped credential — with a valid proof the desk made
/// for Alice's P — is admitted; with the certificate check removed the grafted key is refused
/// only for its signature, not its certificate.
#[test]
fn a_desk_cannot_post_what_the_citizen_did_not_sign_and_1_8_catches_every_forgery() {
    let w = world(3, 0);
    let honest = w.events();
    let alice = w.register(0, w.p(0)).registration;
    // A credential the desk knows, with a valid proof bound to Alice's P.
    let desks = w.keys(1).register(&w.setup, w.p(0), &secret(), &mut rand::rng());
    let mut swapped = alice.clone();
    (swapped.credential, swapped.proof) = (desks.credential, desks.proof);
    let mut moved = alice.clone();
    moved.pseudonym = w.p(2);
    let elsewhere = w.keys(0).register(&ELSEWHERE, w.p(0), &secret(), &mut rand::rng());
    let rogue = SyntheticCaIssuer::generate(&mut rand::rng()).issue(w.iin(0), &mut rand::rng());
    let mut grafted = alice.clone();
    grafted.citizen.key = rogue.citizen.key;
    let other_ca = rogue.register(&w.setup, w.p(0), &secret(), &mut rand::rng());
    let renewed = w.ca.issue(w.iin(0), &mut rand::rng());
    let raced = renewed.register(&w.setup, w.p(0), &secret(), &mut rand::rng());
    let copied = w.keys(1).sign(&w.setup, w.p(1), alice.credential, alice.proof);
    let forgeries: Vec<(Vec<Registration>, &str)> = vec![
        (vec![swapped], "signature does not verify"),
        (vec![moved], "signature does not verify"),
        (vec![elsewhere], "signature does not verify"),
        (vec![grafted], "certificate"),
        (vec![other_ca], "certificate"),
        (vec![alice.clone(), raced], "registered already"),
        (vec![alice.clone(), alice.clone()], "registered already"),
        (vec![alice.clone(), copied], "registered already"),
    ];
    for (regs, why) in forgeries {
        let events: Vec<Event> = regs.into_iter().map(|r| Event::Registration(Box::new(r))).collect();
        // The board's log refuses the last (the first, where there are two, is Alice's own).
        let mut state = LogState::new();
        for e in honest.iter().chain(&events[..events.len() - 1]) {
            state.apply(e, Verification::Full).unwrap();
        }
        let refusal = state.apply(events.last().unwrap(), Verification::Full).unwrap_err().to_string();
        assert!(refusal.contains(why), "{refusal} (expected: {why})");
        let forged: Vec<Event> = honest.iter().cloned().chain(events).collect();
        let detail = check_1_8(&w.forge(&forged)).unwrap_or_else(|| panic!("1.8 passed a forgery ({why})"));
        assert!(detail.contains(why), "{detail} (expected: {why})");
    }
    // Control: Alice's own registration passes.
    let own: Vec<Event> = honest.iter().cloned().chain([Event::Registration(Box::new(alice.clone()))]).collect();
    assert_eq!(check_1_8(&w.forge(&own)), None);
    w.remove();
}

/// What the design grants the desk (§10): it holds k_P, so it alone can tell a citizen which P
/// is its own, and it may refuse. Handing Carol the pseudonym of Dave, an abstainer, posts a
/// registration that verifies (a certified key signed it for an entry of the roll, once): Carol
/// cannot tell, and her receipt checks. It gains the desk no credential (Carol's own entry
/// stays open, and without the CA nobody can fill it). It is seen by Dave, refused when he comes
/// ("registered already"), and by the accredited observer with k_P, the roll and the openings:
/// the certified identity under Dave's P opens to Carol's IIN. A refusal is seen by the refused
/// citizen, who holds a registration anyone can check is valid and absent from the board.
///
/// Checked: with the citizen-signature check removed from the log's rules, the altered copy of
/// Bob's evidence is admitted as well (so the evidence would prove nothing).
#[test]
fn a_desk_that_misdirects_or_refuses_is_seen_by_the_citizen_and_the_roll_audit() {
    let w = world(4, 0);
    let (bob, carol, dave) = (1, 2, 3);
    // The malicious desk answers Carol's step 1 with Dave's P; she signs and it posts.
    let misdirected = w.register(carol, w.p(dave)).registration;
    let mut board = w.board();
    let receipt = board.append(Event::Registration(Box::new(misdirected.clone())), &mut rand::rng()).unwrap();
    receipt.verify(&w.setup, &board.board_key()).unwrap();
    drop(board);
    assert_eq!(check_1_8(&w.forge(&w.events())), None, "the record cannot tell");
    // Dave comes to register at an honest desk: refused, and he knows why.
    let server = serve_desk(&w.dir);
    let client = desk_client(&server);
    assert_eq!(refused(client.post_json("/register/pseudonym", &w.ask(dave))).1, "already_registered");
    // The desk refuses Bob for no reason. His registration is evidence anyone can check: valid
    // for this election's roll, and not on the board.
    let withheld = w.register(bob, w.p(bob)).registration;
    server.stop();
    let mut state = LogState::new();
    for e in w.events() {
        state.apply(&e, Verification::Full).unwrap();
    }
    assert!(!state.registration.is_registered(&withheld.pseudonym));
    let mut forged = withheld.clone();
    forged.signature[0] ^= 1;
    assert!(state.apply(&Event::Registration(Box::new(forged)), Verification::Full).is_err());
    state.apply(&Event::Registration(Box::new(withheld)), Verification::Full).unwrap();
    // The accredited observer's audit: k_P gives Dave's P from his IIN; the certificate under
    // it does not open to Dave's IIN with the opening its holder gives, but to Carol's.
    let ca = w.ca.public();
    assert_eq!(w.desk.pseudonym(w.iin(dave)), misdirected.pseudonym);
    assert!(ca.check_identity(&misdirected.citizen, &w.keys(carol).opening, w.iin(dave)).is_err());
    ca.check_identity(&misdirected.citizen, &w.keys(carol).opening, w.iin(carol)).unwrap();
    w.remove();
}
