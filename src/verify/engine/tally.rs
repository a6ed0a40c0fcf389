//! Checks 5.1–5.4: the encrypted tally, the decryption shares and the counts.

use super::*;
use crate::crypto::threshold::signed::SeatSigned;

impl Engine<'_> {
    pub(super) fn decryption(&mut self, index: u64, d: TrusteeDecryption) {
        // Before the tally (which 2.1 reports) there is nothing to check a share against; without
        // the election's parameters 5.2 does not run.
        let (Some(params), Some(tally)) = (&self.params, &self.tally) else { return };
        let mut batch = BatchVerifier::new();
        let shape = d.add_to_batch(params, tally, &mut batch);
        let shares = batch.len() as u64;
        let trustee = d.trustee;
        let t = params.manifest.trustees.threshold as usize;
        // The signature by the seat's transport key, in the same batch (its last item).
        let key = self.transport_keys.iter().find(|k| k.trustee == trustee).map(|k| k.key);
        let signed = match (&self.setup, key) {
            (Some((_, setup_fp)), Some(key)) => {
                d.add_signature_to_batch(setup_fp, &key, &mut batch).map_err(|e| e.to_string())
            }
            _ => Err("no transport key in the trustee's seat".to_string()),
        };
        let verdict = shape.map_err(|e| e.to_string()).and(signed).and_then(|_| {
            batch.verify().map_err(|e| match e {
                CryptoError::BatchFailed { failed } if failed == [shares as usize] => {
                    "it is not signed by the transport key of its seat".to_string()
                }
                CryptoError::BatchFailed { failed } => {
                    format!("{} share proof(s) fail, first at share {}", failed.len(), failed[0])
                }
                other => other.to_string(),
            })
        });
        let repeated = self.decrypted_by.contains(&trustee);
        let c = self.check(Check::DecryptionProofs);
        c.count += shares;
        if let Err(e) = verdict {
            c.fail(Finding::new("fail-decryption").event(index).trustee(trustee).reason(e));
            return;
        }
        if repeated {
            self.check(Check::DecryptionQuorum)
                .fail(Finding::new("fail-decrypted-twice").event(index).trustee(trustee));
            return;
        }
        self.decrypted_by.insert(trustee);
        // The lot seed: revealed iff the trustee's ready counted, and equal to what it committed.
        let setup_fp = self.setup.as_ref().map(|(_, fp)| *fp);
        let fault = match (self.ready.get(&trustee), &d.lot_seed, setup_fp) {
            (Some(c), Some(seed), Some(fp)) if crate::election::counting::lot_commitment(&fp, trustee, seed) == *c => {
                None
            }
            (Some(_), Some(_), _) => Some("fail-lot-seed-mismatch"),
            (Some(_), None, _) => Some("fail-lot-seed-withheld"),
            (None, Some(_), _) => Some("fail-lot-seed-unready"),
            (None, None, _) => None,
        };
        if let Some(code) = fault {
            self.check(Check::Outcomes).fail(Finding::new(code).event(index).trustee(trustee));
        }
        // Every valid decryption's reveal seeds the lots (6.2).
        if let Some(seed) = d.lot_seed {
            self.lot_reveals.insert(trustee, seed);
        }
        // Only the t lowest-numbered valid decryptions are used (5.4); the others are not kept.
        self.decryptions.insert(trustee, d);
        while self.decryptions.len() > t {
            self.decryptions.pop_last();
        }
    }

    pub(super) fn finish_tally(&mut self, dir: &Path) -> Result<(), RecordError> {
        let Some(params) = self.params.clone() else { return Ok(()) };
        if self.tally.is_none() {
            let why = match self.phase {
                Phase::Voting => self.stops(Finding::new("skip-not-closed")),
                Phase::Closed => self.stops(Finding::new("skip-no-tally-yet")),
                _ => Finding::new("skip-no-tally"),
            };
            for c in [
                Check::TallySum,
                Check::DecryptionProofs,
                Check::DecryptionQuorum,
                Check::Counts,
                Check::Outcomes,
                Check::ResultComplete,
            ] {
                self.check(c).skip(why.clone());
            }
            return Ok(());
        }
        let start = Instant::now();
        let mut sum = self.all_cast.take().unwrap_or_else(|| TallyAccumulator::new(&params.manifest));
        // Pass 2: subtract the superseded ballots, each the very line the first pass read.
        if !self.superseded.is_empty() {
            let wanted: std::collections::HashMap<u64, Digest16> = self.superseded.iter().copied().collect();
            let mut removed = TallyAccumulator::new(&params.manifest);
            let mut reader = record::EventReader::open(dir)?;
            let mut found = 0;
            let changed = || RecordError::Unreadable {
                path: dir.join(record::EVENTS_FILE).display().to_string(),
                reason: "the file changed while it was read".into(),
            };
            for index in 0..self.frontier.len() {
                let Some(&leaf) = wanted.get(&index) else {
                    if !reader.skip_line()? {
                        return Err(changed());
                    }
                    continue;
                };
                let cast_bound = self.bounds.cast;
                match reader.next_line(|_| cast_bound)? {
                    Some(EventLine { body: LineBody::Text(line), .. })
                        if leaf16(&leaf_hash(line.as_bytes())) == leaf =>
                    {
                        // Parsed in full and checked in the first pass; only the ciphertexts now.
                        if let Ok(cast) = crate::log::event::cast_ciphertexts(&line) {
                            let _ = removed.add_cast(&cast);
                        }
                        found += 1;
                    }
                    _ => return Err(changed()),
                }
                if found == wanted.len() {
                    break;
                }
            }
            if found != wanted.len() {
                return Err(changed());
            }
            sum.subtract(&removed);
        }
        let counted = self.counted;
        let expected = sum.finish();
        self.turnout = expected.turnout.clone();
        let tally = self.tally.clone();
        let c = self.check(Check::TallySum);
        c.count = counted;
        // Each part of the tally is compared on its own: one that differs never hides another
        // (a turnout that matches must not skip the contests).
        if let Some(t) = &tally {
            if t.ballots != counted {
                c.fail(Finding::new("fail-tally-ballots").expected(counted).found(t.ballots));
            }
            if t.turnout != expected.turnout {
                let before = c.failures.len();
                if let Err(e) = t.check_turnout(&params.manifest) {
                    c.fail(Finding::new("fail-tally-turnout-shape").reason(e));
                }
                let styles = params.manifest.styles();
                let (said, is) = (t.turnout_per_style(), expected.turnout_per_style());
                if said.len() == is.len() {
                    for ((style, a), b) in styles.iter().zip(&said).zip(&is) {
                        if a != b {
                            c.fail(
                                Finding::new("fail-tally-style-turnout")
                                    .arg("style", style.id.to_string())
                                    .expected(*b)
                                    .found(*a),
                            );
                        }
                    }
                }
                if c.failures.len() == before && c.more_failures == 0 {
                    c.fail(
                        Finding::new("fail-tally-turnout").expected(list(&expected.turnout)).found(list(&t.turnout)),
                    );
                }
            }
            if t.contests != expected.contests {
                for (ci, (a, b)) in t.contests.iter().zip(&expected.contests).enumerate() {
                    let wrong: Vec<usize> =
                        a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y).map(|(o, _)| o).collect();
                    match wrong[..] {
                        [] => {}
                        [o] => c.fail(Finding::new("fail-tally-option").option(&params.manifest, ci, o)),
                        [o, ..] => c.fail(
                            Finding::new("fail-tally-options")
                                .option(&params.manifest, ci, o)
                                .arg("options", wrong.len()),
                        ),
                    }
                }
                if t.contests.len() != expected.contests.len()
                    || t.contests.iter().zip(&expected.contests).any(|(a, b)| a.len() != b.len())
                {
                    c.fail(Finding::new("fail-tally-shape"));
                }
            }
        }
        if self.decryption_events == 0 {
            let why = match self.phase {
                Phase::Decrypting => self.stops(Finding::new("skip-no-decryption-yet")),
                _ => Finding::new("skip-no-decryption"),
            };
            self.check(Check::DecryptionProofs).skip(why);
        }
        *self.timers.entry(Check::TallySum).or_default() += start.elapsed().as_secs_f64();
        Ok(())
    }
}
