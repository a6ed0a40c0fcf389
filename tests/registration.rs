//! Registration without a trace, end to end: a record with a roll, signed registrations and
//! shuffles verifies; the verifier's checks 1.6, 1.8, 1.9 and 3.2 each fail on their
//! mutation (`specs/verifier.md` §3), with the board re-signing its checkpoints so that the
//! check under test is what catches it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dauys::crypto::group::{Element, SecretScalar};
use dauys::election::credential::CredentialList;
use dauys::log::event::Event;
use dauys::verify::{Check, Options, verify};

mod registered;
mod resigned;

fn temp(name: &str) -> PathBuf {
    registered::temp("reg", name)
}
use registered::{Fixture, registered_election};
use resigned::setup_fp;

/// 6 citizens register; 3 of the 5 trustees (t = 3) shuffle; everyone votes.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| registered_election("reg"))
}

fn events() -> Vec<Event> {
    resigned::events_of(&fixture().record)
}

/// The record of `events`, its one checkpoint recomputed and signed by the board.
fn write(events: &[Event]) -> PathBuf {
    let dir = temp("case");
    let lines: Vec<String> = events.iter().map(Event::to_leaf).collect();
    resigned::write(&dir, &lines, &setup_fp(events), &fixture().board, &[]);
    dir
}

fn failed(dir: &Path) -> Vec<Check> {
    verify(dir, &Options::default()).unwrap().failed()
}

fn detail(dir: &Path, check: Check) -> String {
    verify(dir, &Options::default()).unwrap().outcome(check).unwrap().detail()
}

fn position(ev: &[Event], kind: &str) -> usize {
    ev.iter().position(|e| e.kind() == kind).unwrap()
}

#[test]
fn the_registered_record_verifies_and_has_no_list_in_open() {
    let ev = events();
    let report = verify(&fixture().record, &Options::default()).unwrap();
    assert!(
        report.valid(),
        "{:?}",
        report.checks.iter().filter(|c| c.failed()).map(|c| c.detail()).collect::<Vec<_>>()
    );
    assert_eq!(report.outcome(Check::Registrations).unwrap().count, 6);
    assert_eq!(report.outcome(Check::Shuffles).unwrap().count, 3);
    assert_eq!(report.outcome(Check::CredentialList).unwrap().count, 6);
    let open = ev.iter().find_map(|e| if let Event::Open(o) = e { Some(o) } else { None }).unwrap();
    assert!(open.credentials.is_none(), "the final list is published once, in the last shuffle");
    // Re-signed unchanged: still valid (the helper itself does not break records).
    assert!(failed(&write(&ev)).is_empty());
}

#[test]
fn a_registration_without_a_valid_signature() {
    let mut ev = events();
    let at = position(&ev, "registration");
    if let Event::Registration(r) = &mut ev[at] {
        r.signature[10] ^= 1;
    }
    let dir = write(&ev);
    assert!(failed(&dir).contains(&Check::Registrations));
    assert!(detail(&dir, Check::Registrations).contains("signature does not verify"));
}

#[test]
fn two_registrations_for_one_pseudonym() {
    let mut ev = events();
    let at = position(&ev, "registration");
    let copy = ev[at].clone();
    ev.insert(at + 1, copy);
    let dir = write(&ev);
    assert!(failed(&dir).contains(&Check::Registrations));
    assert!(detail(&dir, Check::Registrations).contains("registered already"));
}

#[test]
fn a_credential_dropped_in_a_shuffle_resigned_by_its_shuffler() {
    let mut ev = events();
    let at = position(&ev, "shuffle");
    if let Event::Shuffle(s) = &mut ev[at] {
        let mut fewer = s.output.as_slice().to_vec();
        fewer.pop();
        s.output = serde_json::from_value(
            serde_json::to_value(fewer.iter().map(|c| dauys::crypto::group::to_hex(c)).collect::<Vec<_>>()).unwrap(),
        )
        .unwrap();
        resign(s);
    }
    let dir = write(&ev);
    let f = failed(&dir);
    assert!(f.contains(&Check::Shuffles), "{f:?}");
}

