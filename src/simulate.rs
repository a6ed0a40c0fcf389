//! `dauys simulate`: given vote counts replayed exactly through the whole cryptographic
//! pipeline — how researchers run a published result, or a synthetic national election,
//! through the system. Registration runs as in the demo: every simulated citizen, certified by
//! a synthetic CA, registers a credential it made, and the minimum number of trustees shuffle
//! the list before voting opens.
//!
//! The votes file is JSON, contest id → option id → count:
//!
//! ```json
//! {"referendum": {"yes": 5100, "no": 3900}, "president": {"candidate-a": 4000, …}}
//! ```
//!
//! Every contest of the manifest must appear; options left out count 0. Each ballot marks one
//! option of every single-choice contest, so those contests' totals must all be the same
//! number, which is the number of ballots. Approval contests' marks are dealt round-robin over
//! the ballots (so no ballot gets an option twice) and must then fit every ballot's bounds.
//!
//! [`Options`] add what a real election has beside the counted ballots: voters who re-vote
//! (an earlier ballot, another of the deck's, replaced by the one that counts), who challenge
//! a ballot first (opened, never counted), and registered citizens who abstain; and a seed
//! that makes the whole run, and so its record, reproducible.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::{CryptoRng, Rng, RngExt, SeedableRng};
use rayon::prelude::*;

use crate::election::ElectionError;
use crate::election::credential::Credential;
use crate::election::manifest::RevotePolicy;
use crate::election::manifest::{ContestKind, Lang, Manifest};
use crate::election::report::result_table;
use crate::election::result_data::{result_csv, result_json};
use crate::runner::{LocalElection, RunError, VOTE_CHUNK, VoterPlan};

pub type Votes = BTreeMap<String, BTreeMap<String, u64>>;

fn votes_error(reason: impl Into<String>) -> ElectionError {
    ElectionError::Choice(format!("votes file: {}", reason.into()))
}

/// Per contest, the counts in manifest option order, after checking every id.
fn counts_in_order(manifest: &Manifest, votes: &Votes) -> Result<Vec<Vec<u64>>, ElectionError> {
    for id in votes.keys() {
        if manifest.contest_index(id).is_none() {
            return Err(votes_error(format!("no contest {id:?} in the manifest")));
        }
    }
    manifest
        .contests
        .iter()
        .map(|c| {
            let given = votes.get(&c.id).ok_or_else(|| votes_error(format!("contest {:?} is missing", c.id)))?;
            if let Some(unknown) = given.keys().find(|o| c.option_index(o).is_none()) {
                return Err(votes_error(format!("contest {:?} has no option {unknown:?}", c.id)));
            }
            Ok(c.options.iter().map(|o| given.get(&o.id).copied().unwrap_or(0)).collect())
        })
        .collect()
}

/// Every ballot's marks, such that the totals are exactly the votes file's, kept compactly
/// (a few bytes a ballot, not a vector of vectors) so that a national simulation can hold
/// them: per single-choice contest the option each ballot marks, shuffled; per approval
/// contest only the counts (ballot `k` gets the `k`-th, `(k + n)`-th, … of the marks laid out
/// option by option, so no ballot gets an option twice); and a random order of the ballots.
#[derive(Debug)]
pub struct Deck {
    contests: Vec<DeckContest>,
    /// The ballot cast `k`-th is deck entry `order[k]`.
    order: Vec<u32>,
}

#[derive(Debug)]
enum DeckContest {
    Single {
        options: usize,
        marked: Vec<u32>,
    },
    /// Per option, where its marks start in the layout, and the total.
    Approval {
        starts: Vec<u64>,
        total: u64,
    },
}

impl Deck {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The marks of the ballot cast `k`-th, per contest and option.
    pub fn marks(&self, k: usize) -> Vec<Vec<u64>> {
        let n = self.order.len() as u64;
        let entry = self.order[k] as usize;
        self.contests
            .iter()
            .map(|c| match c {
                DeckContest::Single { options, marked } => {
                    (0..*options).map(|o| u64::from(o == marked[entry] as usize)).collect()
                }
                DeckContest::Approval { starts, total } => {
                    let mut marks = vec![0u64; starts.len()];
                    for m in (entry as u64..*total).step_by(n as usize) {
                        // The option whose marks span m: the last start at or below it.
                        marks[starts.partition_point(|s| *s <= m) - 1] = 1;
                    }
                    marks
                }
            })
            .collect()
    }
}

