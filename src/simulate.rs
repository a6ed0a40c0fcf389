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

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::Rng;
use rand::seq::SliceRandom;
use rayon::prelude::*;

use crate::election::ElectionError;
use crate::election::credential::Credential;
use crate::election::manifest::{ContestKind, Lang, Manifest};
use crate::election::report::result_table;
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

/// The deck of ballots whose totals are exactly `votes`.
pub fn ballots_from_votes(manifest: &Manifest, votes: &Votes) -> Result<Deck, ElectionError> {
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
    let mut rng = rand::rng();
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
            marked.shuffle(&mut rng);
            contests.push(DeckContest::Single { options: contest.options.len(), marked });
        }
    }
    let mut order: Vec<u32> = (0..n).collect();
    order.shuffle(&mut rng);
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

/// Runs the simulation in `dir`; returns the record's path.
pub fn run(manifest_path: &Path, votes_path: &Path, dir: &Path, out: &mut impl Write) -> Result<PathBuf, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| RunError::Other(format!("{}: {e}", p.display())));
    let mut manifest = Manifest::from_json(&read(manifest_path)?)?;
    let votes: Votes = serde_json::from_str(&read(votes_path)?)
        .map_err(|e| RunError::Other(format!("{}: {e}", votes_path.display())))?;
    let deck = ballots_from_votes(&manifest, &votes)?;
    let n = deck.len();
    let start = Instant::now();
    writeln!(out, "dauys simulate: {n} ballots of {:?} in {}", manifest.election_id, dir.display()).map_err(io)?;

    // Voters' credentials and plans are made a chunk at a time when they register and when
    // they cast, from a seed and the deck, never all at once.
    let mut rng = rand::rng();
    let mut seed = zeroize::Zeroizing::new([0u8; 32]);
    rng.fill_bytes(seed.as_mut());
    let id = manifest.election_id.clone();
    // The simulator plays the national CA too: the manifest names its synthetic CA.
    let ca = crate::election::citizen_ca::SyntheticCaIssuer::generate(&mut rng);
    manifest.citizen_ca = Some(ca.public().key);
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng)?;
    writeln!(out, "   key ceremony done ({:.1?})", start.elapsed()).map_err(io)?;
    let (iins, took) = election.register(&ca, n, |i| voter_credential(&seed, i).key_pair(&id).secret, &mut rng)?;
    drop(iins);
    let secs = took.as_secs_f64();
    writeln!(
        out,
        "   {n} citizens certified by a synthetic CA, registered and checked by the board in {secs:.1} s ({:.0}/s)",
        n as f64 / secs
    )
    .map_err(io)?;
    for s in election.shuffle_credentials(0, &mut rng)? {
        let (prove, check) = (s.prove.as_secs_f64(), s.check.as_secs_f64());
        writeln!(
            out,
            "   shuffle by trustee {} of {} credentials: proved in {prove:.1} s, checked and stored by the board in {check:.1} s",
            s.trustee, s.credentials
        )
        .map_err(io)?;
    }
    election.open_registered(&mut rng)?;
    writeln!(out, "   voting open on the last shuffle's {n} credentials ({:.1?})", start.elapsed()).map_err(io)?;

    let params = election.params().clone();
    let bar = indicatif::ProgressBar::new(n as u64);
    let cast = Instant::now();
    for first in (0..n).step_by(VOTE_CHUNK) {
        let plans: Vec<VoterPlan> = (first..n.min(first + VOTE_CHUNK))
            .into_par_iter()
            .map(|i| VoterPlan {
                key: params.voter_key(&voter_credential(&seed, i)),
                marks: deck.marks(i),
                earlier: None,
                challenge: false,
            })
            .collect();
        let rejected = election.vote(&plans, &mut rng, |_| {})?;
        if let Some(r) = rejected.first() {
            return Err(RunError::Other(format!("the board refused a ballot: {r}")));
        }
        bar.set_position((first + plans.len()) as u64);
    }
    bar.finish_and_clear();
    let secs = cast.elapsed().as_secs_f64();
    writeln!(out, "   {n} ballots encrypted, proven, verified and cast in {secs:.1} s ({:.0}/s)", n as f64 / secs)
        .map_err(io)?;
    election.close(&mut rng)?;
    let t = manifest.trustees.threshold;
    let decrypting: Vec<u32> = (1..=t).collect();
    let result = election.tally(&decrypting, &mut rng)?;
    let expected = counts_in_order(&manifest, &votes)?;
    if result.contests.iter().map(|c| &c.counts).ne(expected.iter()) {
        return Err(RunError::Other("the decrypted counts differ from the votes file".into()));
    }
    let record = dir.join("record");
    election.board.export(&record)?;
    writeln!(out, "\n{}", result_table(&manifest, &result, Lang::En)).map_err(io)?;
    writeln!(out, "The decrypted counts equal the votes file. Record: {}", record.display()).map_err(io)?;
    writeln!(out, "Done in {:.1?}.", start.elapsed()).map_err(io)?;
    Ok(record)
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
        let deck = ballots_from_votes(&m, &v).unwrap();
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
            let err = ballots_from_votes(&m, &votes(json)).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }
}
