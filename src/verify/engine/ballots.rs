//! Checks 3.1–3.7 and 4.1–4.2: cast ballots in parallel batches, challenged ballots'
//! openings, duplicates and the revote policy.

use super::*;

impl Engine<'_> {
    /// Verifies the queued ballots in parallel batches and records what they establish.
    pub(super) fn flush_ballots(&mut self) {
        if self.pending.is_empty() && self.pending_spoiled.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let spoiled = std::mem::take(&mut self.pending_spoiled);
        // Without parameters (before voting opened, which 2.1 reports, or after a setup or open
        // that failed) no ballot check can run.
        let Some(params) = self.params.clone() else {
            if let Some(r) = &self.options.receipt {
                if pending.iter().any(|p| p.index == r.index) {
                    self.receipt_refused = Some("it was cast before voting opened (2.1)".into());
                }
            }
            return;
        };
        self.flush_spoiled(&params, spoiled);
        let start = Instant::now();
        let verdicts: Vec<BallotVerdict> =
            pending.par_chunks(BATCH).flat_map_iter(|chunk| verify_chunk(&params, chunk)).collect();
        let elapsed = start.elapsed().as_secs_f64();
        *self.timers.entry(Check::OptionProofs).or_default() += elapsed;

        // The sum of every cast ballot that passed its context checks.
        let sums = pending
            .par_iter()
            .zip(verdicts.par_iter())
            .filter(|(_, v)| v.election && v.credential && v.shape.is_none())
            .fold(
                || TallyAccumulator::new(&params.manifest),
                |mut acc, (p, _)| {
                    acc.add(&p.ballot);
                    acc
                },
            )
            .reduce(|| TallyAccumulator::new(&params.manifest), |a, b| a.merge(&b));
        self.all_cast = Some(match self.all_cast.take() {
            Some(acc) => acc.merge(&sums),
            None => sums,
        });

        let receipt = self.options.receipt.as_ref().map(|r| r.index);
        for (p, v) in pending.iter().zip(verdicts) {
            let at = |what: &str| format!("ballot at event {}: {what}", p.index);
            let mut refused = |why: String| {
                if receipt == Some(p.index) {
                    self.receipt_refused = Some(why);
                }
            };
            if !v.election {
                refused("it is for another election (3.1)".into());
            } else if !v.credential {
                refused("its credential is not in the list (3.2)".into());
            } else if let Some(reason) = &v.shape {
                refused(format!("its shape does not fit the manifest: {reason} (3.4)"));
            } else if !(v.signature && v.options && v.sum) {
                refused("its signature or a proof does not verify (3.3–3.5)".into());
            }
            self.check(Check::BallotElection).count += 1;
            if !v.election {
                self.check(Check::BallotElection).fail(at("for another election"));
                continue;
            }
            self.check(Check::BallotCredential).count += 1;
            if !v.credential {
                let cred = p.ballot.credential.to_hex();
                self.check(Check::BallotCredential).fail(at(&format!("credential {cred} is not in the list")));
                continue;
            }
            if let Some(reason) = &v.shape {
                self.check(Check::OptionProofs).fail(at(reason));
                continue;
            }
            for (check, ok, what) in [
                (Check::BallotSignature, v.signature, "the signature does not verify"),
                (Check::OptionProofs, v.options, "an option's range proof does not verify"),
                (Check::SumProofs, v.sum, "a contest's sum proof does not verify (bounds from the manifest)"),
            ] {
                let c = self.check(check);
                c.count += 1;
                if !ok {
                    c.fail(at(what));
                }
            }
            let (digest, ciphertexts) = v.digests;
            self.cast += 1;
            self.check(Check::NoDuplicates).count += 1;
            if !self.cast_digests.insert(digest) {
                self.check(Check::NoDuplicates).fail(at("the same ballot was cast before"));
            }
            self.check(Check::SpoiledNotCast).count += 1;
            self.cast_ciphertexts.insert(ciphertexts);
            if self.spoiled_ciphertexts.contains(&ciphertexts) {
                self.check(Check::SpoiledNotCast).fail(at("a challenged ballot has the same ciphertexts"));
            }
            self.check(Check::RevotePolicy).count += 1;
            if let Some(previous) = self.last_cast.insert(p.ballot.credential.to_bytes(), (p.index, p.leaf)) {
                match params.manifest.revote {
                    RevotePolicy::LastCounts => self.superseded.push(previous),
                    RevotePolicy::Refused => {
                        self.check(Check::RevotePolicy).fail(at(&format!(
                            "the credential voted at event {} and the election refuses revotes",
                            previous.0
                        )));
                        // Under `refused`, the first ballot is the one that counts.
                        self.last_cast.insert(p.ballot.credential.to_bytes(), previous);
                        self.superseded.push((p.index, p.leaf));
                        if receipt == Some(p.index) {
                            self.receipt_refused = Some(format!(
                                "the election refuses re-votes and this credential voted at event {} (3.7)",
                                previous.0
                            ));
                        }
                    }
                }
            }
        }
    }
    /// Challenged ballots: each opening checked (in parallel), none repeated, none cast.
    fn flush_spoiled(&mut self, params: &ElectionParams, spoiled: Vec<(u64, SpoiledBallot)>) {
        let verdicts: Vec<Option<String>> =
            spoiled.par_iter().map(|(_, s)| s.check(params).err().map(|e| e.to_string())).collect();
        for ((index, s), verdict) in spoiled.iter().zip(verdicts) {
            let at = |what: &str| format!("challenged ballot at event {index}: {what}");
            self.spoiled += 1;
            let c = self.check(Check::Openings);
            c.count += 1;
            if let Some(reason) = verdict {
                c.fail(at(&reason));
            }
            let digest = s.ciphertext_digest();
            if !self.spoiled_ciphertexts.insert(digest) {
                self.check(Check::NoDuplicates).fail(at("this challenged ballot was posted before"));
            }
            if self.cast_ciphertexts.contains(&digest) {
                self.check(Check::SpoiledNotCast).fail(at("a cast ballot has the same ciphertexts"));
            }
        }
    }
}

