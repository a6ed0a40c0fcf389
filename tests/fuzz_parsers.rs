//! Fuzzers for the other readers of untrusted input: the manifest reader, the voter roll's
//! reader, and the board's request parser (every JSON body a client may post, both by
//! deserializing it as the handlers do and through the server's own `json_body` path over
//! loopback). Each case mutates a valid input (bytes, JSON values, lines) from a fixed seed and
//! checks: no panic; what is accepted is well formed (it round-trips, it fits every rule, its
//! line bounds stay under the bounds without a manifest); what a board accepts is only what it
//! was sent unchanged; the server answers every request with a 4xx and appends nothing.
//! `DAUYS_FUZZ_CASES` scales the number of cases (the default run is a few seconds).

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;

use dauys::board::client::BoardClient;
use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::SecretScalar;
use dauys::election::ballot::{Ballot, SpoiledBallot};
use dauys::election::counting;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::registrar::{check_iin, iin_check_digit, parse_roll};
use dauys::log::bounds::{LineBounds, max_manifest};
use dauys::log::checkpoint::{Checkpoint, Cosignature};
use dauys::log::event::Event;
use dauys::runner::{DEMO_MANIFEST, LocalElection, NATIONAL_MANIFEST};

mod common;
use common::{Rng, mutate_bytes, mutate_json};

mod serving;
use serving::Server;

fn cases(default: u64) -> u64 {
    std::env::var("DAUYS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `f` must not panic; a panic is returned as a finding.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| {
        let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("{what}: panic: {}", msg.unwrap_or_default())
    })
}

/// A random mutation of a JSON text: bytes, or a JSON value (then written compactly).
fn mutate_text(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = text.to_vec();
    for _ in 0..=rng.below(2) {
        if rng.chance(2) {
            mutate_bytes(&mut out, rng);
        } else if let Some((changed, _)) = mutate_json(&out, rng) {
            out = changed;
        }
    }
    out
}

