//! Districts and ballot styles as a user runs them: the mixed 2023 Mazhilis through
//! `dauys demo --manifest` and `dauys simulate` (the library entry points the commands call),
//! the Kurultai's 145 seats through `simulate`; each record verified as `dauys-verify` does.

use std::path::{Path, PathBuf};

use dauys::election::counting::Outcome;
use dauys::election::manifest::{ContestKind, Manifest};
use dauys::election::tally::ElectionResult;
use dauys::log::event::Event;
use dauys::verify::{Options, verify};
use rand::RngExt;

const MAZHILIS_2023: &str = include_str!("../specs/examples/mazhilis-2023-manifest.json");
const KURULTAI: &str = include_str!("../specs/examples/kurultai-manifest.json");

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dauys-districts-{name}-{}-{}", std::process::id(), rand::rng().random::<u32>()))
}

fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/examples").join(file)
}

fn assert_valid(record: &Path) {
    let report = verify(record, &Options::default()).unwrap();
    assert!(report.valid(), "the record does not verify: {:?}", report.failed());
}

/// The result event of a record (its last event).
fn posted_result(record: &Path) -> ElectionResult {
    let events = std::fs::read_to_string(record.join(dauys::log::record::EVENTS_FILE)).unwrap();
    match serde_json::from_str::<Event>(events.lines().last().unwrap()).unwrap() {
        Event::Result(result) => result,
        other => panic!("the last event is not the result: {other:?}"),
    }
}

/// The Mazhilis result: 69 list seats, and one winner per single-member district (29), a
/// candidate, never "against all".
fn assert_mazhilis_result(manifest: &Manifest, result: &ElectionResult) {
    let mut list_seats = 0;
    let mut winners = 0;
    for (contest, r) in manifest.contests.iter().zip(&result.contests) {
        match (&contest.kind, &r.outcome) {
            (ContestKind::PartyList, Outcome::Seats { seats, .. }) => {
                list_seats += seats.iter().map(|s| s.seats).sum::<u32>();
            }
            (ContestKind::Plurality, Outcome::Winners { winners: w }) => {
                assert_eq!(w.len(), 1, "{}: {w:?}", contest.id);
                let option = contest.options.iter().find(|o| o.id == w[0]).unwrap();
                assert!(!option.against_all, "{}: against all won", contest.id);
                winners += 1;
            }
            other => panic!("{}: unexpected {other:?}", contest.id),
        }
    }
    assert_eq!((list_seats, winners), (69, 29));
}

