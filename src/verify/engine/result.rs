//! Checks 6.1–6.2 (and 5.3–5.4, which need the result): quorum, counts, outcomes with the
//! lots' seed (F_e, the root at close, the trustees' revealed seeds).

use super::*;
use crate::crypto::dlog::DlogTable;
use crate::election::manifest::{Contest, Lang};
use crate::election::report::decision;

impl Engine<'_> {
    pub(super) fn finish_result(&mut self) {
        // Without parameters or a tally, finish() and finish_tally() said why these did not run.
        let (Some(params), Some(tally)) = (self.params.clone(), self.tally.clone()) else { return };
        let t = params.manifest.trustees.threshold as usize;
        let valid = self.decrypted_by.len();
        let quorum: Vec<TrusteeDecryption> = self.decryptions.values().cloned().collect();
        let no_result = match self.phase {
            Phase::Decrypting => format!("no result yet ({})", self.stops()),
            _ => "no result".to_string(),
        };
        {
            let has_result = self.result.is_some();
            let c = self.check(Check::DecryptionQuorum);
            c.count = valid as u64;
            if valid < t {
                let found = format!("{valid} trustee(s) with valid decryptions, the threshold is {t}");
                // Only the result needs the quorum: before it, more trustees may still decrypt.
                if has_result {
                    c.fail(found);
                } else {
                    c.skip(format!("{found}; {no_result}"));
                }
            }
        }
        let Some(result) = self.result.clone() else {
            for c in [Check::Counts, Check::Outcomes, Check::ResultComplete] {
                self.check(c).skip(no_result.clone());
            }
            return;
        };
        {
            let c = self.check(Check::ResultComplete);
            c.count = 1;
            let shape_ok = result.contests.len() == params.manifest.contests.len()
                && result
                    .contests
                    .iter()
                    .zip(&params.manifest.contests)
                    .all(|(r, m)| r.id == m.id && r.counts.len() == m.options.len());
            if result.ballots != tally.ballots {
                c.fail(format!("the result says {} ballots, the tally {}", result.ballots, tally.ballots));
            }
            if !shape_ok {
                c.fail("the result does not list every contest and option of the manifest");
                let why = "the result does not list every contest and option of the manifest (6.2 failed)";
                self.check(Check::Counts).skip(why);
                self.check(Check::Outcomes).skip(why);
                return;
            }
        }
        if valid >= t && quorum.len() >= t {
            let start = Instant::now();
            // The t lowest-numbered trustees with valid decryptions (any t give the same points).
            match combine_decryptions(&params, &tally, &quorum[..t]) {
                Ok(points) => {
                    // Built at the first wrong count: the counts of at most the ballots this
                    // verifier counted, so a forged tally cannot make the search large.
                    let mut table = None;
                    let mut wrong = Vec::new();
                    let counted = self.counted;
                    let c = self.check(Check::Counts);
                    for (ci, (r, pts)) in result.contests.iter().zip(&points).enumerate() {
                        for (o, (count, point)) in r.counts.iter().zip(pts).enumerate() {
                            c.count += 1;
                            if message_point(*count) != *point {
                                let table = table.get_or_insert_with(|| DlogTable::new(counted));
                                let decrypted = table.find(point).ok();
                                let gives = decrypted.map_or_else(
                                    || format!("not a count of at most the {counted} ballots counted"),
                                    |d| d.to_string(),
                                );
                                c.fail(format!(
                                    "{}: published {count} votes, the tally decrypts to {gives}",
                                    option_name(&params.manifest, ci, o)
                                ));
                                wrong.push(((ci, o), decrypted));
                            }
                        }
                    }
                    self.recount.counts.extend(wrong);
                }
                Err(e) => self.check(Check::Counts).fail(e.to_string()),
            }
            *self.timers.entry(Check::Counts).or_default() += start.elapsed().as_secs_f64();
        } else {
            self.check(Check::Counts).skip("fewer than t valid decryptions (5.3 failed)");
        }
        let Some(close_root) = self.close_root else {
            self.check(Check::Outcomes).fail("voting never closed: the lots have no seed");
            return;
        };
        let reveals: Vec<(u32, [u8; 32])> = self.lot_reveals.iter().map(|(j, s)| (*j, *s)).collect();
        let lots = counting::lot_seed(&params.fingerprint, &close_root, &reveals);
        let decrypted = self.decryptions.len();
        let c = self.check(Check::Outcomes);
        // At least t reveals, so that one comes from a trustee outside any coalition of t − 1
        // (specs/record.md §8.1): with fewer, the seed could be known before close. (Fewer than
        // t decryptions at all is 5.3's failure.)
        if reveals.len() < t && decrypted >= t {
            c.fail(format!(
                "only {} decryption(s) reveal a committed lot seed ({:?}); a result needs {t}, so that one is from a \
                 trustee outside any coalition of {}",
                reveals.len(),
                reveals.iter().map(|(j, _)| *j).collect::<Vec<_>>(),
                t - 1
            ));
        }
        let mut recounted = BTreeMap::new();
        for (ci, (r, contest)) in result.contests.iter().zip(&params.manifest.contests).enumerate() {
            c.count += 1;
            let name = contest_name(contest);
            match counting::outcome(contest, &r.counts, &lots) {
                Ok(recomputed) if recomputed == r.outcome => {}
                Ok(recomputed) => {
                    c.fail(format!(
                        "{name}: published \"{}\", but its counts give \"{}\"",
                        describe(contest, &r.outcome),
                        describe(contest, &recomputed)
                    ));
                    recounted.insert(ci, recomputed);
                }
                Err(e) => c.fail(format!("{name}: its counts give no outcome: {e}")),
            }
        }
        // Where counts were wrong (5.4), the outcome of the decrypted counts, if they were all
        // found.
        for (ci, (r, contest)) in result.contests.iter().zip(&params.manifest.contests).enumerate() {
            let mut counts = r.counts.clone();
            let mut any = false;
            let mut found = true;
            for (o, count) in counts.iter_mut().enumerate() {
                if let Some(decrypted) = self.recount.counts.get(&(ci, o)) {
                    any = true;
                    match decrypted {
                        Some(d) => *count = *d,
                        None => found = false,
                    }
                }
            }
            if any
                && found
                && let Ok(outcome) = counting::outcome(contest, &counts, &lots)
            {
                recounted.insert(ci, outcome);
            }
        }
        recounted.retain(|ci, outcome| result.contests[*ci].outcome != *outcome);
        self.recount.outcomes = recounted;
    }
}

/// An outcome in plain English words, with the options' labels and, for party lists, every
/// party's seats (which the results table shows in its rows).
fn describe(contest: &Contest, outcome: &counting::Outcome) -> String {
    match outcome {
        counting::Outcome::Seats { passed, seats } if !passed.is_empty() => {
            let label =
                |id: &str| contest.options.iter().find(|o| o.id == id).map_or(id.to_string(), |o| o.label.en.clone());
            let seats: Vec<String> = seats.iter().map(|s| format!("{} {}", label(&s.party), s.seats)).collect();
            format!("{}; seats: {}", decision(contest, outcome, Lang::En), seats.join(", "))
        }
        _ => decision(contest, outcome, Lang::En),
    }
}
