//! Must-fail tests for `dauys-verify`: from a valid record, one targeted mutation per check.
//! Where the party who would make the change could also cover its tracks (a board re-signs
//! its checkpoints, a voter re-signs a ballot, a tallier recomputes tally, decryptions and
//! result), the test does so too, so that the check under test is what catches it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use curve25519_dalek::scalar::Scalar;
use dauys::crypto::elgamal::KeyPair;
use dauys::crypto::group::{SecretScalar, hex32, scalar_from_bytes};
use dauys::crypto::schnorr::SchnorrProof;
use dauys::crypto::threshold::dkg::outcome;
use dauys::crypto::threshold::signed::SeatSigned;
use dauys::crypto::transcript;
use dauys::election::ballot::Ballot;
use dauys::election::counting::Outcome;
use dauys::election::counting::lot_seed;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::{BallotStyle, District, DistrictKind, Label, Lang, Manifest};
use dauys::election::params::ElectionParams;
use dauys::election::tally::{Fate, TallyAccumulator, TrusteeDecryption, decrypt_result, fates};
use dauys::election::trustee::TrusteeSecrets;
use dauys::log::checkpoint::Checkpoint;
use dauys::log::event::Event;
use dauys::log::merkle::{Tree, leaf_hash};
use dauys::log::record;
use dauys::runner::{LocalElection, NATIONAL_MANIFEST, VoterPlan};
use dauys::verify::{Check, Options, Verdict, html, verify};
use rand::RngExt;

mod resigned;
use resigned::setup_fp;

struct Fixture {
    record: PathBuf,
    board: SecretScalar,
    voters: Vec<KeyPair>,
    trustees: Vec<String>,
    decrypting: Vec<u32>,
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dauys-verify-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = rand::rng();
        let dir = temp("fixture");
        let manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
        let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
        let voters: Vec<KeyPair> =
            (0..10).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
        election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
        let pick = |a: usize, b: usize, c: usize| vec![one_hot(2, a), one_hot(5, b), one_hot(9, c)];
        let plans: Vec<VoterPlan> = voters
            .iter()
            .enumerate()
            .map(|(i, v)| VoterPlan {
                key: v.clone(),
                marks: pick(i % 2, i % 5, i % 9),
                earlier: (i == 1).then(|| pick(1, 1, 1)),
                challenge: i == 2,
            })
            .collect();
        election.vote(&plans, &mut rng, |_| {}).unwrap();
        election.close(&mut rng).unwrap();
        let decrypting = vec![1, 2, 3, 5];
        election.tally(&decrypting, &mut rng).unwrap();
        let record = dir.join("record");
        election.board.export(&record).unwrap();
        let key = std::fs::read_to_string(dir.join("board.key")).unwrap();
        let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap());
        let trustees = election.trustees.iter().map(|t| t.to_json().to_string()).collect();
        Fixture { record, board, voters, trustees, decrypting }
    })
}

/// A secret scalar field (`identity`, `transport`) of the fixture's trustee `index` + 1.
fn trustee_secret(index: usize, field: &str) -> SecretScalar {
    let file: serde_json::Value = serde_json::from_str(&fixture().trustees[index]).unwrap();
    SecretScalar::new(dauys::crypto::group::scalar_from_hex(field, file[field].as_str().unwrap()).unwrap())
}

/// A trustee event signed again by its seat's transport key, as its (corrupt) trustee would
/// after changing it.
fn resign<T: SeatSigned>(event: &mut T) {
    let setup = setup_fp(&events());
    let key = trustee_secret(event.seat() as usize - 1, "transport");
    *event = event.clone().sign(&setup, &key, &mut rand::rng());
}

fn one_hot(n: usize, i: usize) -> Vec<u64> {
    (0..n).map(|k| u64::from(k == i)).collect()
}

fn events() -> Vec<Event> {
    resigned::events_of(&fixture().record)
}

fn lines_of(events: &[Event]) -> Vec<String> {
    events.iter().map(Event::to_leaf).collect()
}

/// Writes a record of `lines`. With `resign`, every checkpoint is recomputed over the new log
/// and signed with the board's key (a dishonest board covering its tracks); otherwise the
/// original checkpoints and header are kept.
fn write(lines: &[String], resign: bool, setup: &dauys::crypto::group::Fingerprint) -> PathBuf {
    let f = fixture();
    write_for(&f.record, &f.board, lines, resign, setup)
}

/// `write` for the record `original` of the board whose key is `board`.
fn write_for(
    original: &Path,
    board: &SecretScalar,
    lines: &[String],
    resign: bool,
    setup: &dauys::crypto::group::Fingerprint,
) -> PathBuf {
    let dir = temp("case");
    if resign {
        let sizes: Vec<u64> = record::checkpoints(original).unwrap().iter().map(|c| c.size).collect();
        resigned::write(&dir, lines, setup, board, &sizes);
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(record::EVENTS_FILE), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    for file in [record::HEADER_FILE, record::CHECKPOINTS_FILE] {
        std::fs::copy(original.join(file), dir.join(file)).unwrap();
    }
    dir
}

fn params_of(events: &[Event]) -> ElectionParams {
    let manifest = match &events[0] {
        Event::Setup(s) => s.manifest.clone(),
        _ => panic!(),
    };
    let open = events.iter().find_map(|e| if let Event::Open(o) = e { Some(o.clone()) } else { None }).unwrap();
    open.params(manifest, vec![]).unwrap()
}

/// Where a ballot can be inserted while voting is open: before the challenged ballots, which
/// the board publishes in one run right before close.
fn voting_end(events: &[Event]) -> usize {
    events.iter().position(|e| matches!(e, Event::Spoiled(_) | Event::Close)).unwrap()
}

/// The lots' seed of `events` with these decryptions: F_e, the root at close, the reveals.
fn lots_of(events: &[Event], decryptions: &[TrusteeDecryption]) -> dauys::crypto::group::Fingerprint {
    let close = events.iter().position(|e| matches!(e, Event::Close)).unwrap();
    let mut tree = Tree::new();
    for e in &events[..=close] {
        tree.push(leaf_hash(e.to_leaf().as_bytes()));
    }
    let reveals: Vec<_> = decryptions.iter().filter_map(|d| d.lot_seed.map(|s| (d.trustee, s))).collect();
    lot_seed(&params_of(events).fingerprint, &tree.root(tree.len()).unwrap(), &reveals)
}

/// Recomputes the result's outcomes with the lots of the log as it now is: the root at close of
/// `lines` and the reveals of the decryptions, but those of `invalid` trustees (whose
/// decryptions do not count). Any change before close changes the lots, so a dishonest board
/// covers its tracks this way too.
fn relot(events: &mut [Event], lines: &[String], invalid: &[u32]) {
    let close = events.iter().position(|e| matches!(e, Event::Close)).unwrap();
    let mut tree = Tree::new();
    for l in &lines[..=close] {
        tree.push(leaf_hash(l.as_bytes()));
    }
    let reveals: Vec<_> = events
        .iter()
        .filter_map(|e| if let Event::Decryption(d) = e { d.lot_seed.map(|s| (d.trustee, s)) } else { None })
        .filter(|(t, _)| !invalid.contains(t))
        .collect();
    let params = params_of(events);
    let lots = lot_seed(&params.fingerprint, &tree.root(tree.len()).unwrap(), &reveals);
    if let Some(Event::Result(r)) = events.last_mut() {
        for (c, contest) in r.contests.iter_mut().zip(&params.manifest.contests) {
            c.outcome = dauys::election::counting::outcome(contest, &c.counts, &lots).unwrap();
        }
    }
}

/// [`relot`] for a log whose lines are its events' canonical forms.
fn relot_events(events: &mut [Event], invalid: &[u32]) {
    let lines = lines_of(events);
    relot(events, &lines, invalid);
}

/// Recomputes tally, decryptions and result for the ballots now in `events` (an honest
/// tallier and trustees processing whatever the board shows them).
fn retally(events: &mut [Event]) {
    let params = params_of(events);
    let casts: Vec<&Ballot> = events
        .iter()
        .filter_map(|e| if let Event::Cast(b) = e { Some(&**b) } else { None })
        .filter(|b| b.check_credential(&params).is_ok() && b.election == params.fingerprint)
        .collect();
    let fate = fates(params.manifest.revote, casts.iter().map(|b| &b.credential));
    let mut acc = TallyAccumulator::new(&params.manifest);
    for (b, f) in casts.iter().zip(&fate) {
        if *f == Fate::Counted {
            acc.add(b.style_in(&params.manifest).unwrap().index, b);
        }
    }
    let tally = acc.finish();
    let setup = setup_fp(events);
    let keys: Vec<_> =
        events.iter().filter_map(|e| if let Event::TransportKey(k) = e { Some(k.clone()) } else { None }).collect();
    let dealings: Vec<_> =
        events.iter().filter_map(|e| if let Event::Dealing(d) = e { Some(d.clone()) } else { None }).collect();
    let complaints: Vec<_> =
        events.iter().filter_map(|e| if let Event::Complaint(c) = e { Some(c.clone()) } else { None }).collect();
    let ceremony =
        outcome(&setup, &params.manifest.threshold_params().unwrap(), &keys, &dealings, &complaints).unwrap();
    let mut rng = rand::rng();
    let decryptions: Vec<TrusteeDecryption> = fixture()
        .decrypting
        .iter()
        .map(|&i| {
            let t = TrusteeSecrets::from_json(&fixture().trustees[i as usize - 1]).unwrap();
            t.decrypt(&params, &ceremony, &tally, true, &mut rng).unwrap()
        })
        .collect();
    let result = decrypt_result(&params, &tally, &decryptions[..3], &lots_of(events, &decryptions)).unwrap();
    let mut next = decryptions.into_iter();
    for e in events.iter_mut() {
        match e {
            Event::Tally(t) => *t = tally.clone(),
            Event::Decryption(d) => *d = next.next().unwrap(),
            Event::Result(r) => *r = result.clone(),
            _ => {}
        }
    }
}

fn failed(dir: &Path) -> Vec<Check> {
    let report = verify(dir, &Options::default()).unwrap();
    report.failed()
}

fn detail(dir: &Path, check: Check) -> String {
    verify(dir, &Options::default()).unwrap().outcome(check).unwrap().detail()
}

fn resign_ballot(b: &mut Ballot, key: &KeyPair, params: &ElectionParams) {
    b.credential = key.public;
    let t = transcript::ballot_signature(&params.fingerprint, &b.digest(), &key.public);
    b.signature = SchnorrProof::prove(t, &key.secret, &mut rand::rng());
}

fn cast_positions(events: &[Event]) -> Vec<usize> {
    events.iter().enumerate().filter(|(_, e)| matches!(e, Event::Cast(_))).map(|(i, _)| i).collect()
}

fn voter_of(b: &Ballot) -> &'static KeyPair {
    fixture().voters.iter().find(|v| v.public == b.credential).unwrap()
}

fn dauys_verify(args: &[&str]) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_dauys-verify")).args(args).output().unwrap().status.code().unwrap()
}

#[test]
fn the_valid_record_passes() {
    let f = fixture();
    let report = verify(&f.record, &Options::default()).unwrap();
    assert!(
        report.valid(),
        "{:?}",
        report.checks.iter().filter(|c| !c.passed()).map(|c| c.detail()).collect::<Vec<_>>()
    );
    assert_eq!(report.summary.counted, 10);
    assert_eq!(report.summary.superseded, 1);
    assert_eq!(report.summary.spoiled, 1);
    assert_eq!(dauys_verify(&[f.record.to_str().unwrap()]), 0);
    // Re-signing an unchanged log changes nothing.
    let ev = events();
    assert!(failed(&write(&lines_of(&ev), true, &setup_fp(&ev))).is_empty());
}

#[test]
fn a_proof_scalar_changed() {
    let mut ev = events();
    let params = params_of(&ev);
    let at = cast_positions(&ev)[3];
    let Event::Cast(b) = &mut ev[at] else { panic!() };
    b.contests[2].option_proofs[4].0.responses[1] += Scalar::ONE;
    let key = voter_of(b);
    resign_ballot(b, key, &params);
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::OptionProofs]);
    assert!(detail(&dir, Check::OptionProofs).contains(&format!("event {at}")));
    assert_eq!(dauys_verify(&[dir.to_str().unwrap()]), 1);
}

