//! Checks 7.1–7.3: an observer's checkpoint, a voter's receipt, witnesses' co-signatures.

use super::*;

impl Engine<'_> {
    pub(super) fn finish_receipt(&mut self, header: &RecordHeader) {
        let Some(receipt) = self.options.receipt.clone() else { return };
        let Some((setup, fp)) = self.setup.clone() else { return };
        let leaf = self.receipt_leaf;
        let counted = leaf.as_ref().and_then(|(i, _, cred)| cred.map(|c| self.last_cast_of(&c) == Some(*i)));
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
        match counted {
            Some(true) => c.note = format!("entry {}: the ballot is counted", receipt.index),
            Some(false) => {
                c.note = format!(
                    "entry {}: the ballot was superseded by a later ballot of the same credential",
                    receipt.index
                )
            }
            None => c.fail("the receipt's entry is not a cast ballot"),
        }
    }
}
