//! Checks 3.1–3.8 and 4.1–4.2: cast ballots in parallel batches, challenged ballots'
//! openings, duplicates and the revote policy.
//!
//! Duplicates are found on the first 16 bytes of the digests (SHA-256). Two different
//! ballots' truncated digests agree with probability 2⁻¹²⁸, so among n ballots the chance of
//! any such agreement is below n²/2¹²⁹: about 6·10⁻²⁶ at 6.4 million. Even then the verdict
//! is not wrong: a match is only a suspicion, kept with its index and full digest, and at the
//! end the record's cast ballots are read again ([`Engine::finish_duplicates`]) and the check
//! fails only if the full digests agree. Honest records have no match, so they are read once.

use super::*;
use crate::crypto::batch::Base;

/// A match of truncated digests, to confirm on the full digests.
pub(super) struct DigestMatch {
    /// The later ballot: a cast ballot (its ballot digest matched an earlier cast ballot's),
    /// or a challenged ballot (its ciphertext digest matched a cast ballot's).
    index: u64,
    digest: [u8; 32],
    kind: MatchKind,
    /// The matched ballot must have come before this index: the cast ballots that had
    /// entered the set when the match was found.
    before: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MatchKind {
    CastTwice,
    ChallengedThenCast,
}

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
            if let Some(r) = &self.options.receipt
                && pending.iter().any(|p| p.index == r.index)
            {
                self.receipt_refused = Some(Finding::new("refused-before-open"));
            }
            return;
        };
        // The first ballot of this batch: the cast ballots before it are in the sets.
        let first = pending.iter().map(|p| p.index).chain(spoiled.iter().map(|(i, _)| *i)).min().unwrap_or(0);
        self.params_from.get_or_insert(first);
        if self.last_cast.len() != params.credential_count() {
            self.last_cast = vec![NO_BALLOT; params.credential_count()];
        }
        self.flush_spoiled(&params, spoiled, first);
        let start = Instant::now();
        // The watcher verified a ballot of its prefix only if voting opened within it: a ballot
        // cast before an open that came after the prefix met no parameters in the watcher's
        // run (it was neither verified nor refused there), so nothing of it is proven.
        let opened = self.opened;
        let proven = self.options.proven.as_ref().filter(|p| opened.is_some_and(|o| o < p.size));
        let verdicts: Vec<BallotVerdict> =
            pending.par_chunks(BATCH).flat_map_iter(|chunk| verify_chunk(&params, chunk, proven)).collect();
        let elapsed = start.elapsed().as_secs_f64();
        *self.timers.entry(Check::OptionProofs).or_default() += elapsed;

        // The sum of every cast ballot that passed its context checks.
        let sums = pending
            .par_iter()
            .zip(verdicts.par_iter())
            .filter(|(_, v)| v.election && v.credential && v.style_fault.is_none() && v.shape.is_none())
            .fold(
                || TallyAccumulator::new(&params.manifest),
                |mut acc, (p, v)| {
                    acc.add(v.style, &p.ballot);
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
            let at = |code: &'static str| Finding::new(code).event(p.index);
            let mut refused = |why: Finding| {
                if receipt == Some(p.index) {
                    self.receipt_refused = Some(why);
                }
            };
            if !(v.election && v.credential && v.style_fault.is_none() && v.shape.is_none())
                || !(v.signature && v.options && v.sum)
            {
                self.refused += 1;
            }
            if !v.election {
                refused(Finding::new("refused-election"));
            } else if !v.credential {
                refused(Finding::new("refused-credential"));
            } else if let Some(fault) = &v.style_fault {
                refused(Finding::new("refused-style").arg("why", fault.clone()));
            } else if let Some(reason) = &v.shape {
                refused(Finding::new("refused-shape").reason(reason));
            } else if !(v.signature && v.options && v.sum) {
                refused(Finding::new("refused-proof"));
            }
            self.check(Check::BallotElection).count += 1;
            if !v.election {
                self.check(Check::BallotElection).fail(at("fail-ballot-election"));
                continue;
            }
            self.check(Check::BallotCredential).count += 1;
            if !v.credential {
                let cred = p.ballot.credential.to_hex();
                self.check(Check::BallotCredential).fail(at("fail-ballot-credential").arg("credential", cred));
                continue;
            }
            self.check(Check::BallotStyle).count += 1;
            if let Some(fault) = &v.style_fault {
                self.check(Check::BallotStyle).fail(at("fail-ballot-style").arg("why", fault.clone()));
                continue;
            }
            if let Some(reason) = &v.shape {
                self.check(Check::OptionProofs).fail(at("fail-ballot-shape").reason(reason));
                continue;
            }
            if !(v.signature && v.options && v.sum) {
                self.proof_failures.push(p.index);
            }
            for (check, ok, code) in [
                (Check::BallotSignature, v.signature, "fail-ballot-signature"),
                (Check::OptionProofs, v.options, "fail-ballot-range-proof"),
                (Check::SumProofs, v.sum, "fail-ballot-sum-proof"),
            ] {
                let c = self.check(check);
                c.count += 1;
                if !ok {
                    c.fail(at(code));
                }
            }
            let (digest, ciphertexts) = v.digests;
            self.cast += 1;
            self.check(Check::NoDuplicates).count += 1;
            if !self.cast_digests.insert(digest16(&digest)) {
                let kind = MatchKind::CastTwice;
                self.digest_matches.push(DigestMatch { index: p.index, digest, kind, before: p.index });
            }
            self.check(Check::SpoiledNotCast).count += 1;
            self.cast_ciphertexts.insert(digest16(&ciphertexts));
            if self.spoiled_ciphertexts.contains(&ciphertexts) {
                self.check(Check::SpoiledNotCast).fail(at("fail-cast-was-challenged"));
            }
            self.check(Check::RevotePolicy).count += 1;
            // The credential and style checks passed, so the credential has a slot.
            let Some(slot) = slot_of(&params, &p.ballot.credential) else { continue };
            let previous = std::mem::replace(&mut self.last_cast[slot], (p.index, leaf16(&p.leaf)));
            if previous == NO_BALLOT {
                self.counted += 1;
            } else {
                match params.manifest.revote {
                    RevotePolicy::LastCounts => self.superseded.push(previous),
                    RevotePolicy::Refused => {
                        self.check(Check::RevotePolicy).fail(at("fail-revote-refused").arg("first", previous.0));
                        // Under `refused`, the first ballot is the one that counts.
                        self.last_cast[slot] = previous;
                        self.superseded.push((p.index, leaf16(&p.leaf)));
                        if receipt == Some(p.index) {
                            self.receipt_refused = Some(Finding::new("refused-revote").arg("first", previous.0));
                        }
                    }
                }
            }
        }
    }
    /// Challenged ballots: each opening checked (in parallel), none repeated, none cast.
    /// `before`: the first ballot of this batch (the cast ballots before it are in the sets).
    fn flush_spoiled(&mut self, params: &ElectionParams, spoiled: Vec<(u64, SpoiledBallot)>, before: u64) {
        let verdicts: Vec<Option<String>> =
            spoiled.par_iter().map(|(_, s)| s.check(params).err().map(|e| e.to_string())).collect();
        for ((index, s), verdict) in spoiled.iter().zip(verdicts) {
            let at = |code: &'static str| Finding::new(code).event(*index);
            self.spoiled += 1;
            let c = self.check(Check::Openings);
            c.count += 1;
            if let Some(reason) = verdict {
                c.fail(at("fail-opening").reason(reason));
            }
            let digest = s.ciphertext_digest();
            if !self.spoiled_ciphertexts.insert(digest) {
                self.check(Check::NoDuplicates).fail(at("fail-challenged-twice"));
            }
            // The board publishes the challenged ballots in one run before close, in ascending
            // order of their ciphertext digests: an order arrival cannot decide.
            if self.last_spoiled.is_some_and(|last| digest < last) {
                self.check(Check::EventOrder).fail(at("fail-challenged-order"));
            }
            self.last_spoiled = Some(digest);
            if self.cast_ciphertexts.contains(&digest16(&digest)) {
                let kind = MatchKind::ChallengedThenCast;
                self.digest_matches.push(DigestMatch { index: *index, digest, kind, before });
            }
        }
    }
}

