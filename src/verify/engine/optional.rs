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
                        self.check(Check::ObserverCheckpoint).fail(Finding::new("fail-observer-checkpoint"));
                    }
                }
                None => self.check(Check::ObserverCheckpoint).skip(Finding::new("skip-no-board-key")),
            }
        }
        if !self.options.witnesses.is_empty() {
            for w in self.options.witnesses.clone() {
                if !cosignatures.iter().any(|c| c.witness == w) {
                    self.check(Check::Witnesses).fail(Finding::new("fail-witness-absent").arg("witness", w.to_hex()));
                }
            }
            match &setup {
                Some((s, fp)) => {
                    for c in cosignatures {
                        if c.verify(fp, &s.board_key).is_err() {
                            self.check(Check::Witnesses).fail(
                                Finding::new("fail-cosignature").arg("witness", c.witness.to_hex()).arg("size", c.size),
                            );
                        }
                    }
                }
                None => self.check(Check::Witnesses).skip(Finding::new("skip-no-board-key")),
            }
        }
        self.finish_receipt(header);
    }

    fn finish_receipt(&mut self, header: &RecordHeader) {
        let Some(receipt) = self.options.receipt.clone() else { return };
        let Some((setup, fp)) = self.setup.clone() else {
            self.check(Check::Receipt).skip(Finding::new("skip-no-board-key"));
            return;
        };
        let leaf = self.receipt_leaf;
        let counted = leaf.as_ref().and_then(|(i, _, cred)| cred.map(|c| self.last_cast_of(&c) == Some(*i)));
        let refused = self.receipt_refused.clone();
        let no_params = self.params.is_none().then(|| self.no_params());
        let c = self.check(Check::Receipt);
        c.count = 1;
        if let Err(e) = receipt.verify(&fp, &setup.board_key) {
            c.fail(Finding::new("fail-receipt-signature").reason(e));
            return;
        }
        match leaf {
            Some((_, hash, _)) if hash == receipt.leaf_hash => {}
            _ => {
                c.fail(Finding::new("fail-receipt-entry").arg("entry", receipt.index));
                return;
            }
        }
        if receipt.checkpoint.size > header.checkpoint.size {
            c.fail(Finding::new("fail-receipt-beyond"));
            return;
        }
        if let Some(why) = no_params {
            c.skip(Finding::new("skip-receipt").arg("entry", receipt.index).arg("why", why));
            return;
        }
        if let Some(why) = refused {
            c.fail(Finding::new("fail-receipt-refused").arg("entry", receipt.index).arg("why", why));
            return;
        }
        match counted {
            Some(true) => c.note = Some(Finding::new("note-receipt-counted").arg("entry", receipt.index)),
            Some(false) => c.note = Some(Finding::new("note-receipt-superseded").arg("entry", receipt.index)),
            None => c.fail(Finding::new("fail-receipt-not-a-ballot").arg("entry", receipt.index)),
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
        let why = Finding::new("fail-not-proven-prefix").arg("size", p.size);
        let spared = std::mem::take(&mut self.proven_skipped);
        for c in [Check::BallotSignature, Check::OptionProofs, Check::SumProofs].into_iter().chain(spared) {
            self.check(c).fail(why.clone());
        }
    }
}