#[test]
fn two_options_ciphertexts_swapped() {
    let mut ev = events();
    let params = params_of(&ev);
    let at = cast_positions(&ev)[5];
    let Event::Cast(b) = &mut ev[at] else { panic!() };
    b.contests[1].ciphertexts.swap(0, 1);
    let key = voter_of(b);
    resign_ballot(b, key, &params);
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    // Each option's proof is for the other position; the sum proof absorbed the order too.
    assert_eq!(failed(&dir), vec![Check::OptionProofs, Check::SumProofs]);
}

#[test]
fn a_ballot_replayed_under_another_credential() {
    let mut ev = events();
    let params = params_of(&ev);
    let casts = cast_positions(&ev);
    let Event::Cast(original) = &ev[casts[0]] else { panic!() };
    let mut copy = (**original).clone();
    let other = fixture().voters.iter().find(|v| v.public != copy.credential).unwrap();
    resign_ballot(&mut copy, other, &params);
    let end = voting_end(&ev);
    ev.insert(end, Event::Cast(Box::new(copy)));
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::OptionProofs, Check::SumProofs]);
}

#[test]
fn a_ballot_duplicated() {
    let mut ev = events();
    let at = cast_positions(&ev)[4];
    let dup = ev[at].clone();
    let end = voting_end(&ev);
    ev.insert(end, dup);
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::NoDuplicates]);
}

#[test]
fn a_ballot_removed_without_the_board_re_signing() {
    let mut ev = events();
    let at = cast_positions(&ev)[2];
    ev.remove(at);
    retally(&mut ev);
    let dir = write(&lines_of(&ev), false, &setup_fp(&ev));
    let f = failed(&dir);
    assert!(f.contains(&Check::FinalRoot), "{f:?}");
    assert!(f.contains(&Check::CheckpointConsistency), "{f:?}");
}

#[test]
fn events_reordered() {
    let mut ev = events();
    // A dealing moved before the transport keys it is encrypted to.
    let dealing = ev.iter().position(|e| matches!(e, Event::Dealing(_))).unwrap();
    ev.swap(1, dealing);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert!(failed(&dir).contains(&Check::EventOrder), "{:?}", failed(&dir));
}

#[test]
fn a_ballot_cast_after_close() {
    let mut ev = events();
    let at = *cast_positions(&ev).last().unwrap();
    let ballot = ev.remove(at);
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    ev.insert(close + 1, ballot);
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::EventOrder]);
    assert!(detail(&dir, Check::EventOrder).contains("not allowed after voting closed"));
}

#[test]
fn a_manifest_bound_changed() {
    let mut ev = events();
    if let Event::Setup(s) = &mut ev[0] {
        s.manifest.contests[2].threshold_percent = Some(7);
    }
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    // The trustees and voters committed to the original manifest through the fingerprints.
    let f = failed(&dir);
    for c in [Check::TransportKeys, Check::BallotElection] {
        assert!(f.contains(&c), "{c:?} not in {f:?}");
    }
}

#[test]
fn a_trustee_commitment_changed() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Dealing(_))).unwrap();
    if let Event::Dealing(d) = &mut ev[at] {
        d.commitments[1] = dauys::crypto::group::Element::generator();
    }
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let f = failed(&dir);
    assert!(f.contains(&Check::Dealings), "{f:?}");
    assert!(detail(&dir, Check::Dealings).contains("dealer 1"));
}

#[test]
fn a_decryption_share_with_a_wrong_proof() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Decryption(_))).unwrap();
    if let Event::Decryption(d) = &mut ev[at] {
        d.shares[1][2].proof.response += Scalar::ONE;
    }
    // Trustee 1's decryption does not count, and neither does its lot seed.
    relot_events(&mut ev, &[1]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    // Four trustees decrypted; the three others still make the quorum.
    assert_eq!(failed(&dir), vec![Check::DecryptionProofs]);
    assert!(detail(&dir, Check::DecryptionProofs).contains("trustee 1"));
}

#[test]
fn too_few_trustees() {
    let mut ev = events();
    let mut seen = 0;
    ev.retain(|e| {
        if matches!(e, Event::Decryption(_)) {
            seen += 1;
            seen <= 2
        } else {
            true
        }
    });
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::DecryptionQuorum]);
    // The counts cannot be checked without t decryptions: not run, not passed with "0 checked".
    assert_eq!(detail(&dir, Check::Counts), "because fewer than t valid decryptions (5.3 failed)");
    assert_eq!(dauys_verify(&[dir.to_str().unwrap()]), 1);
}

#[test]
fn a_count_changed() {
    let mut ev = events();
    if let Some(Event::Result(r)) = ev.last_mut() {
        r.contests[1].counts[4] += 1; // against-all in the presidential race: outcome unchanged
    }
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::Counts]);
}