fn verify_chunk(params: &ElectionParams, chunk: &[Pending]) -> Vec<BallotVerdict> {
    let key = vec![*params.key.element().point()];
    let mut signatures = BatchVerifier::new();
    let mut options = BatchVerifier::with_shared_bases(key.clone());
    let mut sums = BatchVerifier::with_shared_bases(key);
    let mut verdicts = Vec::with_capacity(chunk.len());
    // Which batch item belongs to which ballot.
    let mut items: Vec<usize> = Vec::new();
    for (i, p) in chunk.iter().enumerate() {
        let b = &p.ballot;
        let mut v = BallotVerdict {
            election: b.election == params.fingerprint,
            credential: params.credentials.contains(&b.credential),
            digests: (b.digest(), b.ciphertext_digest()),
            ..Default::default()
        };
        if v.election && v.credential {
            if let Err(e) = b.check_shape(&params.manifest) {
                v.shape = Some(e.to_string());
            } else {
                b.add_signature_to(params, &mut signatures.item());
                let mut option_item = options.item();
                let mut sum_item = sums.item();
                let (options_ok, sums_ok) = b.add_proofs_split(params, &mut option_item, Some(&mut sum_item));
                v.options = options_ok.is_ok();
                v.sum = sums_ok.is_ok();
                items.push(i);
            }
        }
        verdicts.push(v);
    }
    let failed = |batch: &BatchVerifier| -> HashSet<usize> {
        match batch.verify() {
            Ok(()) => HashSet::new(),
            Err(CryptoError::BatchFailed { failed }) => failed.into_iter().map(|k| items[k]).collect(),
            Err(_) => items.iter().copied().collect(),
        }
    };
    let (bad_sig, bad_opt, bad_sum) = (failed(&signatures), failed(&options), failed(&sums));
    for &i in &items {
        let v = &mut verdicts[i];
        v.signature = !bad_sig.contains(&i);
        v.options &= !bad_opt.contains(&i);
        v.sum &= !bad_sum.contains(&i);
    }
    verdicts
}
