//! Ballot styles in the record (issue 14): a voter's credential is in its style's list, its
//! ballot names that style and holds exactly its contests, each contest is tallied over the
//! ballots that carry it, and the tally gives the turnout per style. Every attack here is a
//! ballot its own voter signs (or a tally the board posts) in a record the board signs again:
//! the check named, not a signature, is what must catch it (`specs/verifier.md` 3.8, 5.1).

mod resigned;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{SecretScalar, hex32, scalar_from_bytes};
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::transcript;
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::log::event::Event;
use dauys::log::record;
use dauys::runner::{LocalElection, VoterPlan};
use dauys::verify::checks::Status;
use dauys::verify::{Check, Options, verify};
use rand::RngExt;

/// A region's maslikhat day: a regional list on every ballot, and one district contest per
/// style (six styles, `m01` … `m06`; `m01` and `m03` have 5 candidates, `m02` has 4).
const MASLIKHAT: &str = include_str!("../specs/examples/maslikhat-manifest.json");

/// Voters per style who vote, and one more per style who does not (the attacks' signers).
const VOTING: usize = 2;

struct Fixture {
    record: PathBuf,
    board: SecretScalar,
    params: ElectionParams,
    /// Per style: its keys, the last one an abstainer's.
    keys: Vec<Vec<KeyPair>>,
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dauys-styles-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

fn one_hot(n: usize, i: usize) -> Vec<u64> {
    (0..n).map(|k| u64::from(k == i)).collect()
}

/// Marks for every contest of style `style`, the `i`-th option of each.
fn marks(params: &ElectionParams, style: usize, i: usize) -> Vec<Vec<u64>> {
    let m = &params.manifest;
    m.styles()[style].contests.iter().map(|&c| one_hot(m.contests[c].options.len(), i % 4)).collect()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = rand::rng();
        let dir = temp("fixture");
        let manifest = Manifest::from_json(MASLIKHAT).unwrap();
        let styles = manifest.styles().len();
        let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
        let keys: Vec<Vec<KeyPair>> = (0..styles)
            .map(|_| (0..=VOTING).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect())
            .collect();
        let lists = keys.iter().map(|k| CredentialList::new(k.iter().map(|v| v.public).collect()).unwrap()).collect();
        election.open_styles(lists, &mut rng).unwrap();
        let params = election.params().clone();
        let plans: Vec<VoterPlan> = keys
            .iter()
            .enumerate()
            .flat_map(|(s, k)| k[..VOTING].iter().enumerate().map(move |(i, key)| (s, i, key)))
            .map(|(s, i, key)| VoterPlan {
                key: key.clone(),
                marks: marks(&params, s, i),
                earlier: (i == 1).then(|| marks(&params, s, i + 1)),
                challenge: false,
            })
            .collect();
        election.vote(&plans, &mut rng, |_| {}).unwrap();
        election.close(&mut rng).unwrap();
        election.tally(&[1, 2], &mut rng).unwrap();
        let record = dir.join("record");
        election.board.export(&record).unwrap();
        Fixture { record, board: board_key(&dir), params, keys }
    })
}

/// The ballot signed again by its voter after a change.
fn resign(ballot: &mut Ballot, voter: &KeyPair) {
    let fp = fixture().params.fingerprint;
    let t = transcript::ballot_signature(&fp, &ballot.digest(), &voter.public);
    ballot.signature = SchnorrProof::prove(t, &voter.secret, &mut rand::rng());
}

/// The fixture's record with `ballot` cast just before close, signed again by the board.
fn record_with(ballot: Ballot) -> PathBuf {
    let mut events = resigned::events_of(&fixture().record);
    let close = events.iter().position(|e| matches!(e, Event::Close)).unwrap();
    events.insert(close, Event::Cast(Box::new(ballot)));
    rewritten(&events)
}

fn rewritten(events: &[Event]) -> PathBuf {
    let f = fixture();
    rewritten_from(&f.record, &f.board, events)
}

/// `events` in place of `record`'s, signed again by the board key `board`.
fn rewritten_from(record: &Path, board: &SecretScalar, events: &[Event]) -> PathBuf {
    let dir = temp("case");
    let lines: Vec<String> = events.iter().map(Event::to_leaf).collect();
    let sizes: Vec<u64> = record::checkpoints(record).unwrap().iter().map(|c| c.size).collect();
    resigned::write(&dir, &lines, &resigned::setup_fp(events), board, &sizes);
    dir
}