/// The credential's slot when every style's list is laid end to end.
fn slot_of(params: &ElectionParams, credential: &Element) -> Option<usize> {
    let (style, at) = params.find_credential(credential)?;
    Some(params.list_offsets()[style] + at)
}

/// Check 3.8 for one ballot whose credential is in some style's list (`credential_style`):
/// the style it names exists and is that one, and its contests are exactly that style's
/// (count, and options per contest). Returns the style.
fn style_verdict(params: &ElectionParams, b: &Ballot, credential_style: usize) -> Result<usize, Finding> {
    let fault = |e: crate::election::ElectionError| Finding::new("style-fault").reason(e);
    let style = b.style_in(&params.manifest).map_err(fault)?;
    if style.index != credential_style {
        return Err(Finding::new("style-other-list")
            .arg("style", b.style.escape_debug().to_string())
            .arg("list", params.manifest.styles()[credential_style].id.to_string()));
    }
    b.check_style_contests(&params.manifest).map_err(fault)?;
    Ok(style.index)
}

/// `proven`: the ballots whose signature and proofs the observer's watcher verified (not
/// verified again; [`Proven`]).
fn verify_chunk(params: &ElectionParams, chunk: &[Pending], proven: Option<&Proven>) -> Vec<BallotVerdict> {
    let key = vec![*params.key.element().point()];
    // Each style's credential base is its signatures': one shared point per style.
    let bases = params.lists.iter().map(|l| *l.base.point()).collect();
    let mut signatures = BatchVerifier::with_shared_bases(bases);
    let mut options = BatchVerifier::with_shared_bases(key.clone());
    let mut sums = BatchVerifier::with_shared_bases(key);
    let mut verdicts = Vec::with_capacity(chunk.len());
    // Which batch item belongs to which ballot.
    let mut items: Vec<usize> = Vec::new();
    for (i, p) in chunk.iter().enumerate() {
        let b = &p.ballot;
        let credential_style = params.find_credential(&b.credential).map(|(s, _)| s);
        let mut v = BallotVerdict {
            election: b.election == params.fingerprint,
            credential: credential_style.is_some(),
            digests: (b.digest(), b.ciphertext_digest()),
            ..Default::default()
        };
        if let (true, Some(credential_style)) = (v.election, credential_style) {
            match style_verdict(params, b, credential_style) {
                Err(e) => v.style_fault = Some(e),
                Ok(style) => v.style = style,
            }
        }
        if v.election && v.credential && v.style_fault.is_none() {
            if let Err(e) = b.check_shape(&params.manifest) {
                v.shape = Some(e.to_string());
            } else if proven.is_some_and(|proven| proven.covers(p.index)) {
                (v.signature, v.options, v.sum) = (true, true, true);
            } else {
                b.add_signature_to(params, Base::Shared(v.style), &mut signatures.item());
                let mut option_item = options.item();
                let mut sum_item = sums.item();
                let contests = &params.style_contests[v.style];
                let (options_ok, sums_ok) = b.add_proofs_split(params, contests, &mut option_item, Some(&mut sum_item));
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

impl Engine<'_> {
    /// The index of the credential's last cast ballot (the one that counts), if any.
    pub(super) fn last_cast_of(&self, credential: &Element) -> Option<u64> {
        let slot = slot_of(self.params.as_ref()?, credential)?;
        self.last_cast.get(slot).map(|(i, _)| *i).filter(|i| *i != NO_BALLOT.0)
    }

    /// Confirms each truncated-digest match on the full digests, reading the record's cast
    /// ballots again up to the last match (only when there was one: never for an honest
    /// record). A match fails its check only if a cast ballot that entered the sets before it
    /// has the same full digest: the verdict is the one full digests would give.
    pub(super) fn finish_duplicates(&mut self, dir: &Path) -> Result<(), RecordError> {
        let Some(last) = self.digest_matches.iter().map(|m| m.index).max() else { return Ok(()) };
        let Some(params) = self.params.clone() else { return Ok(()) };
        let start = Instant::now();
        let from = self.params_from.unwrap_or(0);
        let wanted: HashSet<[u8; 32]> = self.digest_matches.iter().map(|m| m.digest).collect();
        // Per wanted digest and kind, the first cast ballot that entered the sets with it.
        let mut first: BTreeMap<([u8; 32], bool), u64> = BTreeMap::new();
        // Only cast lines are kept (within their bound); the others are hashed past.
        let mut reader = record::EventReader::open(dir)?;
        let cast_bound = self.bounds.cast;
        let bound = |kind: Option<&str>| if kind == Some("cast") { cast_bound } else { 0 };
        loop {
            let mut chunk: Vec<EventLine> = Vec::new();
            let mut kept = 0u64;
            while chunk.len() < CHUNK && kept < CHUNK_BYTES {
                let Some(line) = reader.next_line(bound)? else { break };
                if let LineBody::Text(t) = &line.body {
                    kept += t.len() as u64;
                }
                chunk.push(line);
            }
            let Some(end) = chunk.last().map(|l| l.index) else { break };
            let parsed: Vec<Result<Event, String>> =
                chunk.par_chunks(DECODE_LINES).flat_map_iter(super::decode::parse_lines).collect();
            for (line, event) in chunk.iter().zip(parsed) {
                let Ok(Event::Cast(b)) = event else { continue };
                let index = line.index;
                let entered = index >= from
                    && b.election == params.fingerprint
                    && b.check_credential(&params).is_ok()
                    && b.check_shape(&params.manifest).is_ok();
                if !entered {
                    continue;
                }
                for (digest, cast_twice) in [(b.digest(), true), (b.ciphertext_digest(), false)] {
                    if wanted.contains(&digest) {
                        first.entry((digest, cast_twice)).or_insert(index);
                    }
                }
            }
            if end >= last {
                break;
            }
        }
        for m in std::mem::take(&mut self.digest_matches) {
            let cast_twice = m.kind == MatchKind::CastTwice;
            if first.get(&(m.digest, cast_twice)).is_some_and(|j| *j < m.before) {
                match m.kind {
                    MatchKind::CastTwice => {
                        self.check(Check::NoDuplicates).fail(Finding::new("fail-cast-twice").event(m.index))
                    }
                    MatchKind::ChallengedThenCast => {
                        self.check(Check::SpoiledNotCast).fail(Finding::new("fail-challenged-was-cast").event(m.index))
                    }
                }
            }
        }
        *self.timers.entry(Check::NoDuplicates).or_default() += start.elapsed().as_secs_f64();
        Ok(())
    }
}