/// The deck of ballots whose totals are exactly `votes`, shuffled with `rng`.
pub fn ballots_from_votes<R: Rng + ?Sized>(
    manifest: &Manifest,
    votes: &Votes,
    rng: &mut R,
) -> Result<Deck, ElectionError> {
    let counts = counts_in_order(manifest, votes)?;
    let single: Vec<(usize, u64)> = manifest
        .contests
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind != ContestKind::Approval)
        .map(|(i, _)| (i, counts[i].iter().sum()))
        .collect();
    let n = match single.first() {
        Some(&(_, n)) => {
            if let Some((i, other)) = single.iter().find(|(_, m)| *m != n) {
                return Err(votes_error(format!(
                    "every single-choice contest needs the same number of ballots: {:?} has {n}, {:?} has {other}",
                    manifest.contests[single[0].0].id, manifest.contests[*i].id
                )));
            }
            n
        }
        None => counts.iter().flat_map(|c| c.iter().copied()).max().unwrap_or(0),
    };
    if n == 0 {
        return Err(votes_error("no ballots"));
    }
    let n = u32::try_from(n).map_err(|_| votes_error("too many ballots"))?;
    let mut contests = Vec::with_capacity(manifest.contests.len());
    for (contest, counts) in manifest.contests.iter().zip(&counts) {
        if contest.kind == ContestKind::Approval {
            if counts.iter().any(|&k| k > u64::from(n)) {
                return Err(votes_error(format!(
                    "contest {:?}: an option has more marks than there are ballots",
                    contest.id
                )));
            }
            let total: u64 = counts.iter().sum();
            let (lo, hi) = contest.sum_bounds();
            let (fewest, most) = (total / u64::from(n), total.div_ceil(u64::from(n)));
            if fewest < lo || most > hi {
                return Err(votes_error(format!(
                    "contest {:?}: {total} marks over {n} ballots do not fit {lo}..={hi} per ballot",
                    contest.id
                )));
            }
            let starts = counts.iter().scan(0u64, |at, k| Some(std::mem::replace(at, *at + k))).collect();
            contests.push(DeckContest::Approval { starts, total });
        } else {
            let mut marked: Vec<u32> =
                counts.iter().enumerate().flat_map(|(o, &k)| std::iter::repeat_n(o as u32, k as usize)).collect();
            marked.shuffle(rng);
            contests.push(DeckContest::Single { options: contest.options.len(), marked });
        }
    }
    let mut order: Vec<u32> = (0..n).collect();
    order.shuffle(rng);
    Ok(Deck { contests, order })
}

/// The simulated voter `i`'s credential: derived from a secret seed of this run, so that it
/// can be derived again when the voter registers and when it casts instead of being kept for
/// the whole run.
fn voter_credential(seed: &[u8; 32], i: usize) -> Credential {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(seed).chain_update((i as u64).to_le_bytes()).finalize();
    let hex = crate::crypto::group::to_hex(&digest[..16]);
    Credential::parse(&hex).expect("32 hex digits")
}

/// How a simulation runs, beyond the votes file.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seeds every random choice of the run from `ChaCha20Rng::seed_from_u64(seed)`: the
    /// trustees' and the board's keys, the CA, the citizens and their credentials, the
    /// ballots' encryption and proofs, the deck's order, who re-votes and challenges, and the
    /// lots. The same seed, manifest, votes and options give the same record, byte for byte.
    /// Every secret of the run then follows from the seed: for research only. Without a
    /// seed, the OS-seeded generator (`rand::rng()`).
    pub seed: Option<u64>,
    /// The share of voters (0 to 1) who first cast another ballot, replaced by the one that
    /// counts (the manifest must let the last ballot count).
    pub revote: f64,
    /// The share of voters (0 to 1) who challenge a ballot before casting (it is opened at
    /// close and never counted).
    pub challenge: f64,
    /// The share of registered citizens (0 to 1, below 1) who do not vote: `n / (1 − a)`
    /// citizens register, rounded, for the votes file's `n` ballots.
    pub abstention: f64,
    /// Where to write the result as JSON ([`result_json`]).
    pub json: Option<PathBuf>,
    /// Where to write the result as CSV ([`result_csv`]).
    pub csv: Option<PathBuf>,
    /// The language of the printed table and of the CSV's labels.
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options { seed: None, revote: 0.0, challenge: 0.0, abstention: 0.0, json: None, csv: None, lang: Lang::En }
    }
}

impl Options {
    fn check(&self, manifest: &Manifest) -> Result<(), RunError> {
        let rate = |name: &str, r: f64, below_one: bool| {
            if !(0.0..=1.0).contains(&r) || (below_one && r >= 1.0) {
                let range = if below_one { "0 to less than 1" } else { "0 to 1" };
                return Err(RunError::Other(format!("--{name} {r}: a share of {range}, e.g. 0.05")));
            }
            Ok(())
        };
        rate("revote-rate", self.revote, false)?;
        rate("challenge-rate", self.challenge, false)?;
        rate("abstention-rate", self.abstention, true)?;
        if self.revote > 0.0 && manifest.revote == RevotePolicy::Refused {
            return Err(RunError::Other(format!(
                "--revote-rate: the manifest of {:?} refuses a second ballot (\"revote\": \"refused\")",
                manifest.election_id
            )));
        }
        Ok(())
    }
}