#[test]
fn the_mixed_mazhilis_runs_from_demo_manifest_and_verifies() {
    let manifest = Manifest::from_json(MAZHILIS_2023).unwrap();
    assert_eq!(manifest.styles().len(), 29);
    let dir = temp("demo");
    let mut out = Vec::new();
    // 60 voters over 29 styles: two or three in each district.
    let run = dauys::demo::run_manifest(&dir, manifest.clone(), 60, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("equal the plaintext choices"), "{text}");
    assert_eq!(run.styles, 29);
    assert_eq!(run.turnout.len(), 29);
    assert!(run.turnout.iter().all(|&n| n >= 2), "a district without voters: {:?}", run.turnout);
    assert_eq!(run.turnout.iter().sum::<u64>(), 60);
    assert_mazhilis_result(&manifest, &run.result);
    // The table groups the contests by district, each with its ballots.
    let national = text.find("Republic of Kazakhstan — ballots counted: 60").expect("the national group");
    let d29 = format!("Single-member district No. 29 — ballots counted: {}", run.turnout[28]);
    assert!(text.find(&d29).is_some_and(|at| at > national), "{text}");
    assert_valid(&run.record);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The votes of the Mazhilis simulation: in district `d` (1 to 29), `d % 3 + 1` ballots for
/// candidate-b and one against all; the list's marks as many in all.
fn mazhilis_votes(manifest: &Manifest) -> serde_json::Value {
    let mut votes = serde_json::Map::new();
    let mut ballots = 0;
    for (d, contest) in manifest.contests.iter().filter(|c| c.kind == ContestKind::Plurality).enumerate() {
        let b = (d + 1) % 3 + 1;
        ballots += b + 1;
        votes.insert(contest.id.clone(), serde_json::json!({"candidate-b": b, "against-all": 1}));
    }
    let list = manifest.contests.iter().find(|c| c.kind == ContestKind::PartyList).unwrap();
    votes.insert(list.id.clone(), serde_json::json!({"party-a": ballots - 20, "party-b": 12, "against-all": 8}));
    serde_json::Value::Object(votes)
}

#[test]
fn the_mixed_mazhilis_runs_from_simulate_with_a_votes_file_per_contest() {
    let manifest = Manifest::from_json(MAZHILIS_2023).unwrap();
    let root = temp("simulate");
    std::fs::create_dir_all(&root).unwrap();
    let votes = root.join("votes.json");
    std::fs::write(&votes, mazhilis_votes(&manifest).to_string()).unwrap();
    let json = root.join("result.json");
    // Re-votes (an earlier ballot of the voter's own style), challenges and abstainers too.
    let options = dauys::simulate::Options {
        seed: Some(3),
        revote: 0.3,
        challenge: 0.2,
        abstention: 0.1,
        json: Some(json.clone()),
        ..Default::default()
    };
    let mut out = Vec::new();
    let simulated =
        dauys::simulate::run(&example("mazhilis-2023-manifest.json"), &votes, &root.join("e"), &options, &mut out)
            .unwrap();
    assert_eq!(simulated.counted, 88);
    assert!(simulated.revoted > 0 && simulated.challenged > 0 && simulated.registered > 88, "{simulated:?}");
    assert_valid(&simulated.record);
    let result: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // The result's data: each contest's district and ballots, the turnout per style.
    let turnout = result["turnout"].as_object().unwrap();
    assert_eq!(turnout.len(), 29);
    assert_eq!(turnout["d01"], 3, "district 1: 2 for candidate-b, 1 against all");
    assert_eq!(turnout["d02"], 4);
    let d02 = &result["contests"]["district-02"];
    assert_eq!((d02["district"].as_str(), d02["ballots"].as_u64()), (Some("d02"), Some(4)));
    // A district's shares are of its own ballots: 3 of 4.
    assert_eq!(d02["options"]["candidate-b"]["percent"], 75.0);
    assert_eq!(result["contests"]["party-list"]["ballots"], 88);
    // The posted result, from the record.
    assert_mazhilis_result(&manifest, &posted_result(&simulated.record));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_kurultai_allocates_145_seats_from_simulate() {
    let manifest = Manifest::from_json(KURULTAI).unwrap();
    let root = temp("kurultai");
    std::fs::create_dir_all(&root).unwrap();
    let votes = root.join("votes.json");
    // 200 ballots: party-e (4 %) and against all stay under the 5 % threshold.
    let counts = r#"{"kurultai":{"party-a":90,"party-b":50,"party-c":30,"party-d":14,"party-e":8,"against-all":8}}"#;
    std::fs::write(&votes, counts).unwrap();
    let options = dauys::simulate::Options { seed: Some(145), ..Default::default() };
    let mut out = Vec::new();
    let simulated =
        dauys::simulate::run(&example("kurultai-manifest.json"), &votes, &root.join("e"), &options, &mut out).unwrap();
    assert_valid(&simulated.record);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("equal the votes file"), "{text}");
    let result = posted_result(&simulated.record);
    let Outcome::Seats { passed, seats } = &result.contests[0].outcome else { panic!("{:?}", result.contests[0]) };
    assert_eq!(passed, &["party-a", "party-b", "party-c", "party-d"]);
    assert_eq!(seats.iter().map(|s| s.seats).sum::<u32>(), 145);
    assert_eq!(manifest.contests[0].seats, Some(145));
    std::fs::remove_dir_all(&root).unwrap();
}
