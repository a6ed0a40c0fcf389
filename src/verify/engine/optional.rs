//! Checks 7.1–7.3: an observer's checkpoint, a voter's receipt, witnesses' co-signatures.
//! Each one's root is compared with the log's while streaming (board.rs); the signatures,
//! which need the setup's board key, are checked here.

use super::*;

impl Engine<'_> {
    pub(super) fn finish_optional(&mut self, header: &RecordHeader, cosignatures: &[Cosignature]) {
        let setup = self.setup.clone();
        if let Some(c) = &self.options.checkpoint {
            match &setup {
                Some((s, fp)) => {
                    if c.verify(fp, &s.board_key).is_err() {
                        self.check(Check::ObserverCheckpoint)
                            .fail("the observer's checkpoint is not signed by this board");
                    }
                }
                None => self.check(Check::ObserverCheckpoint).skip("no setup event, so no board key"),
            }
        }
        if !self.options.witnesses.is_empty() {
            for w in self.options.witnesses.clone() {
                if !cosignatures.iter().any(|c| c.witness == w) {
                    self.check(Check::Witnesses)
                        .fail(format!("witness {} co-signed no checkpoint of this record", w.to_hex()));
                }
            }
            match &setup {
                Some((s, fp)) => {
                    for c in cosignatures {
                        if c.verify(fp, &s.board_key).is_err() {
                            self.check(Check::Witnesses).fail(format!(
                                "witness {}'s co-signature of size {} does not verify",
                                c.witness.to_hex(),
                                c.size
                            ));
                        }
                    }
                }
                None => self.check(Check::Witnesses).skip("no setup event, so no board key"),
            }
        }
        self.finish_receipt(header);
    }

    fn finish_receipt(&mut self, header: &RecordHeader) {
        let Some(receipt) = self.options.receipt.clone() else { return };
        let Some((setup, fp)) = self.setup.clone() else {
            self.check(Check::Receipt).skip("no setup event, so no board key");
            return;
        };
        let leaf = self.receipt_leaf;
        let counted = leaf.as_ref().and_then(|(i, _, cred)| cred.map(|c| self.last_cast_of(&c) == Some(*i)));
        let refused = self.receipt_refused.clone();
        let no_params = self.params.is_none().then(|| self.no_params());
        let c = self.check(Check::Receipt);
        c.count = 1;
        if let Err(e) = receipt.verify(&fp, &setup.board_key) {
            c.fail(e);
            return;
        }
        match leaf {
            Some((_, hash, _)) if hash == receipt.leaf_hash => {}
            _ => {
                c.fail(format!("the log has no entry {} with the receipt's leaf hash", receipt.index));
                return;
            }
        }
        if receipt.checkpoint.size > header.checkpoint.size {
            c.fail("the receipt's checkpoint is beyond the final log");
            return;
        }
        if let Some(why) = no_params {
            c.skip(format!("whether entry {}'s ballot counts: {why}", receipt.index));
            return;
        }
        if let Some(why) = refused {
            c.fail(format!("entry {}: the ballot was refused and is not counted: {why}", receipt.index));
            return;
        }
        match counted {
            Some(true) => c.note = format!("entry {}: the ballot is counted", receipt.index),
            Some(false) => {
                c.note = format!(
                    "entry {}: the ballot was superseded by a later ballot of the same credential",
                    receipt.index
                )
            }
            None => c.fail("the receipt's entry is not a well-formed cast ballot"),
        }
    }
}

impl Engine<'_> {
    /// A record that does not extend the watcher's proven prefix: the events there whose
    /// proofs were taken as verified may be other events, so 3.3–3.5 (and 1.8, 1.9 where
    /// proofs were spared) cannot pass.
    pub(super) fn finish_proven(&mut self) {
        let Some(p) = &self.options.proven else { return };
        if p.size == 0 || self.proven_matched {
            return;
        }
        let why = format!(
            "the record's first {} events are not the ones the watcher verified (--state): their \
             signatures and proofs were not all verified",
            p.size
        );
        let spared = std::mem::take(&mut self.proven_skipped);
        for c in [Check::BallotSignature, Check::OptionProofs, Check::SumProofs].into_iter().chain(spared) {
            self.check(c).fail(why.clone());
        }
    }
}
