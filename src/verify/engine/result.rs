//! Checks 6.1–6.2 (and 5.3–5.4, which need the result): quorum, counts, outcomes with the
//! lots' seed (F_e, the root at close, the trustees' revealed seeds).

use super::*;
use crate::crypto::dlog::DlogTable;
use crate::election::manifest::{Contest, Label, Lang};
use crate::election::report::decision;

impl Engine<'_> {
    pub(super) fn finish_result(&mut self) {
        // Without parameters or a tally, finish() and finish_tally() said why these did not run.
        let (Some(params), Some(tally)) = (self.params.clone(), self.tally.clone()) else { return };
        let t = params.manifest.trustees.threshold as usize;
        let valid = self.decrypted_by.len();
        let quorum: Vec<TrusteeDecryption> = self.decryptions.values().cloned().collect();
        let no_result = match self.phase {
            Phase::Decrypting => self.stops(Finding::new("skip-no-result-yet")),
            _ => Finding::new("skip-no-result"),
        };
        {
            let has_result = self.result.is_some();
            let c = self.check(Check::DecryptionQuorum);
            c.count = valid as u64;
            if valid < t {
                let found = Finding::new("fail-quorum").expected(t).found(valid);
                // Only the result needs the quorum: before it, more trustees may still decrypt.
                if has_result {
                    c.fail(found);
                } else {
                    c.skip(Finding::new("skip-quorum").arg("quorum", found).arg("why", no_result.clone()));
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
                c.fail(Finding::new("fail-result-ballots").expected(tally.ballots).found(result.ballots));
            }
            if !shape_ok {
                c.fail(Finding::new("fail-result-shape"));
                let why = Finding::new("skip-result-shape");
                self.check(Check::Counts).skip(why.clone());
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
                                let f = Finding::new(match decrypted {
                                    Some(_) => "fail-count",
                                    None => "fail-count-beyond",
                                })
                                .option(&params.manifest, ci, o)
                                .found(*count)
                                .arg("counted", counted);
                                c.fail(match decrypted {
                                    Some(d) => f.expected(d),
                                    None => f,
                                });
                                wrong.push(((ci, o), decrypted));
                            }
                        }
                    }
                    self.recount.counts.extend(wrong);
                }
                Err(e) => self.check(Check::Counts).fail(Finding::new("fail-combine").reason(e)),
            }
            *self.timers.entry(Check::Counts).or_default() += start.elapsed().as_secs_f64();
        } else {
            self.check(Check::Counts).skip(Finding::new("skip-no-quorum"));
        }
        let Some(close_root) = self.close_root else {
            self.check(Check::Outcomes).fail(Finding::new("fail-never-closed"));
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
            let revealed: Vec<u32> = reveals.iter().map(|(j, _)| *j).collect();
            c.fail(
                Finding::new("fail-lot-reveals")
                    .found(reveals.len())
                    .arg("trustees", list(&revealed))
                    .expected(t)
                    .arg("coalition", t - 1),
            );
        }
        let mut recounted = BTreeMap::new();
        for (ci, (r, contest)) in result.contests.iter().zip(&params.manifest.contests).enumerate() {
            c.count += 1;
            match counting::outcome(contest, &r.counts, &lots) {
                Ok(recomputed) if recomputed == r.outcome => {}
                Ok(recomputed) => {
                    c.fail(
                        Finding::new("fail-outcome")
                            .contest(&params.manifest, ci)
                            .found(Arg::Words(describe(contest, &r.outcome)))
                            .expected(Arg::Words(describe(contest, &recomputed))),
                    );
                    recounted.insert(ci, recomputed);
                }
                Err(e) => c.fail(Finding::new("fail-no-outcome").contest(&params.manifest, ci).reason(e)),
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

/// An outcome in each language's words, with the options' labels and, for party lists, every
/// party's seats (which the results table shows in its rows).
fn describe(contest: &Contest, outcome: &counting::Outcome) -> Label {
    let said = |lang: Lang| match outcome {
        counting::Outcome::Seats { passed, seats } if !passed.is_empty() => {
            let label = |id: &str| {
                contest.options.iter().find(|o| o.id == id).map_or(id.to_string(), |o| o.label.get(lang).to_string())
            };
            let seats: Vec<String> = seats.iter().map(|s| format!("{} {}", label(&s.party), s.seats)).collect();
            let w = crate::locale::Words::of(lang);
            format!(
                "{}; {}: {}",
                decision(contest, outcome, lang),
                w.get("page-seats").to_lowercase(),
                seats.join(", ")
            )
        }
        _ => decision(contest, outcome, lang),
    };
    Label { en: said(Lang::En), kk: said(Lang::Kk), ru: said(Lang::Ru) }
}