fn board_key(dir: &Path) -> SecretScalar {
    let key = std::fs::read_to_string(dir.join("board.key")).unwrap();
    SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap())
}

fn report(dir: &Path) -> dauys::verify::Report {
    verify(dir, &Options::default()).unwrap()
}

/// Check `check` failed, with a reason that says `why`.
fn fails_with(dir: &Path, check: Check, why: &str) {
    let r = report(dir);
    let detail = r.outcome(check).unwrap().detail();
    assert!(matches!(r.outcome(check).unwrap().status(), Status::Failed), "{} passed: {detail}", check.id());
    assert!(detail.contains(why), "{}: {detail} (expected: {why})", check.id());
}

/// The abstainer of style `style`: a voter who never voted, so that a forged ballot of theirs
/// adds a ballot rather than a re-vote.
fn abstainer(style: usize) -> &'static KeyPair {
    fixture().keys[style].last().unwrap()
}

#[test]
fn an_honest_record_of_six_styles_verifies_with_its_turnout() {
    let f = fixture();
    let r = report(&f.record);
    assert!(r.failed().is_empty(), "{:?}", r.failed());
    assert_eq!(r.outcome(Check::BallotStyle).unwrap().status(), Status::Passed);
    let events = resigned::events_of(&f.record);
    let tally = events.iter().find_map(|e| if let Event::Tally(t) = e { Some(t.clone()) } else { None }).unwrap();
    // Two counted ballots per style (one re-voted: its first ballot does not count).
    assert_eq!(tally.turnout, vec![VOTING as u64; 6]);
    assert_eq!(tally.ballots, 12);
    // Every ballot names its credential's style.
    for e in &events {
        if let Event::Cast(b) = e {
            let (style, _) = f.params.find_credential(&b.credential).unwrap();
            assert_eq!(b.style, f.params.manifest.styles()[style].id);
        }
    }
}

/// A contest of another district added to a ballot: longer than the longest style's ballot,
/// so the record's line bound (1.1) stops it before it is parsed, and the board refuses it.
#[test]
fn a_ballot_with_a_contest_of_another_district_added_is_refused() {
    let f = fixture();
    let voter = abstainer(0);
    let (mut ballot, _) =
        Ballot::encrypt_style(&f.params, 0, voter, &marks(&f.params, 0, 1), &mut rand::rng()).unwrap();
    // m03's district contest, encrypted and proved for m03, added to an m01 ballot.
    let (other, _) =
        Ballot::encrypt_style(&f.params, 2, abstainer(2), &marks(&f.params, 2, 1), &mut rand::rng()).unwrap();
    ballot.contests.push(other.contests[1].clone());
    resign(&mut ballot, voter);
    assert!(ballot.verify(&f.params).unwrap_err().to_string().contains("has 3 contests"), "the board refuses it");
    fails_with(&record_with(ballot), Check::RecordWellFormed, "longer than");
}

/// A contest of another district in place of one's own, with more candidates than one's
/// own: the shape is not the style's.
#[test]
fn a_ballot_with_a_contest_of_another_district_in_place_of_its_own_is_refused() {
    let f = fixture();
    let voter = abstainer(1);
    let (mut ballot, _) =
        Ballot::encrypt_style(&f.params, 1, voter, &marks(&f.params, 1, 1), &mut rand::rng()).unwrap();
    // m01's district contest (5 candidates) for m02's (4).
    let (other, _) =
        Ballot::encrypt_style(&f.params, 0, abstainer(0), &marks(&f.params, 0, 1), &mut rand::rng()).unwrap();
    ballot.contests[1] = other.contests[1].clone();
    resign(&mut ballot, voter);
    assert!(ballot.verify(&f.params).unwrap_err().to_string().contains("5 ciphertexts for 4 options"));
    fails_with(
        &record_with(ballot),
        Check::BallotStyle,
        "contest 1 (\"maslikhat-02\") has 5 ciphertexts for 4 options",
    );
}