/// What a simulation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulated {
    /// The record's directory.
    pub record: PathBuf,
    /// Citizens registered, ballots counted, voters who re-voted, ballots challenged.
    pub registered: usize,
    pub counted: usize,
    pub revoted: usize,
    pub challenged: usize,
}

/// Runs the simulation in `dir`.
pub fn run(
    manifest_path: &Path,
    votes_path: &Path,
    dir: &Path,
    options: &Options,
    out: &mut impl Write,
) -> Result<Simulated, RunError> {
    match options.seed {
        Some(seed) => {
            run_with(manifest_path, votes_path, dir, options, out, &mut rand_chacha::ChaCha20Rng::seed_from_u64(seed))
        }
        None => run_with(manifest_path, votes_path, dir, options, out, &mut rand::rng()),
    }
}

/// The share `rate` of `n`, rounded to the nearest whole number.
fn abstainers(n: usize, rate: f64) -> usize {
    (n as f64 * rate / (1.0 - rate)).round() as usize
}

fn run_with<R: CryptoRng + ?Sized>(
    manifest_path: &Path,
    votes_path: &Path,
    dir: &Path,
    options: &Options,
    out: &mut impl Write,
    rng: &mut R,
) -> Result<Simulated, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| RunError::Other(format!("{}: {e}", p.display())));
    let mut manifest = Manifest::from_json(&read(manifest_path)?)?;
    options.check(&manifest)?;
    let votes: Votes = serde_json::from_str(&read(votes_path)?)
        .map_err(|e| RunError::Other(format!("{}: {e}", votes_path.display())))?;
    let deck = ballots_from_votes(&manifest, &votes, rng)?;
    let n = deck.len();
    let registered = n + abstainers(n, options.abstention);
    let start = Instant::now();
    writeln!(out, "dauys simulate: {n} ballots of {:?} in {}", manifest.election_id, dir.display()).map_err(io)?;
    if let Some(seed) = options.seed {
        writeln!(out, "   seed {seed}: every key and secret of this run follows from it (research only)")
            .map_err(io)?;
    }

    // Voters' credentials and plans are made a chunk at a time when they register and when
    // they cast, from a seed and the deck, never all at once.
    let seed = crate::runner::draw_seed(rng);
    let id = manifest.election_id.clone();
    // The simulator plays the national CA too: the manifest names its synthetic CA.
    let ca = crate::election::citizen_ca::SyntheticCaIssuer::generate(rng);
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(dir, manifest.clone(), rng)?;
    writeln!(out, "   key ceremony done ({:.1?})", start.elapsed()).map_err(io)?;
    let (iins, took) = election.register(&ca, registered, |i| voter_credential(&seed, i).key_pair(&id).secret, rng)?;
    drop(iins);
    let secs = took.as_secs_f64();
    writeln!(
        out,
        "   {registered} citizens certified by a synthetic CA, registered and checked by the board in {secs:.1} s ({:.0}/s)",
        registered as f64 / secs
    )
    .map_err(io)?;
    for s in election.shuffle_credentials(0, rng)? {
        let (prove, check) = (s.prove.as_secs_f64(), s.check.as_secs_f64());
        writeln!(
            out,
            "   shuffle by trustee {} of {} credentials: proved in {prove:.1} s, checked and stored by the board in {check:.1} s",
            s.trustee, s.credentials
        )
        .map_err(io)?;
    }
    election.open_registered(rng)?;
    writeln!(out, "   voting open on the last shuffle's {registered} credentials ({:.1?})", start.elapsed())
        .map_err(io)?;

    let params = election.params().clone();
    let bar = indicatif::ProgressBar::new(n as u64);
    let cast = Instant::now();
    let (mut revoted, mut challenged) = (0, 0);
    for first in (0..n).step_by(VOTE_CHUNK) {
        let chunk = first..n.min(first + VOTE_CHUNK);
        // Who re-votes and who challenges, drawn in voter order from the run's generator.
        let acts: Vec<(bool, bool)> =
            chunk.clone().map(|_| (rng.random_bool(options.revote), rng.random_bool(options.challenge))).collect();
        revoted += acts.iter().filter(|a| a.0).count();
        challenged += acts.iter().filter(|a| a.1).count();
        let plans: Vec<VoterPlan> = chunk
            .into_par_iter()
            .map(|i| {
                let (revote, challenge) = acts[i - first];
                VoterPlan {
                    key: params.voter_key(&voter_credential(&seed, i)),
                    marks: deck.marks(i),
                    earlier: revote.then(|| deck.marks((i + 1) % n)),
                    challenge,
                }
            })
            .collect();
        let rejected = election.vote(&plans, rng, |_| {})?;
        if let Some(r) = rejected.first() {
            return Err(RunError::Other(format!("the board refused a ballot: {r}")));
        }
        bar.set_position((first + plans.len()) as u64);
    }
    bar.finish_and_clear();
    let secs = cast.elapsed().as_secs_f64();
    writeln!(out, "   {n} ballots encrypted, proven, verified and cast in {secs:.1} s ({:.0}/s)", n as f64 / secs)
        .map_err(io)?;
    writeln!(
        out,
        "   {revoted} voters re-voted, {challenged} challenged a ballot first; {} of {registered} registered \
         citizens abstained (turnout {:.2} %)",
        registered - n,
        100.0 * n as f64 / registered as f64
    )
    .map_err(io)?;
    election.close(rng)?;
    let t = manifest.trustees.threshold;
    let decrypting: Vec<u32> = (1..=t).collect();
    let result = election.tally(&decrypting, rng)?;
    let expected = counts_in_order(&manifest, &votes)?;
    if result.contests.iter().map(|c| &c.counts).ne(expected.iter()) {
        return Err(RunError::Other("the decrypted counts differ from the votes file".into()));
    }
    let record = dir.join("record");
    election.board.export(&record)?;
    writeln!(out, "\n{}", result_table(&manifest, &result, options.lang)).map_err(io)?;
    writeln!(out, "The decrypted counts equal the votes file. Record: {}", record.display()).map_err(io)?;
    write_result_files(&manifest, &result, options.json.as_deref(), options.csv.as_deref(), options.lang)?;
    writeln!(out, "Done in {:.1?}.", start.elapsed()).map_err(io)?;
    Ok(Simulated { record, registered, counted: n, revoted, challenged })
}