/// The forgery of the issue that asked for it: one vote moved from "no" to "yes", and the
/// outcome changed to match. The table still shows what was published, but marked as not
/// confirmed in every language, with what the record gives beside each forged value.
#[test]
fn a_forged_result_is_shown_not_confirmed_beside_what_the_record_gives() {
    let mut ev = events();
    let Some(Event::Result(r)) = ev.last_mut() else { panic!("the record ends with its result") };
    let referendum = &mut r.contests[0];
    assert_eq!(referendum.counts, vec![5, 5], "the fixture's referendum: five each way, not adopted");
    assert_eq!(referendum.outcome, Outcome::Referendum { adopted: false });
    referendum.counts = vec![6, 4];
    referendum.outcome = Outcome::Referendum { adopted: true };
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let report = verify(&dir, &Options::default()).unwrap();
    assert_eq!(report.failed(), vec![Check::Counts]);
    let d = report.outcome(Check::Counts).unwrap().detail();
    assert!(d.contains(r#"option "Yes": published 6 votes, the tally decrypts to 5"#), "{d}");
    let recount = &report.summary.recount;
    assert_eq!(
        recount.counts.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
        vec![((0, 0), Some(5)), ((0, 1), Some(5))]
    );
    assert_eq!(recount.outcomes.get(&0), Some(&Outcome::Referendum { adopted: false }));
    assert_eq!(recount.outcomes.len(), 1, "the other contests' outcomes stand");
    for (lang, mark, gives, decision) in [
        (Lang::En, "NOT CONFIRMED", "← the record gives 5", "← the record gives NOT ADOPTED"),
        (Lang::Ru, "НЕ ПОДТВЕРЖДЁН", "← по записи — 5", "← по записи — НЕ ПРИНЯТО"),
        (Lang::Kk, "РАСТАЛМАДЫ", "← жазба бойынша — 5", "← жазба бойынша — ҚАБЫЛДАНБАДЫ"),
    ] {
        let text = dauys::verify::report::text(&report, lang);
        assert!(text.contains(mark) && text.contains(gives) && text.contains(decision), "{text}");
        // Only the forged rows carry a note: two counts and one decision.
        assert_eq!(text.matches('←').count(), 3, "{text}");
    }
    // The failed check as an observer reads it, in each language: its line (what, where, what
    // was expected and found) and what it means, against the stored outputs in `tests/golden/`
    // (`DAUYS_BLESS=1` rewrites them; review the diff).
    // The seconds column varies from run to run.
    let mut timeless = verify(&dir, &Options::default()).unwrap();
    timeless.checks.iter_mut().for_each(|c| c.seconds = 0.0);
    for lang in [Lang::En, Lang::Kk, Lang::Ru] {
        let text = dauys::verify::report::text(&timeless, lang);
        let lines: Vec<&str> = text.lines().skip_while(|l| !l.trim_start().starts_with("5.4 ")).take(2).collect();
        let said = format!("{}\n{}\n", lines[0], lines[1]);
        let path = format!("{}/tests/golden/forged-count.{}.txt", env!("CARGO_MANIFEST_DIR"), dauys::locale::tag(lang));
        if std::env::var("DAUYS_BLESS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &said).unwrap();
        }
        assert_eq!(said, std::fs::read_to_string(&path).unwrap(), "{path}");
    }
    let json = dauys::verify::report::json(&report);
    let counts = &json["summary"]["recount"]["counts"];
    assert_eq!(counts[0]["option"], "yes");
    assert_eq!((counts[0]["published"].as_u64(), counts[0]["decrypted"].as_u64()), (Some(6), Some(5)));
    let outcome = &json["summary"]["recount"]["outcomes"][0];
    assert_eq!(
        (outcome["contest"].as_str(), outcome["recomputed"]["adopted"].as_bool()),
        (Some("referendum"), Some(false))
    );
    // The page shows the same: the mark, and what the record gives beside the forged values.
    let provenance = html::Provenance { files: &[], verifier: "dauys-verify", command: "dauys-verify RECORD" };
    let page = html::page(&report, Lang::En, &provenance);
    assert!(page.contains(r#"id="not-confirmed""#) && page.contains("← the record gives 5"), "{page}");
    assert!(page.contains("← the record gives NOT ADOPTED"), "{page}");
    // An honest record has nothing to show beside its values, and no mark.
    let honest = verify(&fixture().record, &Options::default()).unwrap();
    assert_eq!(honest.summary.recount, Default::default());
    assert!(!dauys::verify::report::text(&honest, Lang::En).contains("NOT CONFIRMED"));
}

/// `--html` writes one page: the verdict, every check with its explanation, the SHA-256 of the
/// record's files, nothing fetched and nothing run; labels from the record are escaped.
#[test]
fn the_html_report_is_one_self_contained_escaped_page() {
    use sha2::Digest;
    let f = fixture();
    let path = temp("page.html");
    let out = Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
        .args([f.record.to_str().unwrap(), "--lang", "ru", "--html", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains(r#"<html lang="ru">"#));
    assert!(page.contains(r#"<p class="verdict valid" id="verdict">ПОДТВЕРЖДЕНО: "#), "{page}");
    assert!(!page.contains("not-confirmed"));
    for c in Check::ALL {
        let row = format!(r#"<tr id="check-{}">"#, c.id());
        assert!(page.contains(&row), "{row}");
    }
    assert!(page.contains("Файлы записи полные"), "1.1's explanation, in Russian");
    for file in [record::HEADER_FILE, record::EVENTS_FILE, record::CHECKPOINTS_FILE] {
        let hash: String = sha2::Sha256::digest(std::fs::read(f.record.join(file)).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(page.contains(&format!("<td>{file}</td><td><code>{hash}</code>")), "{file}");
    }
    for outside in ["<script", "src=", "href=", "http://", "https://", "@import", "url("] {
        assert!(!page.contains(outside), "the page holds {outside}");
    }
    // A hostile manifest's labels stay text.
    let mut report = verify(&f.record, &Options::default()).unwrap();
    let manifest = report.summary.manifest.as_mut().unwrap();
    manifest.contests[0].options[0].label.ru = "<script>alert(1)</script>".into();
    manifest.title.ru = "</title><img src=x onerror=alert(1)>".into();
    let provenance = html::Provenance { files: &[], verifier: "v", command: "c'\"<" };
    let page = html::page(&report, Lang::Ru, &provenance);
    assert!(!page.contains("<script") && !page.contains("<img"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && page.contains("c&#39;&quot;&lt;"));
}

/// The errors of `value` against `schema`, for the subset of JSON Schema (2020-12) that
/// `specs/verifier-report.schema.json` uses: `type`, `enum`, `const`, `properties`,
/// `required`, `additionalProperties: false`, `items`, `oneOf`, `minimum`, `$ref` to `#/$defs/…`.
fn schema_errors(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
) -> Vec<String> {
    use serde_json::Value;
    let mut errors = Vec::new();
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/$defs/").expect("only local $defs");
        return schema_errors(root, &root["$defs"][name], value, at);
    }
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if let Some(t) = schema.get("type") {
        let allowed: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("type"),
        };
        let k = kind(value);
        if !(allowed.contains(&k) || k == "integer" && allowed.contains(&"number")) {
            errors.push(format!("{at}: {k}, not {allowed:?}"));
            return errors;
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} not in {options:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: {value}, not {c}"));
    }
    if let (Some(min), Some(x)) = (schema["minimum"].as_f64(), value.as_f64())
        && x < min
    {
        errors.push(format!("{at}: {x} below {min}"));
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let fits = options.iter().filter(|o| schema_errors(root, o, value, at).is_empty()).count();
        if fits != 1 {
            errors.push(format!("{at}: fits {fits} of oneOf, not exactly one"));
        }
    }
    if let Value::Object(fields) = value {
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !fields.contains_key(name) {
                errors.push(format!("{at}: no {name}"));
            }
        }
        for (name, v) in fields {
            match schema["properties"].get(name) {
                Some(sub) => errors.extend(schema_errors(root, sub, v, &format!("{at}.{name}"))),
                None if schema["additionalProperties"] == Value::Bool(false) => {
                    errors.push(format!("{at}: {name} is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            errors.extend(schema_errors(root, sub, v, &format!("{at}[{i}]")));
        }
    }
    errors
}

/// `--json` fits `specs/verifier-report.schema.json`: for a valid record, a forged result and
/// a record that stops before its tally; and the schema refuses what it should.
#[test]
fn the_json_report_fits_its_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/verifier-report.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let check = |v: &serde_json::Value| schema_errors(&schema, &schema, v, "$");
    let valid = dauys::verify::report::json(&verify(&fixture().record, &Options::default()).unwrap());
    assert_eq!(check(&valid), Vec::<String>::new());
    assert_eq!(valid["summary"]["result"]["contests"].as_array().unwrap().len(), 3);
    // The results for machines: keyed by ids, with labels, counts and percentages.
    let results = &valid["summary"]["results"];
    let yes = &results["contests"]["referendum"]["options"]["yes"];
    assert_eq!(yes["label"]["ru"], "Да", "{results}");
    assert!(yes["count"].is_u64() && yes["percent"].is_number(), "{results}");
    assert_eq!(results["ballots"], valid["summary"]["counted"]);
    let mut ev = events();
    if let Some(Event::Result(r)) = ev.last_mut() {
        r.contests[0].counts = vec![6, 4];
        r.contests[0].outcome = Outcome::Referendum { adopted: true };
    }
    let forged = dauys::verify::report::json(
        &verify(&write(&lines_of(&ev), true, &setup_fp(&ev)), &Options::default()).unwrap(),
    );
    assert_eq!(check(&forged), Vec::<String>::new());
    assert_eq!(forged["summary"]["recount"]["counts"].as_array().unwrap().len(), 2);
    // Each failure as fields: 5.4's two counts by contest and option id, expected and found.
    let i54 = forged["checks"].as_array().unwrap().iter().position(|c| c["id"] == "5.4").unwrap();
    let counts = &forged["checks"][i54];
    let failures = counts["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2, "{counts}");
    assert_eq!(failures[0]["code"], "fail-count");
    assert_eq!(failures[0]["item"]["contest"], "referendum");
    assert_eq!((failures[0]["found"].clone(), failures[0]["expected"].is_u64()), (serde_json::json!(6), true));
    // --lang changes the words only: the same fields, codes and numbers in Russian.
    let report = verify(&write(&lines_of(&ev), true, &setup_fp(&ev)), &Options::default()).unwrap();
    let ru = dauys::verify::report::json_in(&report, dauys::election::manifest::Lang::Ru);
    assert_eq!(check(&ru), Vec::<String>::new());
    let without_words = |mut v: serde_json::Value| {
        for c in v["checks"].as_array_mut().unwrap() {
            for field in ["name", "detail", "seconds"] {
                c[field] = serde_json::Value::Null;
            }
            for f in c["failures"].as_array_mut().unwrap() {
                f["message"] = serde_json::Value::Null;
            }
            for field in ["not_run", "note"] {
                if c[field].is_object() {
                    c[field]["message"] = serde_json::Value::Null;
                }
            }
        }
        v
    };
    assert_eq!(without_words(ru.clone()), without_words(forged.clone()));
    assert_ne!(ru["checks"][i54]["failures"][0]["message"], forged["checks"][i54]["failures"][0]["message"]);
    let codes = |v: &serde_json::Value| -> Vec<String> {
        let mut out = Vec::new();
        for c in v["checks"].as_array().unwrap() {
            for f in c["failures"].as_array().unwrap().iter().chain([&c["not_run"], &c["note"]]) {
                if let Some(code) = f["code"].as_str() {
                    out.push(code.to_string());
                }
            }
        }
        out
    };
    for code in codes(&forged) {
        assert!(dauys::locale::Words::of(dauys::election::manifest::Lang::Kk).has(&code), "{code}");
        assert!(["fail-", "skip-", "note-"].iter().any(|p| code.starts_with(p)), "{code}");
    }
    let open_only: Vec<Event> = events().into_iter().take_while(|e| !matches!(e, Event::Tally(_))).collect();
    let incomplete = dauys::verify::report::json(
        &verify(&write(&lines_of(&open_only), true, &setup_fp(&open_only)), &Options::default()).unwrap(),
    );
    assert_eq!(incomplete["verdict"], "incomplete");
    assert_eq!(check(&incomplete), Vec::<String>::new());
    // The schema is not empty: it refuses a wrong verdict, a missing field, an unknown one,
    // and an outcome of no known decision.
    let mut wrong = valid.clone();
    wrong["verdict"] = "probably".into();
    assert_eq!(check(&wrong).len(), 1);
    let mut wrong = valid.clone();
    wrong["summary"].as_object_mut().unwrap().remove("counted");
    assert_eq!(check(&wrong).len(), 1);
    let mut wrong = valid.clone();
    wrong["checks"][0]["hint"] = "x".into();
    assert_eq!(check(&wrong).len(), 1);
    let mut wrong = valid;
    wrong["summary"]["result"]["contests"][0]["outcome"] = serde_json::json!({"decision": "coin_toss"});
    assert!(!check(&wrong).is_empty());
    let mut wrong = forged;
    wrong["checks"][i54]["failures"][0].as_object_mut().unwrap().remove("code");
    assert_eq!(check(&wrong).len(), 1);
}

/// On exit 2, `--json` prints an error object that fits `specs/verifier-error.schema.json`,
/// naming the file to blame: a missing record, an option's file that is not JSON, and none
/// for a malformed option value.
#[test]
fn an_unreadable_record_gives_a_json_error() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/verifier-error.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = std::env::temp_dir().join(format!("dauys-json-error-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let receipt = dir.join("receipt.json");
    std::fs::write(&receipt, "not json").unwrap();
    let record = fixture().record.to_str().unwrap().to_string();
    let missing = dir.join("no-record");
    let cases: [(Vec<&str>, Option<std::path::PathBuf>); 3] = [
        (vec![missing.to_str().unwrap()], Some(missing.join("record.json"))),
        (vec![&record, "--receipt", receipt.to_str().unwrap()], Some(receipt.clone())),
        (vec![&record, "--witness", "zz"], None),
    ];
    for (args, file) in cases {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_dauys-verify")).args(&args).arg("--json").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object on stdout");
        assert_eq!(schema_errors(&schema, &schema, &json, "$"), Vec::<String>::new(), "{json}");
        let named = json["error"]["file"].as_str().map(std::path::PathBuf::from);
        assert_eq!(named, file, "{json}");
        let reason = json["error"]["reason"].as_str().unwrap();
        assert!(!reason.is_empty() && String::from_utf8_lossy(&out.stderr).contains(reason), "{json}");
    }
    // The schema is not empty: a report is not an error object.
    let report = dauys::verify::report::json(&verify(&fixture().record, &Options::default()).unwrap());
    assert!(!schema_errors(&schema, &schema, &report, "$").is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One dot per seat; each party's dots in its colour; parties from left to right.
#[test]
fn the_hemicycle_has_one_dot_per_seat() {
    let palette = ["#100000", "#200000", "#300000", "#400000", "#500000", "#600000"];
    for seats in [vec![1], vec![15, 8, 7], vec![69], vec![40, 30, 20, 10, 5, 3], vec![0, 2], vec![145], vec![1, 1]] {
        let allocation: Vec<(u32, &str)> = seats.iter().zip(palette).map(|(s, c)| (*s, c)).collect();
        let svg = html::hemicycle(&allocation);
        let total: u32 = seats.iter().sum();
        assert_eq!(svg.matches("<circle").count() as u32, total, "{seats:?}");
        for (s, c) in &allocation {
            assert_eq!(svg.matches(&format!(r#"fill="{c}""#)).count() as u32, *s, "{seats:?}");
        }
        // The leftmost dot is the first party with seats.
        let dots: Vec<(f64, &str)> = svg
            .split("<circle ")
            .skip(1)
            .map(|d| {
                let x = d.split(r#"cx=""#).nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
                (x, d.split(r#"fill=""#).nth(1).unwrap().split('"').next().unwrap())
            })
            .collect();
        let leftmost = dots.iter().min_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
        assert_eq!(leftmost.1, allocation.iter().find(|(s, _)| *s > 0).unwrap().1, "{seats:?}");
    }
    assert_eq!(html::hemicycle(&[]), "");
    // A forged result's billions of seats draw nothing (rather than billions of dots).
    assert_eq!(html::hemicycle(&[(u32::MAX, "#100000"), (u32::MAX, "#200000")]), "");
    assert_eq!(html::hemicycle(&[(1000, "#100000")]).matches("<circle").count(), 1000);
}

/// The page in a real browser (headless Chromium): printed to PDF, the verdict and a count are
/// on it in all three languages, and a forged record's page says NOT CONFIRMED. Needs chromium
/// and pdftotext, which the script installs with apt-get where it can.
#[test]
#[ignore]
fn the_html_report_prints_in_chromium() {
    let status = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/html-report-in-chromium.sh"))
        .arg(temp("chromium"))
        .status()
        .unwrap();
    assert!(status.success());
}

/// A log changed under the board's checkpoints is reported once, as the range of events where
/// it left what the board signed: not as a list of every checkpoint size after it.
#[test]
fn a_changed_log_is_reported_as_where_it_left_the_checkpoints() {
    let mut ev = events();
    let casts = cast_positions(&ev);
    let (p, q) = (casts[2], casts[3]);
    ev.swap(p, q);
    let dir = write(&lines_of(&ev), false, &setup_fp(&ev));
    let report = verify(&dir, &Options::default()).unwrap();
    let c = report.outcome(Check::CheckpointConsistency).unwrap();
    assert_eq!(c.failures.len(), 1, "{:?}", c.failures);
    let sizes: Vec<u64> = record::checkpoints(&fixture().record).unwrap().iter().map(|c| c.size).collect();
    let last = sizes.iter().copied().filter(|s| *s <= p as u64).max().unwrap_or(0);
    let first = sizes.iter().copied().filter(|s| *s > p as u64).min().unwrap();
    let later = sizes.iter().filter(|s| **s > first).count();
    let d = &c.failures[0].to_string();
    assert!(d.contains(&format!("its first {last} events match")), "{d}");
    assert!(d.contains(&format!("among events {last}–{}", first - 1)), "{d}");
    assert!(later == 0 || d.contains(&format!("{later} later checkpoint(s) do not match either")), "{d}");
}

/// The review of ballot styles (`/work/notes/styles-review.md`, finding 1): in an election of
/// one style, a board posts a tally whose contests are one voter's ciphertexts, with a turnout
/// field (which one style never has) equal to the ballots counted. Once 5.1 took the turnout's
/// branch it never compared the contests: the forgery passed, and the trustees would have
/// decrypted one voter's ballot. Each part of the tally is now compared on its own.
#[test]
fn a_turnout_field_does_not_hide_a_forged_tally() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Tally(_))).unwrap();
    ev.truncate(at + 1);
    let one = ev.iter().find_map(|e| if let Event::Cast(b) = e { Some(b.ciphertexts()) } else { None }).unwrap();
    let Event::Tally(t) = &mut ev[at] else { unreachable!() };
    // The turnout alone, then the contests alone, then both: each is caught.
    let honest = t.clone();
    for (turnout, forged) in [(true, false), (false, true), (true, true)] {
        let Event::Tally(t) = &mut ev[at] else { unreachable!() };
        *t = honest.clone();
        if turnout {
            t.turnout = vec![t.ballots];
        }
        if forged {
            t.contests = one.clone();
        }
        let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
        let report = verify(&dir, &Options::default()).unwrap();
        let failures: Vec<String> =
            report.outcome(Check::TallySum).unwrap().failures.iter().map(ToString::to_string).collect();
        assert_eq!(report.failed(), vec![Check::TallySum], "turnout {turnout}, forged {forged}: {failures:?}");
        assert_eq!(failures.iter().any(|f| f.contains("turnout")), turnout, "{failures:?}");
        assert_eq!(failures.iter().any(|f| f.contains("not the sum of the counted ballots")), forged, "{failures:?}");
        assert!(
            dauys::verify::before_decrypting::checked_tally(&dir, &Options::default()).is_err(),
            "trustees would decrypt it"
        );
    }
}

#[test]
fn a_seat_moved_between_parties() {
    let mut ev = events();
    if let Some(Event::Result(r)) = ev.last_mut()
        && let Outcome::Seats { seats, .. } = &mut r.contests[2].outcome
    {
        seats[0].seats -= 1;
        seats[1].seats += 1;
    }
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::Outcomes]);
}

#[test]
fn a_credential_not_in_the_list() {
    let mut ev = events();
    let params = params_of(&ev);
    let outsider = Credential::generate(&mut rand::rng()).key_pair(&params.manifest.election_id);
    let marks = vec![one_hot(2, 0), one_hot(5, 0), one_hot(9, 0)];
    let (ballot, _) = Ballot::encrypt(&params, &outsider, &marks, &mut rand::rng()).unwrap();
    let end = voting_end(&ev);
    ev.insert(end, Event::Cast(Box::new(ballot)));
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::BallotCredential]);
}

#[test]
fn a_credential_list_with_a_duplicate() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Open(_))).unwrap();
    if let Event::Open(o) = &mut ev[at] {
        let mut list: Vec<String> =
            o.credentials.as_ref().unwrap().iter().map(|c| dauys::crypto::group::to_hex(c)).collect();
        list[1] = list[0].clone();
        o.credentials = Some(serde_json::from_value(serde_json::to_value(&list).unwrap()).unwrap());
    }
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let f = failed(&dir);
    assert!(f.contains(&Check::CredentialList), "{f:?}");
    assert!(detail(&dir, Check::CredentialList).contains("same credential"));
}

#[test]
fn a_spoiled_ballot_counted() {
    // A voter's device challenges a ballot, then casts that same ballot.
    let mut ev = events();
    let params = params_of(&ev);
    let voter = &fixture().voters[4];
    let marks = vec![one_hot(2, 1), one_hot(5, 2), one_hot(9, 3)];
    let (ballot, secrets) = Ballot::encrypt(&params, voter, &marks, &mut rand::rng()).unwrap();
    let end = voting_end(&ev);
    ev.insert(end, Event::Cast(Box::new(ballot.clone())));
    insert_challenged(&mut ev, ballot.challenge(secrets));
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::SpoiledNotCast]);
}

#[test]
fn a_checkpoint_signature_broken() {
    let ev = events();
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let path = dir.join(record::CHECKPOINTS_FILE);
    let mut cps = record::checkpoints(&dir).unwrap();
    cps[0].signature.response += Scalar::ONE;
    std::fs::write(&path, cps.iter().map(|c| serde_json::to_string(c).unwrap() + "\n").collect::<String>()).unwrap();
    assert_eq!(failed(&dir), vec![Check::CheckpointSignatures]);
}

/// A record whose line `at` is replaced by `corrupt(line)` — a line the verifier cannot
/// accept — with tally, decryptions and result recomputed as if that ballot were absent, and
/// the checkpoints re-signed: only check 1.1 should catch it.
fn with_corrupt_line(at: usize, corrupt: impl Fn(&str) -> String) -> PathBuf {
    let ev = events();
    let mut out = lines_of(&ev);
    out[at] = corrupt(&out[at]);
    assert_ne!(out[at], lines_of(&ev)[at]);
    let mut without = ev.clone();
    without.remove(at);
    retally(&mut without);
    // The lots come from the log as written, the corrupt line included.
    let mut with = ev.clone();
    for k in at + 1..ev.len() {
        if matches!(ev[k], Event::Tally(_) | Event::Decryption(_) | Event::Result(_)) {
            with[k] = without[k - 1].clone();
        }
    }
    relot(&mut with, &out, &[]);
    let recomputed = lines_of(&with);
    for k in at + 1..out.len() {
        if matches!(ev[k], Event::Tally(_) | Event::Decryption(_) | Event::Result(_)) {
            out[k] = recomputed[k].clone();
        }
    }
    write(&out, true, &setup_fp(&ev))
}

#[test]
fn a_non_canonical_point_encoding() {
    let ev = events();
    let at = cast_positions(&ev)[6];
    let credential = match &ev[at] {
        Event::Cast(b) => b.credential.to_hex(),
        _ => panic!(),
    };
    // The credential as the RFC 9496 non-canonical encoding of a field element ≥ p.
    let dir = with_corrupt_line(at, |l| {
        l.replace(&credential, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
    });
    assert_eq!(failed(&dir), vec![Check::RecordWellFormed]);
    assert!(detail(&dir, Check::RecordWellFormed).contains(&format!("line {}", at + 1)));
    assert!(detail(&dir, Check::RecordWellFormed).contains("canonical encoding"));
}

#[test]
fn non_canonical_json_is_caught() {
    let ev = events();
    let at = cast_positions(&ev)[7];
    for corrupt in [
        |l: &str| l.replacen("{\"kind\"", "{ \"kind\"", 1),
        // The same keys in another order: it parses, but is not the canonical line.
        |l: &str| {
            let payload = l.strip_prefix("{\"kind\":\"cast\",\"payload\":").unwrap().strip_suffix('}').unwrap();
            format!("{{\"payload\":{payload},\"kind\":\"cast\"}}")
        },
    ] {
        let dir = with_corrupt_line(at, corrupt);
        assert_eq!(failed(&dir), vec![Check::RecordWellFormed]);
        assert!(detail(&dir, Check::RecordWellFormed).contains("not in canonical form"));
    }
}

#[test]
fn a_non_canonical_checkpoint_line() {
    let ev = events();
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let path = dir.join(record::CHECKPOINTS_FILE);
    let text = std::fs::read_to_string(&path).unwrap().replacen("{\"root\"", "{ \"root\"", 1);
    std::fs::write(&path, text).unwrap();
    assert_eq!(failed(&dir), vec![Check::RecordWellFormed]);
    assert!(detail(&dir, Check::RecordWellFormed).contains("checkpoints.jsonl line 1"));
}

#[test]
fn checkpoints_out_of_order() {
    let ev = events();
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let path = dir.join(record::CHECKPOINTS_FILE);
    let mut lines: Vec<String> = std::fs::read_to_string(&path).unwrap().lines().map(str::to_string).collect();
    lines.swap(0, 1);
    std::fs::write(&path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    assert_eq!(failed(&dir), vec![Check::CheckpointConsistency]);
    std::fs::write(&path, "").unwrap();
    assert_eq!(failed(&dir), vec![Check::CheckpointConsistency]);
}

#[test]
fn a_complaint_without_evidence() {
    let mut ev = events();
    let open = ev.iter().position(|e| matches!(e, Event::Ready(_))).unwrap();
    let bare = dauys::crypto::threshold::dkg::Complaint {
        dealer: 1,
        proof: None,
        recipient: 2,
        shared: dauys::crypto::group::Element::generator(),
        signature: None,
    };
    ev.insert(open, Event::Complaint(bare));
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::Dealings]);
    assert!(detail(&dir, Check::Dealings).contains("no evidence"));
}

#[test]
fn unreadable_input_exits_2() {
    let f = fixture();
    let ev = events();
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    // Truncated events file: the last line is cut.
    let events_path = dir.join(record::EVENTS_FILE);
    let text = std::fs::read_to_string(&events_path).unwrap();
    std::fs::write(&events_path, &text[..text.len() - 10]).unwrap();
    assert_eq!(dauys_verify(&[dir.to_str().unwrap()]), 2);
    // An unknown version.
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let header =
        std::fs::read_to_string(dir.join(record::HEADER_FILE)).unwrap().replace("\"version\":1", "\"version\":2");
    std::fs::write(dir.join(record::HEADER_FILE), header).unwrap();
    assert_eq!(dauys_verify(&[dir.to_str().unwrap()]), 2);
    // Not JSON, and no record at all.
    std::fs::write(dir.join(record::HEADER_FILE), "not json").unwrap();
    assert_eq!(dauys_verify(&[dir.to_str().unwrap()]), 2);
    assert_eq!(dauys_verify(&["/nonexistent/record"]), 2);
    assert_eq!(dauys_verify(&[f.record.to_str().unwrap(), "--receipt", "/nonexistent"]), 2);
}

#[test]
fn json_report_and_languages() {
    let f = fixture();
    let out =
        Command::new(env!("CARGO_BIN_EXE_dauys-verify")).args([f.record.to_str().unwrap(), "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["checks"].as_array().unwrap().len(), Check::ALL.len());
    assert!(v["checks"].as_array().unwrap().iter().all(|c| c["id"].is_string() && c["passed"] == true));
    for (lang, word) in [("kk", "РАСТАЛДЫ:"), ("ru", "ПОДТВЕРЖДЕНО:"), ("en", "VALID:")] {
        let out = Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
            .args([f.record.to_str().unwrap(), "--lang", lang])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        // The verdict is the line after the election's title.
        assert!(text.lines().nth(1).is_some_and(|l| l.starts_with(word)), "{lang}: {text}");
    }
}

#[test]
fn observer_checkpoints_and_forks() {
    let f = fixture();
    let ev = events();
    let cps = record::checkpoints(&f.record).unwrap();
    let saved = temp("cp.json");
    std::fs::write(&saved, serde_json::to_string(&cps[cps.len() / 2]).unwrap()).unwrap();
    assert_eq!(dauys_verify(&[f.record.to_str().unwrap(), "--checkpoint", saved.to_str().unwrap()]), 0);
    // The board showed this observer another history: a checkpoint over a log with one ballot
    // fewer, signed by the same board.
    let mut forked = ev.clone();
    forked.remove(cast_positions(&ev)[0]);
    let mut tree = Tree::new();
    for l in lines_of(&forked) {
        tree.push(leaf_hash(l.as_bytes()));
    }
    let size = cps[cps.len() / 2].size;
    let fork = Checkpoint::sign(&setup_fp(&ev), &f.board, size, tree.root(size).unwrap(), &mut rand::rng());
    std::fs::write(&saved, serde_json::to_string(&fork).unwrap()).unwrap();
    let opts = Options { checkpoint: Some(fork), ..Default::default() };
    assert_eq!(verify(&f.record, &opts).unwrap().failed(), vec![Check::ObserverCheckpoint]);
    assert_eq!(dauys_verify(&[f.record.to_str().unwrap(), "--checkpoint", saved.to_str().unwrap()]), 1);
}

#[test]
fn receipts_counted_superseded_or_absent() {
    let f = fixture();
    let ev = events();
    let lines = lines_of(&ev);
    let mut tree = Tree::new();
    for l in &lines {
        tree.push(leaf_hash(l.as_bytes()));
    }
    let cps = record::checkpoints(&f.record).unwrap();
    let receipt_for = |index: usize| {
        let cp = cps.iter().find(|c| c.size as usize > index).unwrap().clone();
        dauys::log::checkpoint::Receipt {
            inclusion: tree.inclusion_proof(index as u64, cp.size).unwrap(),
            leaf_hash: *tree.leaf(index as u64).unwrap(),
            index: index as u64,
            checkpoint: cp,
        }
    };
    let casts = cast_positions(&ev);
    // Voter 1 re-voted: the earlier ballot comes first in the log.
    let voter1 = f.voters[1].public;
    let of_voter1: Vec<usize> =
        casts.iter().copied().filter(|&i| matches!(&ev[i], Event::Cast(b) if b.credential == voter1)).collect();
    assert_eq!(of_voter1.len(), 2);
    for (index, expect) in [(of_voter1[1], "counted"), (of_voter1[0], "superseded")] {
        let opts = Options { receipt: Some(receipt_for(index)), ..Default::default() };
        let report = verify(&f.record, &opts).unwrap();
        assert!(report.valid());
        assert!(report.outcome(Check::Receipt).unwrap().detail().contains(expect));
    }
    // A receipt whose leaf is not what the log holds there.
    let mut wrong = receipt_for(casts[0]);
    wrong.leaf_hash = *tree.leaf(casts[1] as u64).unwrap();
    let opts = Options { receipt: Some(wrong), ..Default::default() };
    assert_eq!(verify(&f.record, &opts).unwrap().failed(), vec![Check::Receipt]);
}

fn report_of(dir: &Path) -> dauys::verify::Report {
    verify(dir, &Options::default()).unwrap()
}

/// A check's outcome, with its reason for not running in English.
#[derive(Debug, PartialEq)]
enum Status {
    Passed,
    Failed,
    NotRun(String),
}

fn status(report: &dauys::verify::Report, check: Check) -> Status {
    match report.outcome(check).unwrap().status() {
        dauys::verify::checks::Status::Passed => Status::Passed,
        dauys::verify::checks::Status::Failed => Status::Failed,
        dauys::verify::checks::Status::NotRun(why) => Status::NotRun(why.to_string()),
    }
}

/// Runs `dauys-verify` and waits at most a minute: (exit status, stdout, stderr). A verifier
/// that blocks (on a FIFO, say) fails the test instead of hanging it.
fn run_verifier(args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out, &mut text).unwrap();
        text
    });
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut err, &mut text).unwrap();
            return (status.code().unwrap_or(-1), reader.join().unwrap(), text);
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("dauys-verify {args:?} did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// (exit status, stderr) of `dauys-verify`, within a minute.
fn dauys_verify_within(args: &[&str]) -> (i32, String) {
    let (code, _, err) = run_verifier(args);
    (code, err)
}

/// Every check that needs a valid manifest.
const NEED_MANIFEST: [Check; 18] = [
    Check::TransportKeys,
    Check::Dealings,
    Check::JointKey,
    Check::BallotElection,
    Check::BallotCredential,
    Check::BallotSignature,
    Check::OptionProofs,
    Check::SumProofs,
    Check::NoDuplicates,
    Check::RevotePolicy,
    Check::Openings,
    Check::SpoiledNotCast,
    Check::TallySum,
    Check::DecryptionProofs,
    Check::DecryptionQuorum,
    Check::Counts,
    Check::Outcomes,
    Check::ResultComplete,
];

#[test]
fn an_invalid_manifest_stops_what_depends_on_it_without_a_panic() {
    // Each of these made a later check panic (exit 101) before.
    type Change = fn(&mut Manifest);
    let cases: [(&str, Change); 6] = [
        ("a threshold above the trustee count", |m| m.trustees.threshold = m.trustees.count + 1),
        ("a referendum of one option", |m| m.contests[0].options.truncate(1)),
        ("a majority contest whose only option is against-all", |m| {
            let against_all = m.contests[1].options.pop().unwrap();
            assert!(against_all.against_all);
            m.contests[1].options = vec![against_all];
        }),
        ("a party list without seats", |m| m.contests[2].seats = None),
        ("a ballot style with a contest the manifest does not have", |m| {
            let mut contests: Vec<String> = m.contests.iter().map(|c| c.id.clone()).collect();
            contests.push("d-31".into());
            m.ballot_styles = Some(vec![BallotStyle { contests, id: "all".into(), precincts: vec![] }]);
        }),
        ("a district that contains itself", |m| {
            m.districts = Some(vec![District {
                id: "kz".into(),
                kind: DistrictKind::Region,
                parent: Some("kz".into()),
                title: Label::same("kz"),
            }]);
            m.contests.iter_mut().for_each(|c| c.district = Some("kz".into()));
        }),
    ];
    for (what, change) in cases {
        let mut ev = events();
        let Event::Setup(s) = &mut ev[0] else { panic!() };
        change(&mut s.manifest);
        assert!(s.manifest.validate().is_err(), "{what}");
        // The board signs the log with the broken manifest in it.
        let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
        let report = report_of(&dir);
        assert_eq!(report.failed(), vec![Check::Setup], "{what}");
        for c in NEED_MANIFEST {
            assert_eq!(
                status(&report, c),
                Status::NotRun("the manifest is invalid (1.2 failed)".into()),
                "{what}: {}",
                c.id()
            );
        }
        for c in [Check::RecordWellFormed, Check::CredentialList, Check::EventOrder, Check::FinalRoot] {
            assert_eq!(status(&report, c), Status::Passed, "{what}: {}", c.id());
        }
        assert_eq!(report.verdict(), Verdict::Invalid);
        assert_eq!(dauys_verify_within(&[dir.to_str().unwrap()]).0, 1, "{what}");
    }
}

#[test]
fn a_record_without_a_setup() {
    let f = fixture();
    let ev = events();
    // An empty log: nothing to verify, and no setup to verify it against.
    let dir = write(&[], true, &setup_fp(&ev));
    let report = report_of(&dir);
    assert_eq!(report.failed(), vec![Check::Setup]);
    assert!(detail(&dir, Check::Setup).contains("no setup event"));
    assert_eq!(status(&report, Check::CheckpointSignatures), Status::NotRun("no setup event, so no board key".into()));
    // The setup line is not well formed (its board key not a canonical encoding): 1.1 names
    // it, 1.2 cannot run; its kind still takes its place in the order (2.1 passes).
    let mut lines = lines_of(&ev);
    let Event::Setup(s) = &ev[0] else { panic!() };
    lines[0] = lines[0].replacen(&s.board_key.to_hex(), &"ff".repeat(32), 1);
    let dir = write(&lines, true, &setup_fp(&ev));
    let report = report_of(&dir);
    assert_eq!(report.failed(), vec![Check::RecordWellFormed]);
    assert_eq!(status(&report, Check::Setup), Status::NotRun("no well-formed setup event (1.1 failed)".into()));
    assert!(report.not_run().contains(&Check::BallotSignature));
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert!(f.record.exists());
}

/// The fixture's log cut after its first `len` events, signed by the board (an export taken
/// while the election was under way).
fn prefix(len: usize) -> PathBuf {
    let ev = events();
    write(&lines_of(&ev[..len]), true, &setup_fp(&ev))
}

#[test]
fn an_unfinished_record_is_incomplete_not_invalid() {
    let ev = events();
    let position = |p: fn(&Event) -> bool| ev.iter().position(p).unwrap();
    let open = position(|e| matches!(e, Event::Open(_)));
    let close = position(|e| matches!(e, Event::Close));
    let tally = position(|e| matches!(e, Event::Tally(_)));
    let cases: [(usize, Check, String); 5] = [
        (open, Check::JointKey, format!("voting has not opened (the record stops at event {})", open - 1)),
        (close - 2, Check::TallySum, format!("voting has not closed (the record stops at event {})", close - 3)),
        (close + 1, Check::TallySum, format!("no tally yet (the record stops at event {close})")),
        (tally + 1, Check::DecryptionProofs, format!("no decryption yet (the record stops at event {tally})")),
        (
            tally + 3,
            Check::DecryptionQuorum,
            format!(
                "2 key trustee(s) with valid decryptions, the threshold is 3; no result yet (the record stops at event {})",
                tally + 2
            ),
        ),
    ];
    for (len, check, why) in cases {
        let dir = prefix(len);
        let report = report_of(&dir);
        assert_eq!(report.failed(), vec![], "cut at {len}");
        assert_eq!(status(&report, check), Status::NotRun(why), "cut at {len}");
        assert!(report.not_run().contains(&Check::ResultComplete), "cut at {len}");
        assert_eq!(report.verdict(), Verdict::Incomplete, "cut at {len}");
        let (code, text, _) = run_verifier(&[dir.to_str().unwrap()]);
        assert_eq!(code, 3, "cut at {len}");
        assert!(text.contains(&format!("INCOMPLETE: everything up to event {} checks out", len - 1)), "{text}");
        assert!(text.contains("NOT RUN"), "{text}");
    }
    // With three decryptions the quorum is there; the counts and outcomes wait for the result.
    let report = report_of(&prefix(tally + 4));
    assert_eq!(status(&report, Check::DecryptionQuorum), Status::Passed);
    assert_eq!(report.not_run(), vec![Check::Counts, Check::Outcomes, Check::ResultComplete]);
    // JSON: the outcome of each check, and the verdict.
    let out = Command::new(env!("CARGO_BIN_EXE_dauys-verify"))
        .args([prefix(close).to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "incomplete");
    assert_eq!(v["valid"], false);
    let outcome = |id: &str| v["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["outcome"].clone();
    assert_eq!(outcome("3.4"), "passed");
    assert_eq!(outcome("6.2"), "not_run");
}

#[test]
fn a_ceremony_cut_short_is_still_checked() {
    // Found by the fuzzer (seed 22, case 2680): a record that stops during the ceremony, with a
    // transport key whose trustee number was changed (so its proof fails), was incomplete.
    let ev = events();
    let mut cut: Vec<Event> = ev[..3].to_vec();
    let Event::TransportKey(k) = &mut cut[2] else { panic!() };
    k.trustee = 3;
    let dir = write(&lines_of(&cut), true, &setup_fp(&ev));
    let report = report_of(&dir);
    assert_eq!(report.failed(), vec![Check::TransportKeys]);
    assert!(
        detail(&dir, Check::TransportKeys)
            .contains("trustee 3's transport key: its proof of knowledge does not verify")
    );
    assert_eq!(report.verdict(), Verdict::Invalid);
    // A dealing with a changed commitment, before voting opened: 1.4 fails.
    let open = ev.iter().position(|e| matches!(e, Event::Open(_))).unwrap();
    let mut cut: Vec<Event> = ev[..open].to_vec();
    let at = cut.iter().position(|e| matches!(e, Event::Dealing(_))).unwrap();
    let Event::Dealing(d) = &mut cut[at] else { panic!() };
    d.commitments[1] = dauys::crypto::group::Element::generator();
    let dir = write(&lines_of(&cut), true, &setup_fp(&ev));
    // The ready events after it are bound to the joint key it no longer gives: 1.7 fails too.
    assert_eq!(failed(&dir), vec![Check::Dealings, Check::KeyShares]);
    // Intact, it is incomplete.
    assert_eq!(report_of(&prefix(open)).verdict(), Verdict::Incomplete);
}

#[test]
fn a_failure_wins_over_what_is_missing() {
    // Exported while voting is open, and a ballot duplicated in it: not valid (exit 1).
    let mut ev = events();
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    ev.truncate(close);
    let dup = ev[cast_positions(&ev)[3]].clone();
    // Cast before the challenged ballots, which come in one run just before close.
    let at = ev.iter().position(|e| matches!(e, Event::Spoiled(_))).unwrap_or(ev.len());
    ev.insert(at, dup);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    let report = report_of(&dir);
    assert_eq!(report.failed(), vec![Check::NoDuplicates]);
    assert!(report.not_run().contains(&Check::TallySum));
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert_eq!(dauys_verify_within(&[dir.to_str().unwrap()]).0, 1);
}

#[cfg(unix)]
#[test]
fn record_files_must_be_regular_files() {
    let f = fixture();
    let ev = events();
    let copy = || write(&lines_of(&ev), false, &setup_fp(&ev));
    let witness = SecretScalar::random(&mut rand::rng()).public().to_hex();
    // A FIFO used to block forever; /dev/zero was read whole (4 GiB) before failing.
    let fifo = |p: &Path| {
        let path = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    };
    let zero = |p: &Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap();
    let dir_at = |p: &Path| std::fs::create_dir(p).unwrap();
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make, bool); 7] = [
        (record::EVENTS_FILE, &fifo, false),
        (record::EVENTS_FILE, &zero, false),
        (record::EVENTS_FILE, &dir_at, false),
        (record::HEADER_FILE, &zero, false),
        (record::HEADER_FILE, &fifo, false),
        (record::CHECKPOINTS_FILE, &zero, false),
        (record::COSIGNATURES_FILE, &zero, true),
    ];
    for (file, make, with_witness) in cases {
        let dir = copy();
        let _ = std::fs::remove_file(dir.join(file));
        make(&dir.join(file));
        let mut args = vec![dir.to_str().unwrap()];
        if with_witness {
            args.extend(["--witness", &witness]);
        }
        let (code, err) = dauys_verify_within(&args);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(err.contains(file) && err.contains("regular file"), "{file}: {err}");
    }
    // The options' files too.
    let dir = temp("fifo-receipt");
    fifo(&dir);
    let (code, err) = dauys_verify_within(&[f.record.to_str().unwrap(), "--receipt", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn every_line_fits_the_bound_of_its_kind() {
    let ev = events();
    let params = params_of(&ev);
    let bounds = dauys::log::bounds::LineBounds::for_manifest(&params.manifest)
        .with_credentials(params.credential_count() as u64, u64::from(params.manifest.trustees.count));
    let none = dauys::log::bounds::LineBounds::without_manifest();
    // The figure of `specs/record.md` §10.2.
    assert_eq!(bounds.cast, 12_017);
    for line in lines_of(&ev) {
        let kind = dauys::log::event::kind_of_line(line.as_bytes());
        assert!(kind.is_some(), "{line}");
        let bound = bounds.of(kind);
        assert!(line.len() as u64 <= bound, "{kind:?}: {} > {bound}", line.len());
        assert!(bound <= none.of(kind) || kind == Some("open"), "{kind:?}");
        // A cast line holds no integer: its length is exactly what the shape gives.
        if kind == Some("cast") {
            assert_eq!(line.len() as u64, bound);
        }
    }
}

#[test]
fn an_over_long_line_is_refused_before_it_is_parsed() {
    let ev = events();
    let at = cast_positions(&ev)[5];
    let dir = with_corrupt_line(at, |l| {
        l.replacen("\"credential\":\"", &format!("\"credential\":\"{}", "0".repeat(200_000)), 1)
    });
    assert_eq!(failed(&dir), vec![Check::RecordWellFormed]);
    let d = detail(&dir, Check::RecordWellFormed);
    assert!(d.contains(&format!("line {}: ", at + 1)) && d.contains("longer than a cast event can be"), "{d}");
    // A line that does not begin as an event does, and is long: not parsed either.
    let dir = with_corrupt_line(at, |_| format!("[{}]", "1,".repeat(100_000) + "1"));
    let d = detail(&dir, Check::RecordWellFormed);
    assert!(d.contains("do not begin as an event does"), "{d}");
}

#[test]
fn a_million_option_manifest_is_refused_cheaply() {
    // Its setup line (51 MB) is longer than any manifest the limits allow: hashed, not parsed.
    let ev = events();
    let Event::Setup(s) = &ev[0] else { panic!() };
    let mut lines = lines_of(&ev);
    let option = r#"{"id":"o","label":{"en":"","kk":"","ru":""}},"#;
    let head = format!(
        r#"{{"kind":"setup","payload":{{"board_key":"{}","manifest":{{"contests":[{{"id":"c","kind":"plurality","options":["#,
        s.board_key.to_hex()
    );
    lines[0] = format!(
        "{head}{}{}",
        option.repeat(1_000_000),
        r#"{"id":"p","label":{"en":"","kk":"","ru":""}}],"title":{"en":"","kk":"","ru":""}}],"election_id":"x","revote":"refused","title":{"en":"","kk":"","ru":""},"trustees":{"count":5,"threshold":3},"version":1}}}"#
    );
    assert!(lines[0].len() > 45_000_000);
    let dir = write(&lines, true, &setup_fp(&ev));
    let report = report_of(&dir);
    assert!(report.failed().contains(&Check::RecordWellFormed));
    assert!(
        detail(&dir, Check::RecordWellFormed).contains("line 1: ")
            && detail(&dir, Check::RecordWellFormed).contains("longer than a setup event can be")
    );
    assert_eq!(status(&report, Check::Setup), Status::NotRun("no well-formed setup event (1.1 failed)".into()));
    held_to_the_memory_bound(&dir);
}

/// Runs `dauys-verify` on `dir` in a child process whose address space is limited to the
/// memory bound of `specs/verifier.md` §2 for this record, plus the program's own
/// (code, stacks, allocator): it must finish with a verdict (exit 0 to 3), not abort.
#[cfg(unix)]
fn held_to_the_memory_bound(dir: &Path) {
    use std::os::unix::process::CommandExt;
    let workload = dauys::verify::bound::Workload::of_record(dir).unwrap();
    let limit = dauys::verify::bound::memory_bound(&workload) + PROGRAM;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dauys-verify"));
    cmd.args([dir.to_str().unwrap(), "--json", "--threads", "2"]).env("MALLOC_ARENA_MAX", "2");
    unsafe {
        cmd.pre_exec(move || {
            let rl = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_AS, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=3)),
        "{workload:?} under {limit} bytes: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(not(unix))]
fn held_to_the_memory_bound(_: &Path) {}

/// Address space of the program itself beyond its heap: code, thread stacks, allocator arenas.
const PROGRAM: u64 = 256 << 20;

#[cfg(unix)]
#[test]
fn hostile_records_stay_under_the_memory_bound() {
    let ev = events();
    let lines = lines_of(&ev);
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    // Six lines of 4 MB each, of five kinds and none (the issue's were 40 MB: the same path).
    let mut hostile = lines.clone();
    let big = "0".repeat(4 << 20);
    for (k, kind) in ["cast", "spoiled", "result", "cast", "tally", "unknown"].iter().enumerate() {
        let line = if *kind == "unknown" {
            format!("[\"{big}\"]")
        } else {
            format!(r#"{{"kind":"{kind}","payload":"{big}"}}"#)
        };
        hostile.insert(close - 1 + k, line);
    }
    let dir = write(&hostile, true, &setup_fp(&ev));
    assert_eq!(report_of(&dir).verdict(), Verdict::Invalid);
    held_to_the_memory_bound(&dir);
    // A result with four million counts in one line (each 2 bytes in the line, 8 in memory).
    let mut counts = lines.clone();
    let last = counts.len() - 1;
    counts[last] = format!(
        r#"{{"kind":"result","payload":{{"ballots":10,"contests":[{{"counts":[{}0],"id":"x","outcome":null}}]}}}}"#,
        "0,".repeat(4_000_000)
    );
    let dir = write(&counts, true, &setup_fp(&ev));
    held_to_the_memory_bound(&dir);
    // The valid record itself.
    held_to_the_memory_bound(&fixture().record);
}

#[test]
fn size_zero_checkpoints_have_the_empty_root() {
    let f = fixture();
    let ev = events();
    let fp = setup_fp(&ev);
    let empty = dauys::log::merkle::empty_root();
    let mut rng = rand::rng();
    let zero = |root| Checkpoint::sign(&fp, &f.board, 0, root, &mut rand::rng());
    for (root, ok) in [([7u8; 32], false), (empty, true)] {
        // In checkpoints.jsonl (2.4).
        let dir = write(&lines_of(&ev), true, &fp);
        let path = dir.join(record::CHECKPOINTS_FILE);
        let text = serde_json::to_string(&zero(root)).unwrap() + "\n" + &std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text).unwrap();
        assert_eq!(failed(&dir), if ok { vec![] } else { vec![Check::CheckpointConsistency] });
        // An observer's (7.1).
        let opts = Options { checkpoint: Some(zero(root)), ..Default::default() };
        assert_eq!(
            verify(&f.record, &opts).unwrap().failed(),
            if ok { vec![] } else { vec![Check::ObserverCheckpoint] }
        );
        // A witness's co-signature (7.3).
        let witness = SecretScalar::random(&mut rng);
        let board_key = f.board.public();
        let c = dauys::log::checkpoint::Cosignature::sign(&fp, &board_key, &witness, &zero(root), &mut rng);
        let dir = write(&lines_of(&ev), true, &fp);
        std::fs::write(dir.join(record::COSIGNATURES_FILE), serde_json::to_string(&c).unwrap() + "\n").unwrap();
        let opts = Options { witnesses: vec![witness.public()], ..Default::default() };
        assert_eq!(verify(&dir, &opts).unwrap().failed(), if ok { vec![] } else { vec![Check::Witnesses] });
    }
}

/// A receipt for entry `index` of the record in `dir`, under its final checkpoint.
fn receipt_in(dir: &Path, index: usize) -> dauys::log::checkpoint::Receipt {
    let mut tree = Tree::new();
    for l in record::events(dir).unwrap() {
        tree.push(leaf_hash(l.unwrap().1.as_bytes()));
    }
    let cp = record::read_header(dir).unwrap().checkpoint;
    dauys::log::checkpoint::Receipt {
        inclusion: tree.inclusion_proof(index as u64, cp.size).unwrap(),
        leaf_hash: *tree.leaf(index as u64).unwrap(),
        index: index as u64,
        checkpoint: cp,
    }
}

#[test]
fn receipts_of_refused_ballots_say_so() {
    let mut ev = events();
    let params = params_of(&ev);
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    let marks = vec![one_hot(2, 0), one_hot(5, 0), one_hot(9, 0)];
    let mut rng = rand::rng();
    // Three ballots the board should have refused: an unlisted credential, another
    // election, a contest missing.
    let outsider = Credential::generate(&mut rng).key_pair(&params.manifest.election_id);
    let (stranger, _) = Ballot::encrypt(&params, &outsider, &marks, &mut rng).unwrap();
    let voter = &fixture().voters[7];
    let (mut elsewhere, _) = Ballot::encrypt(&params, voter, &marks, &mut rng).unwrap();
    elsewhere.election = dauys::crypto::group::Fingerprint([9; 32]);
    resign_ballot(&mut elsewhere, voter, &params);
    let (mut short, _) = Ballot::encrypt(&params, &fixture().voters[8], &marks, &mut rng).unwrap();
    short.contests.pop();
    resign_ballot(&mut short, &fixture().voters[8], &params);
    for b in [short, elsewhere, stranger] {
        ev.insert(close, Event::Cast(Box::new(b)));
    }
    retally(&mut ev);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    for (at, why) in [
        (close, "credential is not in the list (3.2)"),
        (close + 1, "another election (3.1)"),
        (close + 2, "its style \"all\" has 3 (referendum, president, mazhilis) (3.8)"),
    ] {
        let opts = Options { receipt: Some(receipt_in(&dir, at)), ..Default::default() };
        let report = verify(&dir, &opts).unwrap();
        assert_eq!(status(&report, Check::Receipt), Status::Failed, "{why}");
        let d = report.outcome(Check::Receipt).unwrap().detail();
        assert!(d.contains("refused and is not counted") && d.contains(why), "{d}");
    }
}

#[test]
fn a_receipt_of_a_second_ballot_under_refused_says_refused() {
    // An election that refuses re-votes, whose board accepted a second ballot anyway.
    let mut rng = rand::rng();
    let dir = temp("refused");
    let mut manifest = Manifest::from_json(NATIONAL_MANIFEST).unwrap();
    manifest.revote = dauys::election::manifest::RevotePolicy::Refused;
    manifest.trustees = dauys::election::manifest::TrusteeCount { count: 2, identities: vec![], threshold: 1 };
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..2).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let plans: Vec<VoterPlan> = voters
        .iter()
        .map(|v| VoterPlan {
            key: v.clone(),
            marks: vec![one_hot(2, 0), one_hot(5, 1), one_hot(9, 2)],
            earlier: None,
            challenge: false,
        })
        .collect();
    election.vote(&plans, &mut rng, |_| {}).unwrap();
    let params = election.params().clone();
    election.close(&mut rng).unwrap();
    election.tally(&[1], &mut rng).unwrap();
    election.board.export(&dir.join("record")).unwrap();
    let key = std::fs::read_to_string(dir.join("board.key")).unwrap();
    let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", key.trim()).unwrap()).unwrap());
    let mut ev: Vec<Event> =
        record::events(&dir.join("record")).unwrap().map(|l| serde_json::from_str(&l.unwrap().1).unwrap()).collect();
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    let (second, _) =
        Ballot::encrypt(&params, &voters[0], &[one_hot(2, 1), one_hot(5, 0), one_hot(9, 0)], &mut rng).unwrap();
    ev.insert(close, Event::Cast(Box::new(second)));
    // The first ballot counts, so tally and result stay as they were.
    let out = write_for(&dir.join("record"), &board, &lines_of(&ev), true, &setup_fp(&ev));
    let opts = Options { receipt: Some(receipt_in(&out, close)), ..Default::default() };
    let report = verify(&out, &opts).unwrap();
    assert_eq!(report.failed(), vec![Check::RevotePolicy, Check::Receipt]);
    let d = report.outcome(Check::Receipt).unwrap().detail();
    assert!(d.contains("refused and is not counted") && d.contains("refuses re-votes"), "{d}");
    // The first ballot's receipt: counted.
    let first = ev.iter().position(|e| matches!(e, Event::Cast(b) if b.credential == voters[0].public)).unwrap();
    let opts = Options { receipt: Some(receipt_in(&out, first)), ..Default::default() };
    assert!(verify(&out, &opts).unwrap().outcome(Check::Receipt).unwrap().detail().contains("counted"));
}

/// Inserts a challenged ballot into the run before close, at its place in digest order.
fn insert_challenged(ev: &mut Vec<Event>, spoiled: dauys::election::ballot::SpoiledBallot) {
    let close = ev.iter().position(|e| matches!(e, Event::Close)).unwrap();
    let digest = spoiled.ciphertext_digest();
    let at = (voting_end(ev)..close)
        .find(|&i| matches!(&ev[i], Event::Spoiled(s) if s.ciphertext_digest() > digest))
        .unwrap_or(close);
    ev.insert(at, Event::Spoiled(Box::new(spoiled)));
}

#[test]
fn two_trustees_with_the_same_transport_key() {
    // One party holds seats 1 and 3: seat 3 publishes seat 1's key, proved for seat 3.
    let mut ev = events();
    let setup = setup_fp(&ev);
    let one: serde_json::Value = serde_json::from_str(&fixture().trustees[0]).unwrap();
    let e1 = dauys::crypto::group::scalar_from_hex("t", one["transport"].as_str().unwrap()).unwrap();
    let seat3 = dauys::crypto::threshold::dkg::TransportSecret::from_secret(3, SecretScalar::new(e1));
    let at = ev.iter().position(|e| matches!(e, Event::TransportKey(k) if k.trustee == 3)).unwrap();
    ev[at] = Event::TransportKey(seat3.publish(&setup, &trustee_secret(2, "identity"), &mut rand::rng()));
    let dir = write(&lines_of(&ev), true, &setup);
    let f = failed(&dir);
    assert!(f.contains(&Check::TransportKeys), "{f:?}");
    assert!(detail(&dir, Check::TransportKeys).contains("trustees 1 and 3 published the same transport key"));
}

#[test]
fn two_dealings_with_the_same_commitment() {
    // Seat 2's dealing replaced by one of a polynomial with seat 1's constant term (its holder
    // knows it), properly proved.
    let mut ev = events();
    let setup = setup_fp(&ev);
    let one: serde_json::Value = serde_json::from_str(&fixture().trustees[0]).unwrap();
    let a0 = dauys::crypto::group::scalar_from_hex("a", one["polynomial"][0].as_str().unwrap()).unwrap();
    let mut rng = rand::rng();
    let coefficients = vec![SecretScalar::new(a0), SecretScalar::random(&mut rng), SecretScalar::random(&mut rng)];
    let keys: Vec<_> =
        ev.iter().filter_map(|e| if let Event::TransportKey(k) = e { Some(k.clone()) } else { None }).collect();
    let copy =
        dauys::crypto::threshold::dkg::Polynomial::from_coefficients(coefficients).deal(&setup, 2, &keys, &mut rng);
    let at = ev.iter().position(|e| matches!(e, Event::Dealing(d) if d.dealer == 2)).unwrap();
    ev[at] = Event::Dealing(copy);
    let dir = write(&lines_of(&ev), true, &setup);
    assert!(failed(&dir).contains(&Check::Dealings));
    assert!(detail(&dir, Check::Dealings).contains("dealers 1 and 2 published the same coefficient commitment"));
}

#[test]
fn a_share_whose_ephemeral_is_another_dealers() {
    // Dealer 2's share to trustee 3 takes dealer 1's ephemeral and proof (the attack of the
    // review); the board re-signs.
    let mut ev = events();
    let setup = setup_fp(&ev);
    let d1 = ev.iter().find_map(|e| if let Event::Dealing(d) = e { (d.dealer == 1).then(|| d.clone()) } else { None });
    let d1 = d1.unwrap();
    let at = ev.iter().position(|e| matches!(e, Event::Dealing(d) if d.dealer == 2)).unwrap();
    if let Event::Dealing(d) = &mut ev[at] {
        d.shares[2].ephemeral = d1.shares[2].ephemeral;
        d.shares[2].proof = d1.shares[2].proof;
    }
    let dir = write(&lines_of(&ev), true, &setup);
    assert!(failed(&dir).contains(&Check::Dealings));
    let d = detail(&dir, Check::Dealings);
    assert!(d.contains("dealer 2") && d.contains("ephemeral proof(s) of the shares to trustee(s) [3]"), "{d}");
}

#[test]
fn a_ready_proof_that_does_not_verify() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Ready(r) if r.trustee == 4)).unwrap();
    if let Event::Ready(r) = &mut ev[at] {
        r.proof.response += Scalar::ONE;
    }
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::KeyShares]);
    let d = detail(&dir, Check::KeyShares);
    assert!(d.contains("trustee 4's ready event") && d.contains("does not verify"), "{d}");
}

#[test]
fn fewer_than_t_trustees_ready_at_open() {
    // Only trustees 1 and 2 of 5 ready (t = 3), opened "with a quorum"; trustees 3–5 still
    // decrypt, revealing nothing. Everything else is recomputed.
    let mut ev = events();
    ev.retain(|e| !matches!(e, Event::Ready(r) if r.trustee > 2));
    for e in ev.iter_mut() {
        if let Event::Open(o) = e {
            o.quorum = true;
        }
    }
    retally(&mut ev);
    for e in ev.iter_mut() {
        if let Event::Decryption(d) = e
            && d.trustee > 2
        {
            d.lot_seed = None;
            resign(d);
        }
    }
    let decryptions: Vec<TrusteeDecryption> =
        ev.iter().filter_map(|e| if let Event::Decryption(d) = e { Some(d.clone()) } else { None }).collect();
    let lots = lots_of(&ev, &decryptions);
    let params = params_of(&ev);
    let tally = ev.iter().find_map(|e| if let Event::Tally(t) = e { Some(t.clone()) } else { None }).unwrap();
    let result = decrypt_result(&params, &tally, &decryptions[..3], &lots).unwrap();
    *ev.last_mut().unwrap() = Event::Result(result);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::KeyShares, Check::Outcomes]);
    assert!(
        detail(&dir, Check::KeyShares).contains("only 2 key trustee(s) ready"),
        "{}",
        detail(&dir, Check::KeyShares)
    );
    assert!(detail(&dir, Check::Outcomes).contains("only 2 decryption(s) reveal"), "{}", detail(&dir, Check::Outcomes));
    // And without the quorum flag, even t ready trustees are not enough.
    let mut ev = events();
    ev.retain(|e| !matches!(e, Event::Ready(r) if r.trustee == 5));
    retally(&mut ev);
    for e in ev.iter_mut() {
        if let Event::Decryption(d) = e
            && d.trustee == 5
        {
            d.lot_seed = None;
            resign(d);
        }
    }
    let decryptions: Vec<TrusteeDecryption> =
        ev.iter().filter_map(|e| if let Event::Decryption(d) = e { Some(d.clone()) } else { None }).collect();
    let result =
        decrypt_result(&params_of(&ev), &tally_of(&ev), &decryptions[..3], &lots_of(&ev, &decryptions)).unwrap();
    *ev.last_mut().unwrap() = Event::Result(result);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::KeyShares]);
    assert!(detail(&dir, Check::KeyShares).contains("key trustee 5 has no ready event"));
}

fn tally_of(ev: &[Event]) -> dauys::election::tally::EncryptedTally {
    ev.iter().find_map(|e| if let Event::Tally(t) = e { Some(t.clone()) } else { None }).unwrap()
}

#[test]
fn a_revealed_lot_seed_that_is_not_the_committed_one() {
    let mut ev = events();
    let at = ev.iter().position(|e| matches!(e, Event::Decryption(d) if d.trustee == 2)).unwrap();
    if let Event::Decryption(d) = &mut ev[at] {
        d.lot_seed = Some([0x42; 32]);
        resign(d);
    }
    // The tallier recomputes the outcomes with the lots this reveal gives.
    let decryptions: Vec<TrusteeDecryption> =
        ev.iter().filter_map(|e| if let Event::Decryption(d) = e { Some(d.clone()) } else { None }).collect();
    let result =
        decrypt_result(&params_of(&ev), &tally_of(&ev), &decryptions[..3], &lots_of(&ev, &decryptions)).unwrap();
    *ev.last_mut().unwrap() = Event::Result(result);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert_eq!(failed(&dir), vec![Check::Outcomes]);
    assert!(detail(&dir, Check::Outcomes).contains("trustee 2's decryption"), "{}", detail(&dir, Check::Outcomes));
}

#[test]
fn challenged_ballots_out_of_order_or_before_a_cast() {
    let ev = events();
    let params = params_of(&ev);
    let mut rng = rand::rng();
    // Two more challenged ballots: published in ascending digest order they pass; swapped, or
    // one of them right after its voter's cast ballot (where it could be linked to it), not.
    let marks = vec![one_hot(2, 0), one_hot(5, 1), one_hot(9, 2)];
    let challenged: Vec<_> = (0..2)
        .map(|i| {
            let (b, s) = Ballot::encrypt(&params, &fixture().voters[i], &marks, &mut rng).unwrap();
            b.challenge(s)
        })
        .collect();
    let mut sorted = ev.clone();
    for c in &challenged {
        insert_challenged(&mut sorted, c.clone());
    }
    let start = voting_end(&sorted);
    let dir = write(&lines_of(&sorted), true, &setup_fp(&sorted));
    assert!(failed(&dir).iter().all(|c| *c == Check::Outcomes), "{:?}", failed(&dir));
    let mut swapped = sorted.clone();
    swapped.swap(start, start + 1);
    let dir = write(&lines_of(&swapped), true, &setup_fp(&swapped));
    assert!(failed(&dir).contains(&Check::EventOrder), "{:?}", failed(&dir));
    assert!(detail(&dir, Check::EventOrder).contains("ascending order of ciphertext digests"));
    let mut early = sorted.clone();
    let moved = early.remove(start);
    let first_cast = cast_positions(&early)[0];
    early.insert(first_cast, moved);
    let dir = write(&lines_of(&early), true, &setup_fp(&early));
    assert!(failed(&dir).contains(&Check::EventOrder), "{:?}", failed(&dir));
    assert!(detail(&dir, Check::EventOrder).contains("a cast event is not allowed once the challenged ballots"));
}

/// A small election whose contest is all ties: twelve candidates, ten winners, nobody votes
/// for any of them (three voters vote against all). Every winner is decided by lot.
fn all_ties_record() -> (PathBuf, Vec<Event>) {
    let opt = |id: String| format!(r#"{{"id":"{id}","label":{{"en":"{id}","kk":"{id}","ru":"{id}"}}}}"#);
    let options: Vec<String> = (0..12).map(|i| opt(format!("c{i}"))).collect();
    let against = r#"{"against_all":true,"id":"none","label":{"en":"n","kk":"n","ru":"n"}}"#;
    let manifest = Manifest::from_json(&format!(
        r#"{{"version":1,"election_id":"ties","title":{{"en":"T","kk":"T","ru":"T"}},"trustees":{{"count":3,"threshold":2}},
        "revote":"last_counts","contests":[{{"id":"council","kind":"plurality","winners":10,
        "title":{{"en":"T","kk":"T","ru":"T"}},"options":[{},{against}]}}]}}"#,
        options.join(",")
    ))
    .unwrap();
    let mut rng = rand::rng();
    let dir = temp("ties");
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).unwrap();
    let voters: Vec<KeyPair> = (0..3).map(|_| Credential::generate(&mut rng).key_pair("ties")).collect();
    election.open(CredentialList::new(voters.iter().map(|v| v.public).collect()).unwrap(), &mut rng).unwrap();
    let marks = vec![(0..13).map(|i| u64::from(i == 12)).collect::<Vec<u64>>()];
    let plans: Vec<VoterPlan> = voters
        .into_iter()
        .map(|key| VoterPlan { key, marks: marks.clone(), earlier: None, challenge: false })
        .collect();
    election.vote(&plans, &mut rng, |_| {}).unwrap();
    election.close(&mut rng).unwrap();
    election.tally(&[1, 2, 3], &mut rng).unwrap();
    let record = dir.join("record");
    election.board.export(&record).unwrap();
    let events = record::events(&record).unwrap().map(|l| serde_json::from_str(&l.unwrap().1).unwrap()).collect();
    (record, events)
}

#[test]
fn ties_broken_with_the_old_seed() {
    // Before: lots were seeded by F_e, fixed when voting opened. A result whose ties were
    // broken that way now fails 6.1: the seed includes the root at close and the reveals.
    let (record, mut ev) = all_ties_record();
    assert!(verify(&record, &Options::default()).unwrap().valid());
    let params = params_of(&ev);
    let Some(Event::Result(r)) = ev.last_mut() else { panic!() };
    let old =
        dauys::election::counting::outcome(&params.manifest.contests[0], &r.contests[0].counts, &params.fingerprint)
            .unwrap();
    assert_ne!(old, r.contests[0].outcome, "ten winners of twelve by lot: the seeds disagree");
    r.contests[0].outcome = old;
    let manifest = params.manifest.clone();
    let board_key = std::fs::read_to_string(record.parent().unwrap().join("board.key")).unwrap();
    let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", board_key.trim()).unwrap()).unwrap());
    let dir = write_signed(&lines_of(&ev), &manifest.setup_fingerprint(), &board);
    assert_eq!(failed(&dir), vec![Check::Outcomes]);
}

#[test]
fn lots_are_seeded_by_every_valid_reveal_not_only_the_decryptions_used() {
    // t = 2 of 3, and all three trustees decrypt: the counts use the two lowest-numbered
    // decryptions (5.4), the lots every valid reveal (record.md §8.1). A tallier (or verifier)
    // that seeds the lots with the reveals of the decryptions it uses gets other winners.
    let (record, mut ev) = all_ties_record();
    assert!(verify(&record, &Options::default()).unwrap().valid());
    let decryptions: Vec<TrusteeDecryption> =
        ev.iter().filter_map(|e| if let Event::Decryption(d) = e { Some(d.clone()) } else { None }).collect();
    assert_eq!(decryptions.len(), 3);
    assert!(decryptions.iter().all(|d| d.lot_seed.is_some()));
    let params = params_of(&ev);
    let (all, used_only) = (lots_of(&ev, &decryptions), lots_of(&ev, &decryptions[..2]));
    let Some(Event::Result(r)) = ev.last_mut() else { panic!() };
    let contest = &params.manifest.contests[0];
    assert_eq!(
        dauys::election::counting::outcome(contest, &r.contests[0].counts, &all).unwrap(),
        r.contests[0].outcome
    );
    let narrow = dauys::election::counting::outcome(contest, &r.contests[0].counts, &used_only).unwrap();
    assert_ne!(narrow, r.contests[0].outcome, "ten winners of twelve by lot: the seeds disagree");
    r.contests[0].outcome = narrow;
    let board_key = std::fs::read_to_string(record.parent().unwrap().join("board.key")).unwrap();
    let board = SecretScalar::new(scalar_from_bytes("k", hex32("k", board_key.trim()).unwrap()).unwrap());
    let dir = write_signed(&lines_of(&ev), &params.manifest.setup_fingerprint(), &board);
    assert_eq!(failed(&dir), vec![Check::Outcomes]);
}

/// Writes a record of `lines` signed by `board` (one checkpoint, the header's).
fn write_signed(lines: &[String], setup: &dauys::crypto::group::Fingerprint, board: &SecretScalar) -> PathBuf {
    let dir = temp("signed");
    resigned::write(&dir, lines, setup, board, &[]);
    dir
}

#[test]
fn a_trustee_shown_a_forked_log_refuses_given_a_checkpoint_it_saw() {
    use dauys::verify::before_decrypting::checked_tally;
    // The board shows the trustees a log without one voter's ballot, re-signed, its tally the
    // honest sum of that log: internally consistent, so only a checkpoint seen during voting
    // (7.1) or a witness (7.3) tells it from the voters' log.
    let f = fixture();
    let mut ev = events();
    let at = cast_positions(&ev)[0];
    ev.remove(at);
    retally(&mut ev);
    let tally = ev.iter().position(|e| matches!(e, Event::Tally(_))).unwrap();
    ev.truncate(tally + 1);
    let dir = write(&lines_of(&ev), true, &setup_fp(&ev));
    assert!(checked_tally(&dir, &Options::default()).is_ok(), "a fork alone is consistent");
    let seen = record::checkpoints(&f.record).unwrap().into_iter().find(|c| c.size as usize > at).unwrap();
    let err = checked_tally(&dir, &Options { checkpoint: Some(seen), ..Default::default() }).err().unwrap();
    assert!(err.contains("check 7.1"), "{err}");
    // And a tally that is not the sum is refused without any option.
    let mut forged = events();
    let tally = forged.iter().position(|e| matches!(e, Event::Tally(_))).unwrap();
    forged.truncate(tally + 1);
    let one = forged.iter().find_map(|e| if let Event::Cast(b) = e { Some(b.ciphertexts()) } else { None }).unwrap();
    if let Event::Tally(t) = &mut forged[tally] {
        t.contests = one;
    }
    let dir = write(&lines_of(&forged), true, &setup_fp(&forged));
    let err = checked_tally(&dir, &Options::default()).err().unwrap();
    assert!(err.contains("check 5.1") && err.contains("not the sum"), "{err}");
    // One line per contest, by its title, with the count of wrong options and the first.
    let report = verify(&dir, &Options::default()).unwrap();
    let failures = &report.outcome(Check::TallySum).unwrap().failures;
    assert_eq!(failures.len(), 3, "{failures:?}");
    let said = failures[2].to_string();
    assert!(
        said.starts_with(r#"contest "Mazhilis, party lists" (mazhilis): the encrypted totals of 9 options"#)
            && said.ends_with(r#"(the first: "Party A")"#),
        "{failures:?}"
    );
    // For machines: the contest and the first option by id, the count of options apart.
    let j = failures[2].json(dauys::election::manifest::Lang::Ru);
    assert_eq!(j["code"], "fail-tally-options");
    assert_eq!(j["item"]["contest"], "mazhilis");
    assert_eq!(j["item"]["options"], 9);
}

/// Every trustee event is signed by its seat (`specs/protocol.md` §7.8): the transport key by
/// the identity key the manifest names, the dealing, complaint, ready and decryption by the
/// seat's transport key. Each of trustee 2's events, in turn: signed by a stranger (the board),
/// by another seat's key, with the signature of another of trustee 2's events, or not at all.
/// The board re-signs its checkpoints; the check that covers the event fails.
#[test]
fn trustee_events_signed_by_another_than_their_seat() {
    let mut rng = rand::rng();
    let mut ev = events();
    let setup = setup_fp(&ev);
    let stranger = SecretScalar::random(&mut rng);
    // A complaint by trustee 2 about dealer 1 with true evidence (dismissed: the share is
    // good), so that the record has a complaint to tamper with.
    let d1 = ev.iter().find_map(|e| if let Event::Dealing(d) = e { (d.dealer == 1).then(|| d.clone()) } else { None });
    let share = d1.unwrap().shares[1].clone();
    let e2 = trustee_secret(1, "transport");
    let shared = dauys::crypto::group::Element::from_point(e2.expose() * share.ephemeral.point());
    let t = transcript::complaint(&setup, 1, 2, &share.ephemeral, &e2.public(), &shared);
    let proof = dauys::crypto::dleq::ChaumPedersenProof::prove(t, share.ephemeral.point(), &e2, &mut rng);
    let complaint = dauys::crypto::threshold::dkg::Complaint {
        dealer: 1,
        proof: Some(proof),
        recipient: 2,
        shared,
        signature: None,
    }
    .sign(&setup, &e2, &mut rng);
    let first_ready = ev.iter().position(|e| matches!(e, Event::Ready(_))).unwrap();
    ev.insert(first_ready, Event::Complaint(complaint));
    relot_events(&mut ev, &[]);
    let dir = write(&lines_of(&ev), true, &setup);
    assert!(failed(&dir).is_empty(), "with trustee 2's signed complaint the record is valid: {:?}", failed(&dir));

    let find = |ev: &[Event], kind: &str| {
        ev.iter()
            .position(|e| {
                e.kind() == kind
                    && match e {
                        Event::TransportKey(k) => k.trustee == 2,
                        Event::Dealing(d) => d.dealer == 2,
                        Event::Complaint(c) => c.recipient == 2,
                        Event::Ready(r) => r.trustee == 2,
                        Event::Decryption(d) => d.trustee == 2,
                        _ => false,
                    }
            })
            .unwrap()
    };
    let signature_of = |ev: &[Event], kind: &str| match &ev[find(ev, kind)] {
        Event::Dealing(d) => d.signature,
        Event::Ready(r) => r.signature,
        _ => unreachable!(),
    };
    // (kind, the check, the kind whose signature of trustee 2's is moved onto it)
    let cases = [
        ("dealing", Check::Dealings, "ready"),
        ("complaint", Check::Dealings, "dealing"),
        ("ready", Check::KeyShares, "dealing"),
        ("decryption", Check::DecryptionProofs, "ready"),
    ];
    let seat3 = trustee_secret(2, "transport");
    for (kind, check, other) in cases {
        let at = find(&ev, kind);
        let moved = signature_of(&ev, other);
        for how in ["a stranger's key", "seat 3's transport key", "another event's signature", "none"] {
            let mut tampered = ev.clone();
            fn redo<T: SeatSigned>(
                e: &mut T,
                how: &str,
                setup: &dauys::crypto::group::Fingerprint,
                keys: [&SecretScalar; 2],
                moved: Option<SchnorrProof>,
            ) {
                *e = match how {
                    "a stranger's key" => e.clone().sign(setup, keys[0], &mut rand::rng()),
                    "seat 3's transport key" => e.clone().sign(setup, keys[1], &mut rand::rng()),
                    "another event's signature" => {
                        *e.signature_mut() = moved;
                        e.clone()
                    }
                    _ => {
                        *e.signature_mut() = None;
                        e.clone()
                    }
                };
            }
            let keys = [&stranger, &seat3];
            match &mut tampered[at] {
                Event::Dealing(d) => redo(d, how, &setup, keys, moved),
                Event::Complaint(c) => redo(c, how, &setup, keys, moved),
                Event::Ready(r) => redo(r, how, &setup, keys, moved),
                Event::Decryption(d) => redo(d, how, &setup, keys, moved),
                _ => unreachable!(),
            }
            let dir = write(&lines_of(&tampered), true, &setup);
            let f = failed(&dir);
            assert!(f.contains(&check), "trustee 2's {kind} signed with {how}: {f:?}");
            let d = detail(&dir, check);
            assert!(d.contains("signature") || d.contains("signed"), "trustee 2's {kind} signed with {how}: {d}");
        }
    }

    // The transport key: signed by another identity key, by seat 3's, a signature of trustee 2
    // over another transport key, none.
    let at = find(&ev, "transport_key");
    let identity2 = trustee_secret(1, "identity");
    let Event::TransportKey(key) = &ev[at] else { unreachable!() };
    let other_key =
        dauys::crypto::threshold::dkg::TransportSecret::generate(2, &mut rng).publish(&setup, &identity2, &mut rng);
    let resign_with = |identity: &SecretScalar| {
        let t = transcript::transport_key_signature(&setup, 2, &key.key, &identity.public());
        Some(SchnorrProof::prove(t, identity, &mut rand::rng()))
    };
    for (how, signature) in [
        ("a stranger's identity key", resign_with(&stranger)),
        ("seat 3's identity key", resign_with(&trustee_secret(2, "identity"))),
        ("the signature of another transport key", other_key.signature),
        ("none", None),
    ] {
        let mut tampered = ev.clone();
        if let Event::TransportKey(k) = &mut tampered[at] {
            k.signature = signature;
        }
        relot_events(&mut tampered, &[]);
        let dir = write(&lines_of(&tampered), true, &setup);
        assert_eq!(failed(&dir), vec![Check::TransportKeys], "trustee 2's transport key signed with {how}");
        assert!(detail(&dir, Check::TransportKeys).contains("trustee 2's transport key"), "{how}");
    }
}
