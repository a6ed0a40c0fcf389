//! Checks 1.3–1.6: the key ceremony and the opening of voting, checked when `open` is read.

use super::*;
use crate::crypto::threshold::ThresholdParams;

impl Engine<'_> {
    /// Voting opens: the ceremony is checked and the election's parameters fixed. Called only
    /// with a valid manifest (check 1.2).
    pub(super) fn open(&mut self, open: Open) {
        let Some((setup, setup_fp)) = self.setup.clone() else { return };
        let Ok(params) = setup.manifest.threshold_params() else { return };
        self.ceremony_messages(&setup_fp, &params, true);
        // 1.4: the outcome: no repeated dealer, complaints judged, enough qualified dealers.
        let ceremony = outcome(&setup_fp, &params, &self.transport_keys, &self.dealings, &self.complaints);
        if let Err(e) = &ceremony {
            self.check(Check::Dealings).fail(e.to_string());
        }
        // 1.5: the published keys are the ceremony's.
        if ceremony.is_err() {
            self.check(Check::JointKey).skip("no ceremony outcome (1.4 failed)");
        }
        if let Ok(ceremony) = &ceremony {
            let c = self.check(Check::JointKey);
            c.count = 1 + open.verification_keys.len() as u64;
            if ceremony.joint_key != open.joint_key {
                c.fail("the joint key is not the sum of the qualified dealers' constant terms");
            }
            if ceremony.verification_keys != open.verification_keys {
                c.fail("the verification keys are not those the commitments imply");
            }
        }
        if open.joint_key == Element::identity() {
            self.check(Check::JointKey).fail("the joint key is the identity element");
        }
        self.credential_list(&open);
        match ElectionParams::new(setup.manifest, open.joint_key, open.verification_keys, open.credentials) {
            Ok(p) => {
                self.all_cast = Some(TallyAccumulator::new(&p.manifest));
                self.params = Some(std::sync::Arc::new(p));
            }
            Err(e) => self.check(Check::JointKey).fail(e.to_string()),
        }
    }

    /// 1.3 and 1.4, message by message: every transport key with its proof, every dealing's
    /// public checks, every complaint as the board admits it. With `complete`, also that
    /// every trustee posted a transport key (when voting opens); without, as far as the record
    /// goes (it stops before voting opens).
    pub(super) fn ceremony_messages(&mut self, setup_fp: &Fingerprint, params: &ThresholdParams, complete: bool) {
        self.transport_keys.sort_by_key(|k| k.trustee);
        {
            let mut batch = BatchVerifier::new();
            let numbers: Vec<u32> = self.transport_keys.iter().map(|k| k.trustee).collect();
            let expected: Vec<u32> = (1..=params.trustees).collect();
            let keys = self.transport_keys.clone();
            let c = self.check(Check::TransportKeys);
            c.count = keys.len() as u64;
            if complete && numbers != expected {
                c.fail(format!("transport keys of trustees {numbers:?}, expected {expected:?}"));
            }
            for k in &keys {
                if k.key == Element::identity() {
                    c.fail(format!("trustee {}'s transport key is the identity", k.trustee));
                }
                let t = crate::crypto::transcript::transport_key_pok(setup_fp, k.trustee, &k.key);
                k.proof.add_to_batch(t, &k.key, &mut batch);
            }
            if let Err(CryptoError::BatchFailed { failed }) = batch.verify() {
                for i in failed {
                    c.fail(format!("trustee {}'s proof of knowledge does not verify", keys[i].trustee));
                }
            }
        }
        // 1.4: dealings (public checks).
        {
            let dealings = self.dealings.clone();
            let c = self.check(Check::Dealings);
            c.count = dealings.len() as u64;
            for d in &dealings {
                if let Err(e) = d.verify(setup_fp, params) {
                    c.fail(format!("dealer {}: {e}", d.dealer));
                }
            }
        }
        // Complaints, as the board admits them: from a trustee, with a valid proof, once.
        let complaints = self.complaints.clone();
        let mut seen = std::collections::HashSet::new();
        for complaint in &complaints {
            let who = format!("complaint by trustee {} about dealer {}", complaint.recipient, complaint.dealer);
            let key = self.transport_keys.iter().find(|k| k.trustee == complaint.recipient).map(|k| k.key);
            let share = self
                .dealings
                .iter()
                .find(|d| d.dealer == complaint.dealer)
                .and_then(|d| d.shares.iter().find(|s| s.recipient == complaint.recipient))
                .map(|s| s.ephemeral);
            let fault = match (key, share, &complaint.proof) {
                (Some(key), Some(ephemeral), Some(proof)) => {
                    let t = crate::crypto::transcript::complaint(
                        setup_fp,
                        complaint.dealer,
                        complaint.recipient,
                        &ephemeral,
                        &key,
                        &complaint.shared,
                    );
                    proof.verify(t, &ephemeral, &key, &complaint.shared).err().map(|_| "its proof does not verify")
                }
                (Some(_), Some(_), None) => Some("it has no evidence"),
                _ => Some("no such trustee or dealing"),
            };
            if let Some(why) = fault {
                self.check(Check::Dealings).fail(format!("{who}: {why}"));
            }
            if !seen.insert((complaint.dealer, complaint.recipient)) {
                self.check(Check::Dealings).fail(format!("{who}: posted twice"));
            }
        }
    }

    /// The ceremony of a record that stops before voting opens: what it holds is checked.
    pub(super) fn ceremony_so_far(&mut self) {
        let Some((setup, setup_fp)) = self.setup.clone() else { return };
        let Ok(params) = setup.manifest.threshold_params() else { return };
        self.ceremony_messages(&setup_fp, &params, false);
    }

    /// 1.6: the credential list (which needs no manifest).
    pub(super) fn credential_list(&mut self, open: &Open) {
        let c = self.check(Check::CredentialList);
        c.count = open.credentials.len() as u64;
        if let Err(e) = open.credentials.check() {
            c.fail(e.to_string());
        }
        if open.credentials.is_empty() {
            c.fail("the list is empty");
        }
    }
}