#[test]
fn a_credential_of_one_district_cannot_vote_another_districts_contest() {
    let f = fixture();
    // An m01 voter's ballot of style m03: its contests exactly m03's, proofs and signature
    // valid; only its credential, in m01's list, betrays it.
    let voter = abstainer(0);
    let (ballot, _) = Ballot::encrypt_style(&f.params, 2, voter, &marks(&f.params, 2, 1), &mut rand::rng()).unwrap();
    let refused = ballot.verify(&f.params).unwrap_err().to_string();
    assert!(refused.contains("is in the list of style \"m01\""), "{refused}");
    fails_with(&record_with(ballot), Check::BallotStyle, "votes style \"m03\" with a credential of style \"m01\"");
}

#[test]
fn a_ballot_missing_a_contest_of_its_style_is_refused() {
    let f = fixture();
    let voter = abstainer(1);
    let (mut ballot, _) =
        Ballot::encrypt_style(&f.params, 1, voter, &marks(&f.params, 1, 0), &mut rand::rng()).unwrap();
    ballot.contests.pop();
    resign(&mut ballot, voter);
    assert!(ballot.verify(&f.params).is_err());
    fails_with(&record_with(ballot), Check::BallotStyle, "has 1 contests, its style \"m02\" has 2");
}

#[test]
fn a_ballot_of_a_style_that_does_not_exist_is_refused() {
    let f = fixture();
    let voter = abstainer(0);
    let (mut ballot, _) =
        Ballot::encrypt_style(&f.params, 0, voter, &marks(&f.params, 0, 0), &mut rand::rng()).unwrap();
    ballot.style = "m07".into();
    resign(&mut ballot, voter);
    assert!(ballot.verify(&f.params).unwrap_err().to_string().contains("does not have"));
    fails_with(
        &record_with(ballot),
        Check::BallotStyle,
        "names ballot style \"m07\", which the manifest does not have",
    );
}

/// A district contest swapped for another district's of as many candidates, on a ballot of
/// the right style: the shape fits, but the proofs name the manifest contest they were made
/// for, so they fail under the contest the style puts there.
#[test]
fn another_districts_contest_in_place_of_ones_own_fails_its_proofs() {
    let f = fixture();
    let voter = abstainer(0);
    let (mut ballot, _) =
        Ballot::encrypt_style(&f.params, 0, voter, &marks(&f.params, 0, 0), &mut rand::rng()).unwrap();
    let (other, _) =
        Ballot::encrypt_style(&f.params, 2, abstainer(2), &marks(&f.params, 2, 0), &mut rand::rng()).unwrap();
    assert_eq!(ballot.contests[1].ciphertexts.len(), other.contests[1].ciphertexts.len(), "m01 and m03 have 5 each");
    ballot.contests[1] = other.contests[1].clone();
    resign(&mut ballot, voter);
    let dir = record_with(ballot);
    let r = report(&dir);
    assert_eq!(r.outcome(Check::BallotStyle).unwrap().status(), Status::Passed);
    fails_with(&dir, Check::OptionProofs, "range proof does not verify");
}

#[test]
fn a_tally_that_moves_turnout_between_styles_fails() {
    let mut events = resigned::events_of(&fixture().record);
    for e in events.iter_mut() {
        if let Event::Tally(t) = e {
            t.turnout[0] += 1;
            t.turnout[1] -= 1;
        }
    }
    // The total still adds up; only the recount per style shows the move.
    fails_with(&rewritten(&events), Check::TallySum, "style \"m01\": the tally's turnout is 3, 2 counted ballots");
}

