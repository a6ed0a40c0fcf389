//! `dauys simulate`: given vote counts replayed exactly through the whole cryptographic
//! pipeline — how researchers run a published result, or a synthetic national election,
//! through the system.
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

use rand::seq::SliceRandom;
use rayon::prelude::*;

use crate::election::ElectionError;
use crate::election::credential::{Credential, CredentialList};
use crate::election::manifest::{ContestKind, Lang, Manifest};
use crate::election::report::result_table;
use crate::runner::{LocalElection, RunError, VoterPlan};

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

/// The marks of every ballot such that the totals are exactly `votes`.
pub fn ballots_from_votes(manifest: &Manifest, votes: &Votes) -> Result<Vec<Vec<Vec<u64>>>, ElectionError> {
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
    let n = usize::try_from(n).map_err(|_| votes_error("too many ballots"))?;
    let mut rng = rand::rng();
    let mut ballots: Vec<Vec<Vec<u64>>> =
        vec![manifest.contests.iter().map(|c| vec![0u64; c.options.len()]).collect(); n];
    for (ci, (contest, counts)) in manifest.contests.iter().zip(&counts).enumerate() {
        let mut marks: Vec<usize> =
            counts.iter().enumerate().flat_map(|(o, &k)| std::iter::repeat_n(o, k as usize)).collect();
        if contest.kind == ContestKind::Approval {
            if counts.iter().any(|&k| k as usize > n) {
                return Err(votes_error(format!(
                    "contest {:?}: an option has more marks than there are ballots",
                    contest.id
                )));
            }
            let (lo, hi) = contest.sum_bounds();
            let (fewest, most) = (marks.len() / n, marks.len().div_ceil(n));
            if (fewest as u64) < lo || (most as u64) > hi {
                return Err(votes_error(format!(
                    "contest {:?}: {} marks over {n} ballots do not fit {lo}..={hi} per ballot",
                    contest.id,
                    marks.len()
                )));
            }
            // Consecutive marks of one option land on distinct ballots (count ≤ n).
            for (k, o) in marks.iter().enumerate() {
                ballots[k % n][ci][*o] = 1;
            }
        } else {
            marks.shuffle(&mut rng);
            for (ballot, o) in ballots.iter_mut().zip(marks) {
                ballot[ci][o] = 1;
            }
        }
    }
    ballots.shuffle(&mut rng);
    Ok(ballots)
}

/// Runs the simulation in `dir`; returns the record's path.
pub fn run(manifest_path: &Path, votes_path: &Path, dir: &Path, out: &mut impl Write) -> Result<PathBuf, RunError> {
    let io = |e: std::io::Error| RunError::Other(e.to_string());
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| RunError::Other(format!("{}: {e}", p.display())));
    let manifest = Manifest::from_json(&read(manifest_path)?)?;
    let votes: Votes = serde_json::from_str(&read(votes_path)?)
        .map_err(|e| RunError::Other(format!("{}: {e}", votes_path.display())))?;
    let marks = ballots_from_votes(&manifest, &votes)?;
    let start = Instant::now();
    writeln!(out, "dauys simulate: {} ballots of {:?} in {}", marks.len(), manifest.election_id, dir.display())
        .map_err(io)?;

    let mut rng = rand::rng();
    let id = manifest.election_id.clone();
    let plans: Vec<VoterPlan> = marks
        .into_par_iter()
        .map(|marks| {
            let key = Credential::generate(&mut rand::rng()).key_pair(&id);
            VoterPlan { key, marks, earlier: None, challenge: false }
        })
        .collect();
    let list = CredentialList::new(plans.iter().map(|p| p.key.public).collect())?;
    let mut election = LocalElection::setup(dir, manifest.clone(), &mut rng)?;
    election.open(list, &mut rng)?;
    writeln!(out, "   key ceremony done, {} credentials, voting open ({:.1?})", plans.len(), start.elapsed())
        .map_err(io)?;

    let bar = indicatif::ProgressBar::new(plans.len() as u64);
    let cast = Instant::now();
    let rejected = election.vote(&plans, &mut rng, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    if let Some(r) = rejected.first() {
        return Err(RunError::Other(format!("the board refused a ballot: {r}")));
    }
    let secs = cast.elapsed().as_secs_f64();
    writeln!(
        out,
        "   {} ballots encrypted, proven, verified and cast in {secs:.1} s ({:.0}/s)",
        plans.len(),
        plans.len() as f64 / secs
    )
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
        let ballots = ballots_from_votes(&m, &v).unwrap();
        assert_eq!(ballots.len(), 10);
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