/// Writes the result as JSON to `json` and as CSV to `csv`, where given (`dauys result` and
/// `dauys simulate`).
pub fn write_result_files(
    manifest: &Manifest,
    result: &crate::election::tally::ElectionResult,
    json: Option<&Path>,
    csv: Option<&Path>,
    lang: Lang,
) -> Result<(), RunError> {
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| RunError::Other(format!("{}: {e}", path.display())))
    };
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&result_json(manifest, result)).expect("serializes") + "\n";
        write(path, text)?;
    }
    if let Some(path) = csv {
        write(path, result_csv(manifest, result, lang))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::DEMO_MANIFEST;

    fn votes(json: &str) -> Votes {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ballots_reproduce_the_counts_exactly() {
        let m = Manifest::from_json(DEMO_MANIFEST).unwrap();
        let v = votes(
            r#"{"referendum":{"yes":7,"no":3},"president":{"candidate-a":4,"candidate-b":4,"against-all":2},
                "mazhilis":{"party-a":5,"party-c":4,"against-all":1}}"#,
        );
        let deck = ballots_from_votes(&m, &v, &mut rand::rng()).unwrap();
        assert_eq!(deck.len(), 10);
        let ballots: Vec<Vec<Vec<u64>>> = (0..deck.len()).map(|k| deck.marks(k)).collect();
        let mut totals: Vec<Vec<u64>> = m.contests.iter().map(|c| vec![0; c.options.len()]).collect();
        for b in &ballots {
            m.marks_fit(b).unwrap();
            for (t, c) in totals.iter_mut().zip(b) {
                for (x, y) in t.iter_mut().zip(c) {
                    *x += y;
                }
            }
        }
        assert_eq!(totals, counts_in_order(&m, &v).unwrap());
    }

    #[test]
    fn inconsistent_votes_are_refused_with_the_contest_named() {
        let m = Manifest::from_json(DEMO_MANIFEST).unwrap();
        let cases = [
            (
                r#"{"referendum":{"yes":1},"president":{"candidate-a":2},"mazhilis":{"party-a":1}}"#,
                "same number of ballots",
            ),
            (r#"{"referendum":{"yes":1},"president":{"candidate-a":1}}"#, "\"mazhilis\" is missing"),
            (
                r#"{"referendum":{"maybe":1},"president":{"candidate-a":1},"mazhilis":{"party-a":1}}"#,
                "no option \"maybe\"",
            ),
            (
                r#"{"referendum":{"yes":1},"president":{"candidate-a":1},"mazhilis":{"party-a":1},"senate":{}}"#,
                "no contest \"senate\"",
            ),
        ];
        for (json, expected) in cases {
            let err = ballots_from_votes(&m, &votes(json), &mut rand::rng()).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