#[test]
fn a_credential_replaced_in_the_last_shuffle_resigned_by_its_shuffler() {
    let mut ev = events();
    let at = ev.iter().rposition(|e| e.kind() == "shuffle").unwrap();
    if let Event::Shuffle(s) = &mut ev[at] {
        let mut list = s.output.as_slice().to_vec();
        list[0] = SecretScalar::random(&mut rand::rng()).public().to_bytes();
        let elements: Vec<Element> = list.iter().map(|c| Element::from_bytes("c", c).unwrap()).collect();
        s.output = CredentialList::new(elements).unwrap();
        resign(s);
    }
    let dir = write(&ev);
    let f = failed(&dir);
    assert!(f.contains(&Check::Shuffles), "{f:?}");
    assert!(detail(&dir, Check::Shuffles).contains("proof"));
}

#[test]
fn a_shuffle_proof_reused_from_another_list() {
    let mut ev = events();
    let first = position(&ev, "shuffle");
    let Event::Shuffle(a) = ev[first].clone() else { unreachable!() };
    let second = first + 1;
    if let Event::Shuffle(s) = &mut ev[second] {
        s.proof = a.proof.clone();
        resign(s);
    }
    let dir = write(&ev);
    assert!(failed(&dir).contains(&Check::Shuffles));
}

#[test]
fn a_shuffle_posted_in_another_trustees_name() {
    let mut ev = events();
    let at = position(&ev, "shuffle");
    if let Event::Shuffle(s) = &mut ev[at] {
        s.shuffler = 4;
    }
    let dir = write(&ev);
    assert!(failed(&dir).contains(&Check::Shuffles));
    assert!(detail(&dir, Check::Shuffles).contains("signature does not verify"));
}

#[test]
fn too_few_shufflers() {
    let mut ev = events();
    let last = ev.iter().rposition(|e| e.kind() == "shuffle").unwrap();
    ev.remove(last);
    let dir = write(&ev);
    let f = failed(&dir);
    assert!(f.contains(&Check::Shuffles) && f.contains(&Check::CredentialList), "{f:?}");
    assert!(detail(&dir, Check::Shuffles).contains("at least 3"));
}

#[test]
fn a_ballot_by_a_registered_but_unshuffled_credential() {
    // A ballot signed with a credential from the registered list (x·g), not the final list:
    // 3.2 checks ballots against the final list.
    let ev = events();
    let reg = ev.iter().find_map(|e| if let Event::Registration(r) = e { Some(r.credential) } else { None }).unwrap();
    let mut ev2 = ev.clone();
    let at = position(&ev2, "cast");
    if let Event::Cast(b) = &mut ev2[at] {
        b.credential = reg;
    }
    let dir = write(&ev2);
    assert!(failed(&dir).contains(&Check::BallotCredential));
}

/// Signs a changed shuffle again with its shuffler's transport key (a cheating shuffler
/// covering its tracks), so that the proof is what catches it.
fn resign(s: &mut dauys::election::unlinking::CredentialShuffle) {
    let shuffler = s.shuffler;
    fixture().sign_shuffle(s, &setup_fp(&events()), shuffler);
}

/// The board (or registrar) skips registration in an election whose manifest names a citizen
/// CA: no roll, no registrations, no shuffles, and an open event with a list of credentials
/// it knows the secrets of. Refused: the manifest binds the election to registration.
#[test]
fn an_election_that_names_a_citizen_ca_cannot_open_on_its_own_list() {
    let ev = events();
    let mut rng = rand::rng();
    let own: Vec<Element> = (0..6).map(|_| SecretScalar::random(&mut rng).public()).collect();
    let kept: Vec<Event> = ev
        .into_iter()
        .filter(|e| !matches!(e.kind(), "roll" | "registration" | "registration_close" | "shuffle"))
        .map(|e| match e {
            Event::Open(mut o) => {
                o.credentials = Some(CredentialList::new(own.clone()).unwrap());
                Event::Open(o)
            }
            e => e,
        })
        .collect();
    let dir = write(&kept);
    assert!(failed(&dir).contains(&Check::CredentialList));
    assert!(
        detail(&dir, Check::CredentialList).contains("names a citizen CA"),
        "{}",
        detail(&dir, Check::CredentialList)
    );
}
