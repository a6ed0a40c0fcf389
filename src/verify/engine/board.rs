//! Checks 2.2–2.4: the streamed log against every checkpoint, the final root and the
//! checkpoints' signatures.

use super::*;

impl Engine<'_> {
    /// Checkpoints whose size the streamed log has just reached: each matches the log's first
    /// `size` events or not; what does not is reported once, as the range of events where the
    /// log left what the board had signed ([`Divergence`]).
    pub(super) fn checkpoints_at_size(&mut self) {
        let size = self.frontier.len();
        while let Some((c, check)) = self.checkpoints.get(self.next_checkpoint) {
            if c.size > size {
                break;
            }
            let (c, check) = (c.clone(), *check);
            self.next_checkpoint += 1;
            let root = self.frontier.root();
            self.check(check).count += 1;
            let d = self.divergence.entry(check).or_default();
            if c.size == size && c.root != root {
                match d.first_mismatch {
                    None => d.first_mismatch = Some(c.size),
                    Some(_) => d.later_mismatches += 1,
                }
            } else if d.first_mismatch.is_none() {
                d.last_match = c.size;
            }
        }
    }

    /// Reports where the log left the checkpoints of each check.
    fn report_divergence(&mut self) {
        for (check, d) in std::mem::take(&mut self.divergence) {
            let Some(first) = d.first_mismatch else { continue };
            let what = if first == 0 {
                Finding::new("fail-empty-root")
            } else {
                Finding::new("fail-log-changed")
                    .arg("matching", d.last_match)
                    .arg("size", first)
                    .arg("from", d.last_match)
                    .arg("to", first - 1)
                    .arg("later", d.later_mismatches)
            };
            self.check(check).fail(what);
        }
    }

    /// Checkpoints beyond the log, 2.2 (the final root) and 2.3 (every signature, batched).
    pub(super) fn finish_log(&mut self, header: &RecordHeader) {
        self.report_divergence();
        let size = self.frontier.len();
        // Checkpoints larger than the log.
        while let Some((c, check)) = self.checkpoints.get(self.next_checkpoint).cloned() {
            self.next_checkpoint += 1;
            self.check(check).fail(Finding::new("fail-checkpoint-beyond-log").arg("size", c.size).arg("events", size));
        }
        // 2.2: the final root.
        {
            let root = self.frontier.root();
            let c = self.check(Check::FinalRoot);
            c.count = size;
            if header.size != size || header.checkpoint.size != size {
                c.fail(
                    Finding::new("fail-record-size")
                        .arg("events", size)
                        .arg("header", header.size)
                        .arg("checkpoint", header.checkpoint.size),
                );
            } else if header.checkpoint.root != root {
                c.fail(Finding::new("fail-final-root"));
            }
        }
        // 2.3: signatures, by the setup's board key.
        if self.setup.is_none() {
            self.check(Check::CheckpointSignatures).skip(Finding::new("skip-no-board-key"));
        }
        if let Some((setup, fp)) = self.setup.clone() {
            let mut batch = BatchVerifier::new();
            let mut all: Vec<Checkpoint> = self
                .checkpoints
                .iter()
                .filter(|(_, k)| *k == Check::CheckpointConsistency)
                .map(|(c, _)| c.clone())
                .collect();
            all.push(header.checkpoint.clone());
            for cp in &all {
                let t = crate::crypto::transcript::checkpoint(&fp, &setup.board_key, cp.size, &cp.root);
                cp.signature.add_to_batch(t, &setup.board_key, &mut batch);
            }
            let c = self.check(Check::CheckpointSignatures);
            c.count = all.len() as u64;
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    c.fail(Finding::new("fail-checkpoint-signature").arg("size", all[i].size));
                }
            }
        }
    }
}