#[test]
fn the_manifest_reader() {
    let mazhilis = include_str!("../specs/examples/mazhilis-manifest.json");
    // Districts and ballot styles: a regional list and 6 districts, one style each.
    let mixed = include_str!("../specs/examples/maslikhat-manifest.json");
    let none = LineBounds::without_manifest();
    let mut findings = Vec::new();
    let mut accepted = 0;
    let n = cases(3000);
    for case in 0..n {
        let mut rng = Rng(0x6d61_6e69 ^ case.wrapping_mul(0x9e37_79b9));
        let base = [DEMO_MANIFEST, mazhilis, mixed][rng.below(3)];
        let text = mutate_text(base.as_bytes(), &mut rng);
        let Ok(text) = String::from_utf8(text) else { continue };
        let checked = no_panic("from_json", || {
            let Ok(m) = Manifest::from_json(&text) else { return Ok(false) };
            m.validate().map_err(|e| format!("accepted, yet invalid: {e}"))?;
            let canonical = m.to_canonical_json();
            if Manifest::from_json(&canonical).as_ref() != Ok(&m) {
                return Err("its canonical form does not read back".into());
            }
            if canonical.len() as u64 >= max_manifest() {
                return Err(format!("{} bytes, over the bound of every manifest", canonical.len()));
            }
            // Every line it allows is within the bounds without a manifest (§10.2).
            let mine = LineBounds::for_manifest(&m);
            for kind in dauys::log::event::KINDS.iter().filter(|k| **k != "open") {
                if mine.of(Some(kind)) > none.of(Some(kind)) {
                    return Err(format!("its {kind} bound is over the bound without a manifest"));
                }
            }
            // Counting never panics on a valid contest, whatever the counts.
            for c in &m.contests {
                let counts: Vec<u64> = c.options.iter().map(|_| rng.next() >> rng.below(64)).collect();
                counting::outcome(c, &counts, &dauys::crypto::group::Fingerprint([7; 32]))
                    .map_err(|e| format!("a valid contest cannot be counted: {e}"))?;
            }
            Ok(true)
        });
        match checked {
            Ok(Ok(true)) => accepted += 1,
            Ok(Ok(false)) => {}
            Ok(Err(e)) | Err(e) => findings.push(format!("case {case}: {e}: {text:?}")),
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    assert!(accepted > 0 && accepted < n, "{accepted} of {n} accepted: the mutations reach both sides");
}

/// A valid IIN from a number: its first 11 digits, and the check digit (skipping the numbers
/// that have none).
fn iin(mut k: u64) -> String {
    loop {
        let digits: Vec<u8> = format!("{:011}", k % 100_000_000_000).bytes().map(|b| b - b'0').collect();
        if let Some(c) = iin_check_digit(&digits.clone().try_into().unwrap()) {
            return digits.iter().chain([&c]).map(|d| char::from(b'0' + d)).collect();
        }
        k += 1;
    }
}

#[test]
fn the_roll_reader() {
    let mut findings = Vec::new();
    let (mut accepted, n) = (0, cases(5000));
    for case in 0..n {
        let mut rng = Rng(0x726f_6c6c ^ case.wrapping_mul(0x9e37_79b9));
        let mut text = String::new();
        if rng.chance(2) {
            text += *rng.pick(&["iin,precinct\n", "IIN,Precinct\r\n", " iin , precinct\n", "\n"]);
        }
        for _ in 0..rng.below(8) {
            let line = format!("{},{}", iin(rng.next()), rng.pick(&["Almaty-114", "Astana-1", " P ", "p,q", ""]));
            text += &line;
            text += *rng.pick(&["\n", "\r\n", "\n\n", "  \n"]);
        }
        let mut bytes = text.into_bytes();
        for _ in 0..rng.below(3) {
            mutate_bytes(&mut bytes, &mut rng);
        }
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let checked = no_panic("parse_roll", || {
            let Ok(roll) = parse_roll(&text) else { return Ok(false) };
            let mut seen = BTreeMap::new();
            for e in &roll {
                check_iin(&e.iin).map_err(|r| format!("accepted a bad IIN: {r}"))?;
                if e.precinct.is_empty() || e.precinct.contains(',') || e.precinct.trim() != e.precinct {
                    return Err(format!("accepted the precinct {:?}", e.precinct));
                }
                if seen.insert(e.iin.clone(), ()).is_some() {
                    return Err(format!("accepted {} twice", e.iin));
                }
            }
            if roll.is_empty() {
                return Err("accepted a roll without voters".into());
            }
            Ok(true)
        });
        match checked {
            Ok(Ok(true)) => accepted += 1,
            Ok(Ok(false)) => {}
            Ok(Err(e)) | Err(e) => findings.push(format!("case {case}: {e}: {text:?}")),
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    assert!(accepted > 0 && accepted < n, "{accepted} of {n} accepted");
}

/// A board with voting open, over the demo manifest, and what clients post to it.
struct Bodies {
    dir: std::path::PathBuf,
    params: dauys::election::params::ElectionParams,
    ballot: Ballot,
    spoiled: SpoiledBallot,
    cosignature: Cosignature,
}

fn bodies() -> Bodies {
    let mut rng = rand::rng();
    let dir = std::env::temp_dir().join(format!("dauys-fuzz-bodies-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..2).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let params = election.params().clone();
    let marks = vec![vec![1, 0], vec![0, 1, 0, 0, 0], vec![0, 0, 1, 0, 0, 0, 0, 0, 0]];
    let (ballot, _) = Ballot::encrypt(&params, &voters[0], &marks, &mut rng).unwrap();
    let (challenged, secrets) = Ballot::encrypt(&params, &voters[1], &marks, &mut rng).unwrap();
    let spoiled = challenged.challenge(secrets);
    // The ballot and the challenged ballot are on the board already: posting them again is
    // refused, so no mutation of them may be accepted either.
    let posted = election
        .post(vec![Event::Cast(Box::new(ballot.clone())), Event::Spoiled(Box::new(spoiled.clone()))], &mut rng, |_| {})
        .unwrap();
    assert!(posted.iter().all(Result::is_ok));
    let board_key = election.board.state().setup.as_ref().unwrap().board_key;
    let witness = SecretScalar::random(&mut rng);
    let cp = Checkpoint {
        root: [0; 32],
        signature: serde_json::from_value(
            serde_json::json!({"commitment": "00".repeat(32), "response": "00".repeat(32)}),
        )
        .unwrap(),
        size: 0,
    };
    let cosignature = Cosignature::sign(&params.setup, &board_key, &witness, &cp, &mut rng);
    drop(election);
    Bodies { dir, params, ballot, spoiled, cosignature }
}

#[test]
fn the_board_request_parser() {
    let b = bodies();
    let texts: [(&str, Vec<u8>); 3] = [
        ("ballot", serde_json::to_vec(&b.ballot).unwrap()),
        ("spoiled", serde_json::to_vec(&b.spoiled).unwrap()),
        ("cosignature", serde_json::to_vec(&b.cosignature).unwrap()),
    ];
    let mut findings = Vec::new();
    // As the handlers deserialize them (and as events, which the board's log parses).
    for case in 0..cases(3000) {
        let mut rng = Rng(0x626f_6479 ^ case.wrapping_mul(0x9e37_79b9));
        let (what, text) = rng.pick(&texts);
        let body = mutate_text(text, &mut rng);
        let checked = no_panic(what, || -> Result<(), String> {
            match *what {
                "ballot" => {
                    if let Ok(x) = serde_json::from_slice::<Ballot>(&body) {
                        round_trip(&x)?;
                        if x != b.ballot && x.verify(&b.params).is_ok() {
                            return Err("a changed ballot verifies".into());
                        }
                    }
                }
                "spoiled" => {
                    if let Ok(x) = serde_json::from_slice::<SpoiledBallot>(&body) {
                        round_trip(&x)?;
                        if x != b.spoiled && x.check(&b.params).is_ok() {
                            return Err("a changed opening checks".into());
                        }
                    }
                }
                _ => {
                    if let Ok(x) = serde_json::from_slice::<Cosignature>(&body) {
                        round_trip(&x)?;
                    }
                }
            }
            let wrapped = [br#"{"kind":"cast","payload":"#.as_slice(), &body, b"}"].concat();
            if let Ok(e) = serde_json::from_slice::<Event>(&wrapped) {
                round_trip(&e)?;
            }
            Ok(())
        });
        match checked {
            Ok(Ok(())) => {}
            Ok(Err(e)) | Err(e) => {
                findings.push(format!("case {case} ({what}): {e}: {}", String::from_utf8_lossy(&body)))
            }
        }
    }
    // Through the server's own path: content type, body limit, json_body, the handlers.
    let server = Server::start(&b.dir);
    let client = BoardClient::new(&server.url);
    let events = |c: &BoardClient| c.get("/health").unwrap()["events"].as_u64().unwrap();
    let before = events(&client);
    for case in 0..cases(3000) / 10 {
        let mut rng = Rng(0x6874_7470 ^ case.wrapping_mul(0x9e37_79b9));
        let (what, text) = rng.pick(&texts);
        let path = match *what {
            "ballot" => "/ballots",
            "spoiled" => "/spoiled",
            _ => "/witness/cosign",
        };
        let body = if rng.chance(10) { text.clone() } else { mutate_text(text, &mut rng) };
        let content_type =
            *rng.pick(&["application/json", "application/json", "application/json; charset=utf-8", "text/plain", ""]);
        match client.request("POST", path, Some((content_type, body.clone()))) {
            Ok((status, reply)) if (400..500).contains(&status) => {
                if serde_json::from_slice::<serde_json::Value>(&reply).is_ok_and(|v| v["error"].as_str().is_none()) {
                    findings.push(format!("http case {case}: {status} without an error code"));
                }
            }
            Ok((200, _)) if *what == "cosignature" => {}
            Ok((status, reply)) => findings.push(format!(
                "http case {case} ({path}, {content_type:?}): {status} {}: {}",
                String::from_utf8_lossy(&reply),
                String::from_utf8_lossy(&body)
            )),
            Err(e) => findings.push(format!("http case {case}: {e}")),
        }
    }
    assert_eq!(events(&client), before, "a fuzzed request was appended to the log");
    server.stop();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    x: &T,
) -> Result<(), String> {
    let text = serde_json::to_string(x).map_err(|e| e.to_string())?;
    match serde_json::from_str::<T>(&text) {
        Ok(y) if y == *x => Ok(()),
        other => Err(format!("does not round-trip: {other:?}")),
    }
}
