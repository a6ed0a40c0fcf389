//! Ballot styles at the same size (issue 14): verifying and tallying a record of 30 ballot
//! styles against a record of one style whose ballots have the same shape and number. Each
//! ballot carries the national party list (8 options) and one single-member district contest
//! (5 options, against-all included); with 30 styles each district is a style of its own and
//! its voters are a thirtieth of the record, with one style there is one district. So the two
//! records differ only in what styles cost: one credential list and base per style, the style
//! check (3.8), per-contest tallies over the ballots that carry them and the turnout per style.
//! Target: 30 styles within 1.1× of one style per ballot. `BENCHMARKS.md` has the results.
//!
//! * `styles_verify`: `dauys-verify`'s whole pass over each record, one thread.
//! * `styles_tally`: the homomorphic tally (`TallyAccumulator`) of the same ballots: the
//!   additions (per ballot) and the encoding of the sums at the end (per contest).

use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use dauys::election::ballot::Ballot;
use dauys::election::credential::{Credential, CredentialList};
use dauys::election::manifest::Manifest;
use dauys::election::params::ElectionParams;
use dauys::runner::{LocalElection, VoterPlan};
use rand::RngExt;
use serde_json::{Value, json};

mod common;

/// Ballots in each record: 40 per style of the 30.
const BALLOTS: usize = 1_200;
const STYLES: usize = 30;

const MAZHILIS_2023: &str = include_str!("../specs/examples/mazhilis-2023-manifest.json");

fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool")
}

/// The 2023 Mazhilis example's national list and its first district contest (5 options), the
/// district repeated `styles` times, one style each (one style is listed too: its contests are
/// in two districts).
fn manifest(styles: usize) -> Manifest {
    let example: Value = serde_json::from_str(MAZHILIS_2023).expect("the example manifest");
    let (national, district) = (&example["districts"][0], &example["districts"][1]);
    let (list, contest) = (&example["contests"][0], &example["contests"][1]);
    let mut m = example.clone();
    let (mut districts, mut contests, mut ballot_styles) = (vec![national.clone()], vec![list.clone()], vec![]);
    for s in 1..=styles {
        let (d, c) = (format!("d{s:02}"), format!("district-{s:02}"));
        let mut district = district.clone();
        district["id"] = json!(d);
        districts.push(district);
        let mut contest = contest.clone();
        (contest["id"], contest["district"]) = (json!(c), json!(d));
        contests.push(contest);
        ballot_styles.push(json!({"contests": ["party-list", c], "id": d, "precincts": [format!("P{s:02}")]}));
    }
    (m["districts"], m["contests"], m["ballot_styles"]) = (json!(districts), json!(contests), json!(ballot_styles));
    Manifest::from_json(&m.to_string()).expect("a valid manifest")
}

/// One mark per contest of the style, at random.
fn random_marks(manifest: &Manifest, style: usize) -> Vec<Vec<u64>> {
    let mut rng = rand::rng();
    manifest.styles()[style]
        .contests
        .iter()
        .map(|&c| {
            let options = manifest.contests[c].options.len();
            let mut marks = vec![0; options];
            marks[rng.random_range(0..options)] = 1;
            marks
        })
        .collect()
}

struct Recorded {
    record: PathBuf,
    ballots: Vec<(usize, Ballot)>,
    params: ElectionParams,
}

/// A whole election of [`BALLOTS`] voters spread evenly over the manifest's styles, tallied
/// and exported.
fn recorded(manifest: &Manifest) -> Recorded {
    let styles = manifest.styles().len();
    let dir = std::env::temp_dir().join(format!("dauys-bench-styles-{styles}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut rng = rand::rng();
    let keys: Vec<_> = (0..BALLOTS).map(|_| Credential::generate(&mut rng).key_pair(&manifest.election_id)).collect();
    let style_of = |i: usize| i % styles;
    let lists: Vec<CredentialList> = (0..styles)
        .map(|s| {
            let list = keys.iter().enumerate().filter(|(i, _)| style_of(*i) == s).map(|(_, k)| k.public).collect();
            CredentialList::new(list).expect("distinct credentials")
        })
        .collect();
    let mut election = LocalElection::setup(&dir, manifest.clone(), &mut rng).expect("setup");
    match styles {
        1 => election.open(lists.into_iter().next().expect("one list"), &mut rng),
        _ => election.open_styles(lists, &mut rng),
    }
    .expect("open");
    let plans: Vec<VoterPlan> = keys
        .into_iter()
        .enumerate()
        .map(|(i, key)| VoterPlan { key, marks: random_marks(manifest, style_of(i)), earlier: None, challenge: false })
        .collect();
    let record = common::cast_tally_export(&mut election, &plans, &dir);
    let params = election.params().clone();
    let ballots = election
        .board
        .cast_ballots()
        .expect("ballots")
        .into_iter()
        .map(|(_, b)| (b.style_in(&params.manifest).expect("a style").index, b))
        .collect();
    Recorded { record, ballots, params }
}

fn bench_styles(c: &mut Criterion) {
    let pool = one_thread();
    let records: Vec<(String, Recorded)> = [1, STYLES]
        .into_iter()
        .map(|styles| {
            let fixture = recorded(&manifest(styles));
            let report = pool.install(|| dauys::verify::verify(&fixture.record, &Default::default()));
            assert!(report.expect("readable").valid(), "the {styles}-style record verifies");
            (format!("{styles}_styles"), fixture)
        })
        .collect();

    let mut g = c.benchmark_group("styles_verify");
    g.sample_size(10).sampling_mode(SamplingMode::Flat).throughput(Throughput::Elements(BALLOTS as u64));
    for (name, fixture) in &records {
        g.bench_function(BenchmarkId::new(name.as_str(), BALLOTS), |b| {
            b.iter(|| pool.install(|| dauys::verify::verify(&fixture.record, &Default::default()).expect("readable")))
        });
    }
    g.finish();

    // The tally's cost per ballot (its additions), and its fixed cost per contest (encoding
    // each option's sums once, at the end): 31 contests' sums with 30 styles, 2 with one.
    let filled = |fixture: &Recorded| {
        let mut acc = dauys::election::tally::TallyAccumulator::new(&fixture.params.manifest);
        for (style, ballot) in &fixture.ballots {
            acc.add(*style, ballot);
        }
        acc
    };
    let mut g = c.benchmark_group("styles_tally/accumulate");
    g.throughput(Throughput::Elements(BALLOTS as u64));
    for (name, fixture) in &records {
        g.bench_function(BenchmarkId::new(name.as_str(), BALLOTS), |b| b.iter(|| filled(fixture)));
    }
    g.finish();
    let mut g = c.benchmark_group("styles_tally/finish");
    for (name, fixture) in &records {
        let acc = filled(fixture);
        g.bench_function(BenchmarkId::new(name.as_str(), BALLOTS), |b| b.iter(|| acc.finish()));
    }
    g.finish();
}

criterion_group!(benches, bench_styles);
criterion_main!(benches);