/// The roll gives each pseudonym its precinct's style, and a registration names it: a board
/// (with the registrar) that rewrites the roll to put a registered citizen in another
/// district, where its registration says its own, fails 1.8. Registrations themselves are
/// signed by the citizens, so the board cannot make them agree with such a roll.
#[test]
fn a_roll_that_moves_a_registered_citizen_to_another_district_fails() {
    let mut rng = rand::rng();
    let dir = temp("registered");
    let ca = dauys::election::citizen_ca::SyntheticCaIssuer::generate(&mut rng);
    let mut manifest = Manifest::from_json(MASLIKHAT).unwrap();
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(&dir, manifest, &mut rng).unwrap();
    election.register_and_open(&ca, 12, 0, &mut rng).unwrap();
    let record = dir.join("record");
    election.board.export(&record).unwrap();
    assert!(report(&record).failed().is_empty(), "{:?}", report(&record).failed());
    let mut events = resigned::events_of(&record);
    let (pseudonym, style) = events
        .iter()
        .find_map(|e| if let Event::Registration(r) = e { Some((r.pseudonym, r.style.clone().unwrap())) } else { None })
        .unwrap();
    let Some(Event::Roll(roll)) = events.iter_mut().find(|e| matches!(e, Event::Roll(_))) else { unreachable!() };
    let entry = roll.pseudonyms.binary_search(&pseudonym).unwrap();
    let other = (roll.styles[entry] + 1) % 6;
    roll.styles[entry] = other;
    let moved =
        format!("names ballot style {style:?}; the roll gives its pseudonym style {:?}", format!("m0{}", other + 1));
    fails_with(&rewritten_from(&record, &board_key(&dir), &events), Check::Registrations, &moved);
}

/// The tracking code commits to the style: a challenged ballot relabelled to another style
/// whose contests have the same shape (m01 and m03: the list and 5 candidates each) still opens
/// under it, but its code is no longer the one the voter was shown, so the voter's second
/// device refuses it.
#[test]
fn a_challenged_ballot_relabelled_to_another_style_changes_its_code() {
    let f = fixture();
    let (ballot, secrets) =
        Ballot::encrypt_style(&f.params, 0, abstainer(0), &marks(&f.params, 0, 1), &mut rand::rng()).unwrap();
    let shown = ballot.tracking_code();
    let mut spoiled = ballot.challenge(secrets);
    assert_eq!(spoiled.tracking_code(), shown);
    spoiled.style = "m03".into();
    assert!(spoiled.check(&f.params).is_ok(), "the same shape: the opening fits either style");
    assert_ne!(spoiled.tracking_code(), shown);
}

/// With styles of different sizes, a short style's ballot with another district's contest
/// added is no longer than the longest style's ballot: the line bound (1.1) lets it through,
/// and 3.8 (the contests are exactly the style's) is what refuses it.
#[test]
fn a_short_styles_ballot_with_a_contest_added_fails_3_8() {
    let mut rng = rand::rng();
    let dir = temp("uneven");
    let mut m: serde_json::Value = serde_json::from_str(MASLIKHAT).unwrap();
    let short = serde_json::json!({"id": "m00", "contests": ["regional-list"], "precincts": ["M00-001"]});
    m["ballot_styles"].as_array_mut().unwrap().insert(0, short);
    let manifest = Manifest::from_json(&m.to_string()).unwrap();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let keys: Vec<KeyPair> = (0..7).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    let lists = keys.iter().map(|k| CredentialList::new(vec![k.public]).unwrap()).collect();
    election.open_styles(lists, &mut rng).unwrap();
    election.close(&mut rng).unwrap();
    let record = dir.join("record");
    election.board.export(&record).unwrap();
    let params = election.params().clone();
    let (mut ballot, _) = Ballot::encrypt_style(&params, 0, &keys[0], &marks(&params, 0, 1), &mut rng).unwrap();
    let (other, _) = Ballot::encrypt_style(&params, 1, &keys[1], &marks(&params, 1, 1), &mut rng).unwrap();
    ballot.contests.push(other.contests[1].clone());
    let t = transcript::ballot_signature(&params.fingerprint, &ballot.digest(), &keys[0].public);
    ballot.signature = SchnorrProof::prove(t, &keys[0].secret, &mut rng);
    assert!(ballot.verify(&params).unwrap_err().to_string().contains("has 2 contests"), "the board refuses it");
    let mut events = resigned::events_of(&record);
    let close = events.iter().position(|e| matches!(e, Event::Close)).unwrap();
    events.insert(close, Event::Cast(Box::new(ballot)));
    let forged = rewritten_from(&record, &board_key(&dir), &events);
    assert_eq!(report(&forged).outcome(Check::RecordWellFormed).unwrap().status(), Status::Passed);
    fails_with(&forged, Check::BallotStyle, "has 2 contests, its style \"m00\" has 1");
}
